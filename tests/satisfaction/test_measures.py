"""The measures the reports area reads, each in a fixed number of queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import ActionItem
from satisfaction import measures
from satisfaction.models import Campaign, Invitation, Response
from tests.factories import ActionItemFactory, CustomerFactory

from .results_kit import closed_campaign, invite, respond, respond_nps

pytestmark = pytest.mark.usefixtures("as_tenant_a")
AMS = ZoneInfo("Europe/Amsterdam")


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    return value, len(ctx.captured_queries)


def test_satisfied_customers_by_csat_share_or_else_by_nps(sworld, rm_a):
    campaign = closed_campaign(sworld.survey)
    for csat in (5, 4, 4, 5, 3):  # 80 %: satisfied
        respond(campaign, sworld.customer, csat=csat, nps=0)
    for csat in (5, 4, 3, 2):  # 50 %: not
        respond(campaign, sworld.other_customer, csat=csat)
    nps_only = CustomerFactory(relationship_manager=rm_a)
    respond_nps(campaign, nps_only, [9, 9, 3])  # NPS 33 > 0, no CSAT: satisfied
    share, queries = _queries(lambda: measures.satisfied_customers())
    assert (share.part, share.whole, share.percent) == (2, 3, 66.7)
    assert queries == 2
    mine = measures.satisfied_customers(relationship_manager=sworld.other_rm)
    assert (mine.part, mine.whole) == (0, 1)


def test_nps_and_csat_with_n_and_the_minimum(sworld):
    campaign = closed_campaign(sworld.survey)
    for nps, csat in (
        (10, 5),
        (9, 4),
        (10, 4),
        (9, 5),
        (8, 3),
        (8, 1),
        (7, 2),
        (3, 4),
        (6, 5),
        (10, 5),
    ):
        respond(campaign, sworld.customer, nps=nps, csat=csat)
    respond_nps(campaign, sworld.other_customer, [0, 0])
    figures, queries = _queries(lambda: measures.nps_and_csat(customer=sworld.customer))
    assert (figures["nps"].value, figures["nps"].n) == (30.0, 10)
    assert (figures["csat"].value, figures["csat"].n) == (70.0, 10)
    assert queries == 3
    other = measures.nps_and_csat(customer=sworld.other_customer)
    assert other["nps"].suppressed and other["csat"].n == 0
    assert measures.nps_and_csat()["nps"].n == 12


def test_periods_are_office_dates_of_the_close(sworld):
    now = timezone.now()
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [10] * 5)
    # 23:30 on 31 March in Amsterdam is 21:30 UTC: a March campaign.
    closed = datetime(2026, 3, 31, 23, 30, tzinfo=AMS)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=closed)
    assert measures.surveys_closed(since=date(2026, 3, 1), until=date(2026, 4, 1)) == 1
    assert measures.surveys_closed(since=date(2026, 4, 1), until=date(2026, 5, 1)) == 0
    assert measures.nps_and_csat(since=date(2026, 4, 1))["nps"].n == 0
    open_one = closed_campaign(sworld.survey)
    Campaign.objects.filter(pk=open_one.pk).update(status=Campaign.Status.OPEN, closed_at=now)
    assert measures.surveys_closed() == 1


def test_response_rate_is_responses_per_invitation_delivered(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [9, 9])
    invite(campaign, sworld.customer)
    invite(campaign, sworld.customer)
    invite(campaign, sworld.customer, status=Invitation.Status.HELD_BACK)
    share, queries = _queries(lambda: measures.response_rate())
    assert (share.part, share.whole, share.percent) == (2, 4, 50.0)
    assert queries == 3


def test_feedback_channels_count_responses_by_where_they_were_given(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [9, 9, 9])
    Response.objects.filter(pk=respond(campaign, sworld.customer, nps=1).pk).update(
        channel=Response.Channel.PORTAL
    )
    channels, queries = _queries(lambda: measures.feedback_channels())
    assert channels == {"link": 3, "portal": 1}
    assert queries == 2


def test_follow_ups_closed_in_time(sworld):
    due = date(2026, 6, 10)
    on_time = datetime(2026, 6, 10, 23, 0, tzinfo=AMS)  # still the 10th in the office
    late = on_time + timedelta(hours=2)
    for completed in (on_time, late, None):
        ActionItemFactory(
            customer=sworld.customer,
            source=ActionItem.Source.SURVEY,
            due_date=due,
            status=ActionItem.Status.DONE if completed else ActionItem.Status.OPEN,
            completed_at=completed,
        )
    ActionItemFactory(customer=sworld.customer, source=ActionItem.Source.MEETING, due_date=due)
    share, queries = _queries(
        lambda: measures.follow_ups_closed_in_time(since=date(2026, 6, 1), until=date(2026, 7, 1))
    )
    assert (share.part, share.whole) == (1, 3)
    assert queries == 2
