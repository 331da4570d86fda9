"""A detractor (NPS 0-6) or a CSAT of 1-2 makes one follow-up action item for the customer's
relationship manager, due in two working days; once per response."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from customers.models import ActionItem
from satisfaction import responses
from satisfaction.models import Campaign
from tests.kit import refreshed
from tests.satisfaction.respond_kit import campaign_in, invite, service_answers

pytestmark = pytest.mark.usefixtures("as_tenant_a")

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Thursday afternoon in the office's zone: two working days later is Monday.
THURSDAY = datetime(2026, 12, 3, 15, 0, tzinfo=AMSTERDAM)


def _campaign(sworld, **fields):
    return campaign_in(
        sworld.survey,
        opens_at=datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM),
        closes_at=datetime(2026, 12, 31, 17, 0, tzinfo=AMSTERDAM),
        **fields,
    )


def test_a_detractor_makes_one_follow_up_for_the_rm_due_in_two_working_days(sworld):
    invitation, _token = invite(_campaign(sworld), sworld.bea)
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=6, csat=4), now=THURSDAY
    )
    item = ActionItem.objects.get()
    assert response.follow_up_id == item.pk
    assert item.source == ActionItem.Source.SURVEY
    assert item.source_ref == f"survey-response:{response.pk}"
    assert item.owner_member_id == sworld.rm.pk and item.customer_id == sworld.customer.pk
    assert item.due_date == date(2026, 12, 7)  # Thursday 15:00 + 16 business hours: Monday
    assert sworld.bea.name in item.description and "NPS" not in item.title


def test_an_edit_that_stays_a_detractor_makes_no_second_follow_up(sworld):
    invitation, _token = invite(_campaign(sworld), sworld.bea)
    first = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=2), now=THURSDAY
    )
    responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=9), now=THURSDAY)
    responses.response_save(invitation, service_answers(sworld, sworld.survey, nps=0), now=THURSDAY)
    assert ActionItem.objects.count() == 1
    assert refreshed(first).follow_up_id == ActionItem.objects.get().pk


@pytest.mark.parametrize(("nps", "csat"), [(7, 3), (8, 5), (10, 3)])
def test_a_passive_or_promoter_with_a_fair_csat_makes_no_follow_up(sworld, nps, csat):
    invitation, _token = invite(_campaign(sworld), sworld.bea)
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=nps, csat=csat), now=THURSDAY
    )
    assert response.follow_up_id is None and not ActionItem.objects.exists()


@pytest.mark.parametrize("csat", [1, 2])
def test_a_low_csat_makes_a_follow_up_even_from_a_promoter(sworld, csat):
    invitation, _token = invite(_campaign(sworld), sworld.bea)
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=10, csat=csat), now=THURSDAY
    )
    assert response.follow_up_id is not None


def test_a_passive_who_becomes_a_detractor_gets_the_follow_up_then(sworld):
    invitation, _token = invite(_campaign(sworld), sworld.bea)
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=7), now=THURSDAY
    )
    assert response.follow_up_id is None
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=4), now=THURSDAY
    )
    assert response.follow_up_id is not None and ActionItem.objects.count() == 1


@pytest.mark.parametrize("mode", [Campaign.Anonymity.CONFIDENTIAL, Campaign.Anonymity.ANONYMOUS])
def test_without_attribution_the_follow_up_names_neither_person_nor_response(sworld, mode):
    campaign = _campaign(sworld, anonymity=mode)
    invitation, _token = invite(campaign, sworld.bea)
    response = responses.response_save(
        invitation, service_answers(sworld, sworld.survey, nps=1), now=THURSDAY
    )
    item = ActionItem.objects.get()
    assert response.follow_up_id == item.pk
    assert item.source_ref == f"campaign:{campaign.pk}"
    assert sworld.bea.name not in item.description + item.title
    assert sworld.customer.name in item.description
    assert item.owner_member_id == sworld.rm.pk
