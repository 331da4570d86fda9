"""The measures for the reports area: complaints per customer and period, median and 90th
percentile business time to acknowledge and to resolve, % within target, escalations per level,
reopen rate, confirmed versus deemed accepted, by category and root cause, and the trend; each in
a fixed number of queries."""

from datetime import date, timedelta

import pytest

from brm.hours.selectors import office_calendar
from complaints import services
from complaints.selectors import (
    complaint_clocks,
    complaint_list,
    complaint_measures,
    complaint_trend,
    complaints_per_customer,
    percentile,
)
from tests.complaints.conftest import local, receive, resolve, run_due, working
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.usefixtures("as_tenant_a")

H = timedelta(hours=1)


def test_the_nearest_rank_percentile():
    values = [timedelta(hours=h) for h in (5, 1, 4, 2, 3)]
    assert percentile(values, 50) == 3 * H
    assert percentile(values, 90) == 5 * H
    assert percentile([], 50) is None


@pytest.fixture
def march(tenant_a, world, clock):
    """Four complaints of March 2027 (Mondays and Tuesdays from 09:00) in known states."""
    clock.set(local(2027, 3, 1, 9))
    a = receive(world, severity="critical")  # acknowledged after 1 h, resolved after 4 h
    clock.set(local(2027, 3, 1, 10))
    working(world, a)
    clock.set(local(2027, 3, 1, 13))
    resolve(world, a, root_cause_category="technology")
    services.complaint_confirm(complaint=a, actor=world.business_manager, rating=5)

    clock.set(local(2027, 3, 2, 9))
    b = receive(world, severity="low")  # acknowledged after 3 h; rejected once
    clock.set(local(2027, 3, 2, 12))
    working(world, b)
    clock.set(local(2027, 3, 2, 14))
    resolve(world, b)
    clock.set(local(2027, 3, 3, 9))
    services.complaint_reject(complaint=b, actor=world.business_manager, reason="No")
    clock.set(local(2027, 3, 3, 10))
    resolve(world, b)  # 5 h + 1 h: 6 h to resolve

    clock.set(local(2027, 3, 8, 9))
    c = receive(world, severity="critical")  # breaches everything, escalates to 3
    run_due(tenant_a, local(2027, 3, 31, 9))  # ... and b is deemed accepted on the way

    other = CustomerFactory(name="Sales", relationship_manager=world.rm)
    sam = ContactFactory(customer=other, name="Sam", email="sam@sales.example")
    clock.set(local(2027, 3, 9, 9))
    d = receive(world, customer=other, raiser_contact=sam, category=None)
    clock.set(local(2027, 4, 1, 9))
    return a, b, c, d, other


def test_the_measures_of_a_month(world, march, django_assert_num_queries):
    a, b, c, d, other = march
    cal = office_calendar()
    with django_assert_num_queries(4):
        measures = complaint_measures(start=date(2027, 3, 1), end=date(2027, 3, 31), cal=cal)
    assert measures.count == 4
    assert measures.per_customer == [(world.customer.pk, "Finance", 3), (other.pk, "Sales", 1)]
    assert measures.acknowledge_median == 1 * H  # of 1 h and 3 h
    assert measures.acknowledge_p90 == 3 * H
    assert measures.resolve_median == 4 * H  # of 4 h and 6 h
    assert measures.resolve_p90 == 6 * H
    assert measures.acknowledged_within_target_pct == 100.0  # a and b; c never was
    assert measures.resolved_within_target_pct == 100.0
    assert measures.escalations_per_level == {2: 1, 3: 1}
    assert measures.escalations_per_reason == {"breach": 2}
    assert measures.reopen_rate_pct == 50.0
    assert (measures.closed_confirmed, measures.closed_deemed_accepted) == (1, 1)
    assert measures.by_category == [("Service quality", 3), ("", 1)]
    assert measures.by_root_cause == [("process", 1), ("technology", 1)]
    assert measures.by_severity == {"critical": 3, "low": 1}
    assert measures.average_rating == 5.0


def test_the_measures_of_one_customer(world, march):
    measures = complaint_measures(
        start=date(2027, 3, 1), end=date(2027, 3, 31), customer=world.customer
    )
    assert measures.count == 3 and measures.per_customer == [(world.customer.pk, "Finance", 3)]


def test_the_query_count_does_not_grow_with_the_complaints(
    world, march, clock, django_assert_num_queries
):
    clock.set(local(2027, 3, 10, 9))
    for _ in range(5):
        working(world, receive(world))
    cal = office_calendar()
    with django_assert_num_queries(4):
        complaint_measures(start=date(2027, 3, 1), end=date(2027, 3, 31), cal=cal)


def test_an_empty_period_measures_nothing(world):
    measures = complaint_measures(start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert measures.count == 0 and measures.acknowledge_median is None
    assert measures.reopen_rate_pct is None


def test_complaints_per_customer_and_the_trend(world, march, django_assert_num_queries):
    a, b, c, d, other = march
    with django_assert_num_queries(2):
        per_customer = complaints_per_customer(start=date(2027, 3, 1), end=date(2027, 3, 31))
    assert per_customer == [(world.customer.pk, "Finance", 3), (other.pk, "Sales", 1)]
    with django_assert_num_queries(2):
        trend = complaint_trend(start=date(2027, 1, 1), end=date(2027, 4, 30))
    assert trend == [(date(2027, 3, 1), 4)]


def test_a_page_of_clocks_reads_their_spans_in_one_query(world, march, django_assert_num_queries):
    cal = office_calendar()
    with django_assert_num_queries(2):
        page = list(complaint_list(world.admin)[:25])
        clocks = complaint_clocks(page, cal=cal, now=local(2027, 3, 9, 12))
    d = march[3]
    assert clocks[d.pk].resolve.left == 16 * H - 3 * H
    assert clocks[d.pk].running
