"""What the answering tests share: a campaign in a given state and invitations with their link,
made the way the campaign workers make them (an Invitation and an InvitationToken holding only
the token's hash), without running the workers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from satisfaction import tokens
from satisfaction.models import Campaign, Invitation, InvitationToken
from tests.factories import CampaignFactory
from tests.kit import in_tenant


def campaign_in(survey, *, status=Campaign.Status.OPEN, anonymity="attributed", **fields):
    """A campaign of `survey` with `status` (open by default: opened a day ago, closing in
    three weeks)."""
    now = timezone.now()
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("closes_at", fields["opens_at"] + timedelta(days=21))
    if status != Campaign.Status.DRAFT:
        fields.setdefault("opened_at", fields["opens_at"] if status != "scheduled" else None)
    return CampaignFactory(survey=survey, status=status, anonymity=anonymity, **fields)


def invite(campaign, contact, *, status=Invitation.Status.SENT) -> tuple[Invitation, str]:
    """The contact's invitation to `campaign`, delivered, and the raw token of its link."""
    with in_tenant(campaign.tenant_id):
        invitation = Invitation.objects.create(
            campaign=campaign,
            contact=contact,
            customer=contact.customer,
            name=contact.name,
            email=contact.email,
            status=status,
            sent_at=timezone.now(),
        )
        return invitation, new_link(invitation)


def new_link(invitation) -> str:
    """Another link to the same invitation (a reminder carries a fresh one)."""
    raw, digest = tokens.new_token()
    with in_tenant(invitation.tenant_id):
        InvitationToken.objects.create(invitation=invitation, token_hash=digest)
    return raw


def link(token: str) -> str:
    return f"/s/{token}/"


def full_answers(sworld, survey, *, nps=9, csat=4) -> dict:
    """A POST answering every question of an all-kinds survey (tests/satisfaction/conftest)."""
    data = {}
    with in_tenant(survey.tenant_id):
        for question in survey.questions.all():
            name = f"q{question.pk}"
            if question.kind == "nps":
                data[name] = str(nps)
            elif question.kind == "csat":
                data[name] = str(csat)
            elif question.kind == "effort":
                data[name] = "6"
            elif question.kind == "choice":
                data[name] = "Phone"
            elif question.kind == "text":
                data[name] = "Faster answers, please."
            elif question.kind == "service_rating":
                data[f"{name}_s{sworld.services[0].pk}"] = "4"
                data[f"{name}_s{sworld.services[1].pk}"] = "no_opinion"
    return data


def service_answers(sworld, survey, *, nps=9, csat=4) -> dict:
    """The same answers in the shape responses.response_save takes."""
    answers = {}
    with in_tenant(survey.tenant_id):
        for question in survey.questions.all():
            kind = question.kind
            if kind == "nps":
                answers[question.pk] = nps
            elif kind == "csat":
                answers[question.pk] = csat
            elif kind == "effort":
                answers[question.pk] = 6
            elif kind == "choice":
                answers[question.pk] = "Phone"
            elif kind == "text":
                answers[question.pk] = "Faster answers, please."
            elif kind == "service_rating":
                email, payroll = sworld.services
                answers[question.pk] = {email.pk: 4, payroll.pk: "no_opinion"}
    return answers
