"""Helpers of the results tests: campaigns already closed, and responses written straight into
the records (the figures are what is tested here, not how a respondent answers)."""

from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

from django.utils import timezone

from satisfaction.models import Answer, Campaign, Invitation, Question, Response
from tests.factories import CampaignFactory
from tests.kit import in_tenant

SEQ = itertools.count()
Kind = Question.Kind


def closed_campaign(survey, *, anonymity="attributed", ago_days=1, **values) -> Campaign:
    """A campaign of `survey` that closed `ago_days` ago, after three weeks open."""
    closes = timezone.now() - timedelta(days=ago_days)
    campaign = CampaignFactory(
        tenant=survey.tenant,
        survey=survey,
        opens_at=closes - timedelta(days=21),
        closes_at=closes,
        anonymity=anonymity,
        **values,
    )
    with in_tenant(survey.tenant_id):
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.CLOSED, opened_at=campaign.opens_at, closed_at=closes
        )
        campaign.refresh_from_db()
    return campaign


def invite(campaign, customer, *, contact=None, status=Invitation.Status.SENT, name=None):
    n = next(SEQ)
    with in_tenant(campaign.tenant_id):
        return Invitation.objects.create(
            campaign=campaign,
            customer=customer,
            contact=contact,
            name=name or (contact.name if contact else f"Respondent {n}"),
            email=contact.email if contact else f"respondent-{n}@business.example",
            status=status,
            held_back_rule=Invitation.Rule.GAP if status == Invitation.Status.HELD_BACK else "",
            sent_at=timezone.now() if status == Invitation.Status.SENT else None,
        )


def respond(
    campaign,
    customer,
    *,
    nps=None,
    csat=None,
    effort=None,
    services=None,
    text="",
    contact=None,
    invitation=None,
    name=None,
) -> Response:
    """An invitation delivered to a contact of `customer` (one is made unless given) and its
    response with these answers (`services`: {service: rating})."""
    invitation = invitation or invite(campaign, customer, contact=contact, name=name)
    with in_tenant(campaign.tenant_id):
        questions = {q.kind: q for q in campaign.survey.questions.all()}
        linked = campaign.links_responses
        response = Response.objects.create(
            campaign=campaign,
            customer=customer,
            invitation=invitation if linked else None,
            respondent_key="" if linked else secrets.token_hex(32),
            submitted_at=timezone.now(),
        )
        Invitation.objects.filter(pk=invitation.pk).update(answered_at=timezone.now())
        tid = campaign.tenant_id
        answers = []
        for kind, value in ((Kind.NPS, nps), (Kind.CSAT, csat), (Kind.EFFORT, effort)):
            if value is not None:
                answers.append(
                    Answer(tenant_id=tid, response=response, question=questions[kind], value=value)
                )
        for service, value in (services or {}).items():
            answers.append(
                Answer(
                    tenant_id=tid,
                    response=response,
                    question=questions[Kind.SERVICE_RATING],
                    service=service,
                    value=value,
                )
            )
        if text:
            answers.append(
                Answer(tenant_id=tid, response=response, question=questions[Kind.TEXT], text=text)
            )
        Answer.objects.bulk_create(answers)
    return response


def respond_nps(campaign, customer, scores, **values) -> list[Response]:
    return [respond(campaign, customer, nps=score, **values) for score in scores]


# The worked example: 5 promoters, 3 passives, 2 detractors (NPS 30).
WORKED_NPS = (10, 9, 10, 9, 10, 8, 7, 8, 3, 6)
