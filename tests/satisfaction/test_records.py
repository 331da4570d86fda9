"""The satisfaction records' own rules, held by the database."""

import pytest
from django.db import IntegrityError, transaction

from satisfaction import tokens
from satisfaction.models import Answer, Invitation, Response
from tests.factories import CampaignFactory, ContactFactory, survey_with_questions

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_a_token_is_256_random_bits_and_only_its_sha256_is_kept():
    token, digest = tokens.new_token()
    assert len(token) >= 43 and tokens.token_hash(token) == digest and token not in digest
    assert len(digest) == 64 and tokens.new_token()[0] != token


def test_one_invitation_per_contact_per_campaign_and_a_held_back_one_names_its_rule(sworld):
    campaign = CampaignFactory(survey=sworld.survey)
    contact = sworld.bea
    Invitation.objects.create(
        campaign=campaign, contact=contact, customer=contact.customer, name=contact.name
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            campaign=campaign, contact=contact, customer=contact.customer, name=contact.name
        )
    other = ContactFactory(customer=sworld.customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            campaign=campaign,
            contact=other,
            customer=other.customer,
            name=other.name,
            status=Invitation.Status.HELD_BACK,
        )
    Invitation.objects.create(
        campaign=campaign,
        contact=other,
        customer=other.customer,
        name=other.name,
        status=Invitation.Status.HELD_BACK,
        held_back_rule=Invitation.Rule.GAP,
    )


def test_one_answer_per_question_and_service(sworld):
    survey = survey_with_questions(kinds=("nps",))
    campaign = CampaignFactory(survey=survey)
    contact = sworld.bea
    response = Response.objects.create(
        campaign=campaign, customer=contact.customer, submitted_at=campaign.opens_at
    )
    question = survey.questions.get()
    Answer.objects.create(response=response, question=question, value=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=question, value=3)
