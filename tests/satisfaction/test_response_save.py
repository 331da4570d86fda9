"""Saving a respondent's answers (satisfaction.responses.response_save): one response per
invitation, edited until the campaign closes, every answer checked against its question."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from satisfaction import responses
from satisfaction.models import Answer, Campaign, Invitation, Response
from tests.factories import ServiceFactory, survey_with_questions
from tests.kit import assert_audited, refreshed
from tests.satisfaction.respond_kit import campaign_in, invite, service_answers

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _errors(exc) -> dict:
    return exc.value.message_dict


def _questions(survey) -> dict:
    return {q.kind: q for q in survey.questions.all()}


def test_the_first_save_makes_the_response_and_a_second_edits_it(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    first = responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=9))
    assert first.invitation_id == invitation.pk and first.respondent_key == ""
    assert first.customer_id == sworld.customer.pk
    assert refreshed(invitation).answered_at is not None

    again = responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=3))
    assert again.pk == first.pk
    assert Response.objects.count() == 1
    nps = _questions(sworld.survey)["nps"]
    assert Answer.objects.get(response=first, question=nps).value == 3
    # Email rated 4, the payroll system "no opinion": one row; every other kind one row each.
    assert Answer.objects.filter(response=first).count() == 6
    assert_audited(sworld.customer.tenant, "survey_response.submitted", obj=first)
    assert_audited(sworld.customer.tenant, "survey_response.changed", obj=first)


def test_answers_are_kept_as_given(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    response = responses.response_save(invitation, service_answers(sworld, sworld.survey))
    q = _questions(sworld.survey)
    rows = {(a.question_id, a.service_id): a for a in response.answers.all()}
    assert rows[(q["nps"].pk, None)].value == 9
    assert rows[(q["csat"].pk, None)].value == 4
    assert rows[(q["effort"].pk, None)].value == 6
    assert rows[(q["choice"].pk, None)].text == "Phone"
    assert rows[(q["text"].pk, None)].text == "Faster answers, please."
    assert rows[(q["service_rating"].pk, sworld.services[0].pk)].value == 4
    assert (q["service_rating"].pk, sworld.services[1].pk) not in rows  # no opinion
    assert responses.answers_of(response)[q["service_rating"].pk] == {sworld.services[0].pk: 4}


def test_a_closed_campaign_refuses_answers_and_changes(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=9))
    later = campaign.closes_at + timedelta(seconds=1)
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, service_answers(sworld, sworld.survey), now=later)
    assert exc.value.code == "closed"
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, service_answers(sworld, sworld.survey))
    assert exc.value.code == "closed"
    nps = _questions(sworld.survey)["nps"]
    assert Answer.objects.get(question=nps).value == 9


@pytest.mark.parametrize(
    ("status", "code"),
    [("scheduled", "not_open"), ("draft", "gone"), ("cancelled", "gone")],
)
def test_a_campaign_that_is_not_open_refuses_answers(sworld, status, code):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, service_answers(sworld, sworld.survey))
    assert exc.value.code == code
    assert not Response.objects.exists()


def test_a_held_back_invitation_takes_no_answers(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.HELD_BACK, held_back_rule=Invitation.Rule.GAP
    )
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, service_answers(sworld, sworld.survey))
    assert exc.value.code == "gone"


def test_required_questions_must_be_answered(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    q = _questions(sworld.survey)
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, {q["text"].pk: "Only a comment"})
    errors = _errors(exc)
    assert errors == {
        f"q{q['nps'].pk}": ["Choose an answer to this question."],
        f"q{q['csat'].pk}": ["Choose an answer to this question."],
    }
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("nps", 11, "Choose a number from 0 to 10."),
        ("nps", -1, "Choose a number from 0 to 10."),
        ("nps", "seven", "Choose a number from 0 to 10."),
        ("nps", True, "Choose a number from 0 to 10."),
        ("csat", 0, "Choose a number from 1 to 5."),
        ("effort", 8, "Choose a number from 1 to 7."),
        ("choice", "Carrier pigeon", "Choose one of the options given."),
        ("text", "x" * 5001, "Write at most 5000 characters (you wrote 5001)."),
    ],
)
def test_an_answer_that_does_not_fit_its_question_is_refused(sworld, kind, value, message):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    answers = service_answers(sworld, sworld.survey)
    question = _questions(sworld.survey)[kind]
    answers[question.pk] = value
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, answers)
    assert _errors(exc) == {f"q{question.pk}": [message]}


def test_a_service_rating_takes_only_the_customers_services(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    not_theirs = ServiceFactory(name="Warehouse robots")
    question = _questions(sworld.survey)["service_rating"]
    answers = service_answers(sworld, sworld.survey)
    answers[question.pk] = {**answers[question.pk], not_theirs.pk: 5}
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, answers)
    assert _errors(exc) == {f"q{question.pk}": ["Rate only the services your organisation uses."]}


def test_a_required_service_rating_needs_a_rating_or_no_opinion_for_each_service(sworld):
    survey = survey_with_questions(kinds=("service_rating",))
    question = survey.questions.get()
    question.required = True
    question.save()
    campaign = campaign_in(survey)
    invitation, _token = invite(campaign, sworld.bea)
    email, payroll = sworld.services
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, {question.pk: {email.pk: 2}})
    assert _errors(exc) == {
        f"q{question.pk}_s{payroll.pk}": [
            "Rate Payroll system, or choose “Don't use / no opinion”."
        ]
    }
    with pytest.raises(ValidationError) as exc:
        responses.response_save(invitation, {question.pk: {email.pk: 6, payroll.pk: "no_opinion"}})
    assert _errors(exc) == {f"q{question.pk}_s{email.pk}": ["Choose a number from 1 to 5."]}
    responses.response_save(invitation, {question.pk: {email.pk: 2, payroll.pk: "no_opinion"}})


def test_optional_questions_may_be_left_out(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    q = _questions(sworld.survey)
    response = responses.response_save(invitation, {q["nps"].pk: 10, q["csat"].pk: "5"})
    assert sorted(a.value for a in response.answers.all()) == [5, 10]


def test_an_anonymous_response_has_no_link_to_its_invitation(sworld):
    campaign = campaign_in(sworld.survey, anonymity=Campaign.Anonymity.ANONYMOUS)
    invitation, _token = invite(campaign, sworld.bea)
    first = responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=8))
    assert first.invitation_id is None
    assert len(first.respondent_key) == 64 and str(invitation.pk) not in first.respondent_key
    # Reminders go to everyone in anonymous mode: the invitation does not say who answered.
    assert refreshed(invitation).answered_at is None
    # The same invitation edits the same response; another one makes its own.
    again = responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=2))
    assert again.pk == first.pk
    assert responses.response_for_invitation(invitation).pk == first.pk
    other, _token = invite(campaign, sworld.carl)
    assert responses.response_for_invitation(other) is None
    third = responses.response_save(other, service_answers(sworld, sworld.survey))
    assert third.pk != first.pk and third.respondent_key != first.respondent_key
    assert Response.objects.filter(invitation__isnull=False).count() == 0
    assert responses.answered_invitation_ids(
        list(Invitation.objects.select_related("campaign"))
    ) == {invitation.pk, other.pk}


def test_an_anonymous_response_is_audited_without_the_respondent(sworld):
    campaign = campaign_in(sworld.survey, anonymity=Campaign.Anonymity.ANONYMOUS)
    invitation, _token = invite(campaign, sworld.bea)
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey), actor=sworld.business_manager.user
    )
    event = assert_audited(sworld.customer.tenant, "survey_response.submitted", obj=response)
    assert event.actor_id is None
    assert sworld.bea.name not in str(event.changes) + event.object_repr


def test_an_attributed_response_from_the_portal_is_audited_with_its_respondent(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    user = sworld.business_manager.user
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey), actor=user
    )
    assert_audited(sworld.customer.tenant, "survey_response.submitted", obj=response, actor=user)


def test_the_answer_state_follows_the_campaign_and_its_times(sworld):
    now = timezone.now()
    campaign = campaign_in(sworld.survey)
    assert responses.answer_state(campaign, now=now) == "open"
    assert responses.answer_state(campaign, now=campaign.opens_at - timedelta(seconds=1)) == (
        "not_open"
    )
    assert responses.answer_state(campaign, now=campaign.closes_at) == "closed"
    for status, state in [("scheduled", "not_open"), ("closed", "closed"), ("draft", "gone")]:
        campaign.status = status
        assert responses.answer_state(campaign, now=now) == state
