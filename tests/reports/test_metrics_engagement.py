"""The metrics of customers, agreements and engagement against figures counted by hand on the
small office of conftest.py, for each scope, and the cost of each: a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements import periods
from reports import metrics
from reports.metrics import Scope
from reports.models import ScopeKind, Window

pytestmark = pytest.mark.usefixtures("as_tenant_a")

OCT_31 = date(2026, 10, 31)


def value(key, day=OCT_31, scope=metrics.OFFICE, window=None):
    return metrics.metric_value(key, day=day, scope=scope, window=window)


def scopes(kworld):
    return {
        "office": metrics.OFFICE,
        "rm": Scope(ScopeKind.RM, str(kworld.rm.pk)),
        "other_rm": Scope(ScopeKind.RM, str(kworld.other_rm.pk)),
        "corporate": Scope(ScopeKind.DIVISION, "Corporate"),
        "operations": Scope(ScopeKind.DIVISION, "Operations"),
        "logistics": Scope(ScopeKind.CUSTOMER, str(kworld.logistics.pk)),
    }


def test_it_contact_and_agreement_coverage_per_scope(kworld):
    s = scopes(kworld)
    # Customers not dormant: Finance and Logistics, both with an active RM.
    assert value("customers_it_contact") == metrics.Figure(value=2, n=2)
    assert value("customers_it_contact_pct") == metrics.Figure(value=100.0, n=2)
    # Purchasers of those: Payroll (IT contact), Treasury, Warehouse; Archive is dormant's.
    assert value("purchasers_it_contact") == metrics.Figure(value=1, n=3)
    assert value("purchasers_it_contact_pct") == metrics.Figure(value=33.3, n=3)
    assert value("purchasers_it_contact_pct", scope=s["operations"]) == metrics.Figure(0.0, 1)
    assert value("purchasers_it_contact", scope=s["rm"]) == metrics.Figure(value=1, n=2)
    # Agreement in force: Finance only.
    assert value("agreements_in_force") == metrics.Figure(value=1, n=2)
    assert value("agreements_in_force_pct") == metrics.Figure(value=50.0, n=2)
    assert value("agreements_in_force_pct", scope=s["corporate"]) == metrics.Figure(100.0, 1)
    assert value("agreements_in_force", scope=s["logistics"]) == metrics.Figure(0, 1)


def test_sla_lines_met_of_the_last_period_ended_by_the_day(kworld):
    start, end = periods.last_finished("month", timezone.localdate())
    assert value("sla_lines_met_pct", day=end) == metrics.Figure(value=100.0, n=1)
    assert value("sla_lines_met_pct", day=end, scope=scopes(kworld)["other_rm"]) == (
        metrics.Figure(value=None, n=0)
    )
    # The day before the period ended, the period was not measured yet.
    assert value("sla_lines_met_pct", day=start).value is None


def test_reviews_and_communications_in_the_month_and_per_customer(kworld):
    s = scopes(kworld)
    # Reviews: Finance 5th, Logistics 20th (the 12th has no minutes; the major event is not
    # a review).
    assert value("reviews_held").value == 2
    assert value("reviews_held", scope=s["rm"]).value == 1
    assert value("reviews_held", day=date(2026, 10, 19)).value == 1  # month to the 19th
    assert value("reviews_per_customer") == metrics.Figure(value=1.0, n=2)
    # Communications: every held meeting (4 in October; no notices or deliveries here).
    assert value("communications").value == 4
    assert value("communications", scope=s["corporate"]).value == 3
    assert value("communications_per_customer", scope=s["corporate"]) == metrics.Figure(3.0, 1)
    # The quarter to the 31st of October is October alone; to the 2nd of November, one more.
    assert value("communications", day=date(2026, 11, 2), window=Window.QUARTER).value == 5
    assert value("communications", day=date(2026, 11, 2), window=Window.MONTH).value == 1


def test_decisions_approved_and_action_items_on_time(kworld):
    s = scopes(kworld)
    assert value("decisions_approved").value == 2
    assert value("decisions_approved", scope=s["rm"]).value == 1
    assert value("decisions_approved", day=date(2026, 10, 20)).value == 1
    assert value("decisions_approved", window=Window.QUARTER).value == 2  # Sept is Q3
    # Closed in October: Finance on time and late, Logistics on time (the open one is not).
    assert value("meeting_actions_on_time_pct") == metrics.Figure(value=66.7, n=3)
    assert value("meeting_actions_on_time_pct", scope=s["rm"]) == metrics.Figure(50.0, 2)
    assert value("meeting_actions_on_time_pct", scope=s["logistics"]) == metrics.Figure(100.0, 1)


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# Queries of each metric for any scope (on this office: no complaints, so their measure stops
# before reading the clocks' spans; see test_metrics_complaints for theirs).
PINNED = {
    "customers_it_contact": 2,
    "customers_it_contact_pct": 2,
    "purchasers_it_contact": 2,
    "purchasers_it_contact_pct": 2,
    "agreements_in_force": 1,
    "agreements_in_force_pct": 1,
    "sla_lines_met_pct": 1,
    "satisfied_customers_pct": 2,
    "nps": 3,
    "csat": 3,
    "response_rate_pct": 3,
    "surveys_closed": 2,
    "feedback_link": 2,
    "feedback_portal": 2,
    **{m.key: 6 for m in metrics.METRICS if m.key.startswith(("complaints_", "escalations_"))},
    "reviews_held": 2,
    "reviews_per_customer": 3,
    "communications": 5,
    "communications_per_customer": 6,
    "decisions_approved": 2,
    "meeting_actions_on_time_pct": 2,
}


def test_each_metric_costs_the_same_queries_whatever_the_customers(kworld):
    from tests.factories import CustomerFactory

    def cost(scope):
        return {
            m.key: _queries(lambda m=m: metrics.metric_value(m, day=OCT_31, scope=scope))
            for m in metrics.METRICS
        }

    before = {name: cost(scope) for name, scope in scopes(kworld).items()}
    for _ in range(5):
        CustomerFactory(relationship_manager=kworld.rm, division="Corporate")
    after = {name: cost(scope) for name, scope in scopes(kworld).items()}
    assert after == before
    assert all(counts == PINNED for counts in after.values())


def test_metrics_on_one_measure_read_it_once_while_a_day_is_written(kworld):
    on_complaints = [
        m for m in metrics.METRICS if m.key.startswith(("complaints_", "escalations_"))
    ]
    assert len(on_complaints) == 7

    def all_of_them():
        for m in on_complaints:
            metrics.metric_value(m, day=OCT_31)

    assert _queries(all_of_them) == 7 * 6
    with metrics.shared_reads():
        assert _queries(all_of_them) == 6
        # another span or scope is read on its own
        assert _queries(lambda: metrics.metric_value(on_complaints[0], day=date(2026, 10, 30))) == 6
