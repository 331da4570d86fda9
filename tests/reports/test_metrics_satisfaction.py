"""The satisfaction metrics on one closed campaign answered by hand-chosen scores, for the office
and for scopes (Finance: Corporate, Logistics: Operations, another RM)."""

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reports import metrics
from reports.metrics import Figure, Scope
from reports.models import ScopeKind
from satisfaction import stats
from satisfaction.models import Invitation
from tests.satisfaction.conftest import sworld  # noqa: F401 (fixture)
from tests.satisfaction.results_kit import closed_campaign, invite, respond

pytestmark = pytest.mark.usefixtures("as_tenant_a")


@pytest.fixture
def answered(sworld):  # noqa: F811
    campaign = closed_campaign(sworld.survey)
    # Finance: CSAT 4 of 5 top (satisfied), NPS 3 promoters, 1 passive, 1 detractor (40).
    for csat, nps in ((5, 10), (4, 9), (4, 10), (5, 8), (3, 3)):
        respond(campaign, sworld.customer, csat=csat, nps=nps)
    # Logistics: CSAT 2 of 4 top (not satisfied); one more invited who never answered, one
    # held back (never delivered: not counted).
    for csat in (5, 4, 3, 2):
        respond(campaign, sworld.other_customer, csat=csat)
    invite(campaign, sworld.other_customer)
    invite(campaign, sworld.other_customer, status=Invitation.Status.HELD_BACK)
    return timezone.localdate(campaign.closed_at, ZoneInfo("Europe/Amsterdam"))  # the office's


def value(key, day, scope=metrics.OFFICE):
    return metrics.metric_value(key, day=day, scope=scope)


def test_satisfaction_metrics_of_the_office(answered):
    day = answered
    assert value("satisfied_customers_pct", day) == Figure(value=50.0, n=2)
    low, high = stats.wilson_interval(6, 9)
    assert value("csat", day) == Figure(value=100 * 6 / 9, n=9, low=100 * low, high=100 * high)
    low, high = stats.nps_interval(3, 1, 1)
    assert value("nps", day) == Figure(value=40.0, n=5, low=low, high=high)
    assert value("response_rate_pct", day) == Figure(value=90.0, n=10)  # 9 of 10 delivered
    assert value("surveys_closed", day) == Figure(value=1)
    assert value("feedback_link", day) == Figure(value=9, n=9)
    assert value("feedback_portal", day) == Figure(value=0, n=9)


def test_satisfaction_metrics_of_scopes(sworld, answered):  # noqa: F811
    day = answered
    operations = Scope(ScopeKind.DIVISION, "Operations")
    assert value("satisfied_customers_pct", day, operations) == Figure(value=0.0, n=1)
    # Four CSAT answers, under the office's minimum: not shown, n kept.
    assert value("csat", day, operations) == Figure(value=None, n=4)
    assert value("nps", day, operations) == Figure(value=None, n=0)
    assert value("response_rate_pct", day, operations) == Figure(value=80.0, n=5)
    finance = Scope(ScopeKind.CUSTOMER, str(sworld.customer.pk))
    assert value("csat", day, finance).value == 80.0
    assert value("surveys_closed", day, finance).value == 1
    nobody = Scope(ScopeKind.DIVISION, "Nowhere")
    assert value("surveys_closed", day, nobody).value == 0
    mine = Scope(ScopeKind.RM, str(sworld.other_rm.pk))
    assert value("feedback_link", day, mine) == Figure(value=4, n=4)
