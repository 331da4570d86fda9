"""Measures of communications: per customer and period, plan adherence, major incidents; a fixed
number of queries whatever the rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import communication_measures as measures
from meetings import communications
from tests.meetings.communications.conftest import maintenance

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _send(cworld, **overrides):
    notice = maintenance(cworld, **overrides)
    communications.notice_send(notice=notice, actor=None)
    communications.notice_fanout(notice)
    return notice


def test_communications_per_customer_and_month_count_notices_and_deliveries(cworld):
    _send(cworld)
    _send(
        cworld,
        kind="major_incident",
        window_starts_at=None,
        window_ends_at=None,
        customer_ids=[cworld.finance.pk],
    )
    entry = communications.plan_entry_create(
        customer=cworld.sales,
        actor=None,
        topic="service_report",
        roles=["business_manager"],
        frequency="monthly",
        owner=cworld.m.rm,
    )
    communications.plan_entry_deliver(entry=entry, actor=None)
    rows = measures.communications_by_period()
    assert [(r.customer, r.count) for r in rows] == [("Finance", 2), ("Sales", 2)]
    incidents = measures.major_incidents_by_customer()
    assert [(r.customer, r.count) for r in incidents] == [("Finance", 1)]


def test_plan_adherence_counts_deliveries_on_time_and_entries_still_overdue(cworld):
    today = timezone.localdate()
    m = cworld.m

    def entry(due):
        return communications.plan_entry_create(
            customer=cworld.finance,
            actor=None,
            topic="service_report",
            roles=["business_manager"],
            frequency="monthly",
            owner=m.rm,
            next_due=due,
        )

    on_time = entry(today + timedelta(days=1))
    communications.plan_entry_deliver(entry=on_time, actor=None, on=today)
    late = entry(today - timedelta(days=5))
    communications.plan_entry_deliver(entry=late, actor=None, on=today)
    entry(today - timedelta(days=2))  # still overdue
    # The on-time delivery's due date is still ahead: not yet counted as due.
    result = measures.plan_adherence(today=today + timedelta(days=2))
    assert (result.due, result.on_time) == (3, 1)
    assert result.percent == 33.3


def test_the_measures_read_a_fixed_number_of_queries(cworld):
    def count():
        with CaptureQueriesContext(connection) as q:
            measures.communications_by_period(since=date(2020, 1, 1), until=date(2199, 1, 1))
            measures.plan_adherence()
            measures.major_incidents_by_customer(since=date(2020, 1, 1))
        return len(q)

    _send(cworld)
    few = count()
    for i in range(3):
        _send(cworld, subject=f"More {i}")
    assert count() == few
