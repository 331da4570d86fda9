"""Isolation cases of the satisfaction pages: how to make, in a given office, the object each of
the area's URLs names (staff pages, the portal's survey page), and the marked rows its lists
must not show to another office. The answer link itself (/s/<token>/) is outside /t/<office>/:
its token chooses the office (tests/satisfaction/test_answer_link.py).
"""

import itertools

from django.utils import timezone

from customers.models import Customer
from satisfaction.models import Question, Response
from tests.api.isolation import register_api, register_related
from tests.customers.isolation_cases import portal_contact, related_customer
from tests.factories import CampaignFactory, QuestionFactory, SurveyFactory, survey_with_questions
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant
from tests.satisfaction.respond_kit import campaign_in, invite

SEQ = itertools.count(1)


def _open_invitation(tenant, name: str):
    """An open campaign with an invitation of the harness's portal contact."""
    contact = portal_contact(tenant)
    survey = survey_with_questions(tenant=tenant, kinds=("nps", "text"))
    campaign = campaign_in(survey, name=f"{name} {next(SEQ)}")
    return invite(campaign, contact)[0]


@register("satisfaction:portal_survey_answer")
def portal_survey_answer(tenant):
    return {"invitation_pk": _open_invitation(tenant, "Harness survey").pk}


@marked_rows
def marked_survey_invitation(tenant):
    _open_invitation(tenant, f"{MARKER} survey")


def _survey(tenant):
    survey = SurveyFactory(tenant=tenant, name=f"{MARKER} survey {next(SEQ)}")
    QuestionFactory(tenant=tenant, survey=survey, text=f"{MARKER} question")
    return survey


@register("satisfaction:survey_detail")
@register("satisfaction:survey_edit")
@register("satisfaction:survey_new_version")
@register("satisfaction:question_create")
def survey(tenant):
    return {"pk": _survey(tenant).pk}


@register("satisfaction:question_edit")
@register("satisfaction:question_delete")
@register("satisfaction:question_move")
def question(tenant):
    made = _survey(tenant)
    first = in_tenant(tenant, lambda: Question.objects.filter(survey=made).first())
    return {"pk": made.pk, "question_pk": first.pk}


@register("satisfaction:campaign_detail")
@register("satisfaction:campaign_edit")
@register("satisfaction:campaign_schedule")
@register("satisfaction:campaign_cancel")
def campaign(tenant):
    made = CampaignFactory(
        tenant=tenant, survey=_survey(tenant), name=f"{MARKER} campaign {next(SEQ)}"
    )
    return {"pk": made.pk}


@marked_rows
def satisfaction_rows(tenant):
    """A marked survey (the surveys list) and a marked campaign of it (the campaigns list)."""
    campaign(tenant)


# API --------------------------------------------------------------------------------------------


@register_api("/api/v1/surveys/{id}/")
@register_api("/api/v1/surveys/{id}/new-version/")
def api_survey(tenant):
    return {"id": _survey(tenant).pk}


@register_related("satisfaction.survey")
def related_survey(tenant):
    return _survey(tenant).pk


@register_api("/api/v1/campaigns/{id}/")
def api_campaign(tenant):
    return {"id": campaign(tenant)["pk"]}


def _response(tenant):
    made = CampaignFactory(tenant=tenant, survey=_survey(tenant), name=f"{MARKER} answered")
    customer = in_tenant(tenant, lambda: Customer.objects.get(pk=related_customer(tenant)))
    with in_tenant(tenant):
        return Response.objects.create(
            campaign=made, customer=customer, submitted_at=timezone.now()
        )


@register_api("/api/v1/responses/{id}/")
def api_response(tenant):
    return {"id": _response(tenant).pk}


@marked_rows
def satisfaction_api_rows(tenant):
    """A response of an attributed campaign (the responses list)."""
    _response(tenant)
