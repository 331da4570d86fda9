"""The complaint metrics on March 2027's four complaints of the complaints tests (times counted
by hand there: acknowledged after 1 h and 3 h, resolved after 4 h and 6 h, one escalated to
levels 2 and 3), for the office and for scopes."""

from datetime import date

import pytest

from reports import metrics
from reports.metrics import Figure, Scope
from reports.models import ScopeKind, Window
from tests.complaints.conftest import clock, world  # noqa: F401 (fixtures)
from tests.complaints.test_measures import march  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("as_tenant_a")

MAR_31 = date(2027, 3, 31)


def value(key, scope=metrics.OFFICE, day=MAR_31, window=Window.MONTH):
    return metrics.metric_value(key, day=day, scope=scope, window=window)


def test_complaint_metrics_of_the_month(march):  # noqa: F811
    assert value("complaints_received") == Figure(value=4, n=4)
    assert value("complaints_acknowledge_hours") == Figure(value=1.0, n=4)  # median of 1, 3
    assert value("complaints_resolve_hours") == Figure(value=4.0, n=4)  # median of 4, 6
    assert value("complaints_acknowledged_in_target_pct") == Figure(value=100.0, n=4)
    assert value("complaints_resolved_in_target_pct") == Figure(value=100.0, n=4)
    assert value("escalations_level_2") == Figure(value=1, n=4)
    assert value("escalations_level_3") == Figure(value=1, n=4)
    # The quarter to the 31st of March is the same three months' complaints.
    assert value("complaints_received", window=Window.QUARTER).value == 4
    # To the 1st of March: the first complaint only, not yet escalated.
    assert value("complaints_received", day=date(2027, 3, 1)).value == 1
    assert value("escalations_level_3", day=date(2027, 3, 1)).value == 0


def test_a_complaint_metric_costs_the_same_queries_whatever_the_complaints(
    world,  # noqa: F811
    march,  # noqa: F811
    clock,  # noqa: F811
    django_assert_num_queries,
):
    from tests.complaints.conftest import local, receive, working

    scope = Scope(ScopeKind.RM, str(world.rm.pk))
    with django_assert_num_queries(7):  # the zone, the office's calendar (2), the measures (4)
        value("complaints_resolve_hours", scope)
    clock.set(local(2027, 3, 10, 9))
    for _ in range(5):
        working(world, receive(world))
    with django_assert_num_queries(7):
        assert value("complaints_received", scope).value == 9


def test_complaint_metrics_of_a_scope(world, march):  # noqa: F811
    a, b, c, d, other = march
    sales = Scope(ScopeKind.CUSTOMER, str(other.pk))
    assert value("complaints_received", sales) == Figure(value=1, n=1)
    assert value("complaints_acknowledge_hours", sales) == Figure(value=None, n=1)
    assert value("escalations_level_2", sales).value == 0
    finance = Scope(ScopeKind.CUSTOMER, str(world.customer.pk))
    assert value("complaints_received", finance).value == 3
    assert value("escalations_level_2", finance).value == 1
    mine = Scope(ScopeKind.RM, str(world.rm.pk))  # both customers are the RM's
    assert value("complaints_received", mine).value == 4
    division = Scope(ScopeKind.DIVISION, "Nowhere")
    assert value("complaints_received", division) == Figure(value=0, n=0)
