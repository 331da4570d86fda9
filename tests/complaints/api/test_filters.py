"""Filtering the complaints list: customer, status, severity, level, breached, received between;
a value the schema does not allow is a 400 naming the parameter."""

from datetime import timedelta

import pytest

from complaints import services
from complaints.models import Complaint
from tests.complaints.api.conftest import COMPLAINTS
from tests.complaints.conftest import local, receive, working
from tests.factories import CustomerFactory
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def several(tenant_a, world, clock):
    """Four complaints received on office days in March 2027 (Monday 1 to Friday 5)."""
    clock.set(local(2027, 3, 8, 10))
    with in_tenant(tenant_a):
        other = CustomerFactory(tenant=tenant_a, relationship_manager=world.rm, name="Sales")
        made = {
            "critical": receive(world, severity="critical", received_at=local(2027, 3, 1, 9)),
            "low": receive(world, severity="low", received_at=local(2027, 3, 2, 23, 30)),
            "sales": receive(
                world,
                customer=other,
                raiser_contact=None,
                raiser_name="Sam Sales",
                raiser_email="sam@sales.example",
                received_at=local(2027, 3, 4, 11),
            ),
            "high": receive(world, severity="high", received_at=local(2027, 3, 5, 16)),
        }
        working(world, made["high"])
        services.complaint_escalate(complaint=made["high"], actor=world.rm, note="Board asks.")
        Complaint.objects.filter(pk=made["low"].pk).update(resolve_breached=True)
    made["other_customer"] = other
    return made


def _refs(api, **params):
    return sorted(row["reference"] for row in api.get(COMPLAINTS, params).json()["results"])


def _ref(*complaints):
    return sorted(c.reference for c in complaints)


def test_filtered_by_customer(api, world, several):
    assert _refs(api, customer=several["other_customer"].pk) == _ref(several["sales"])
    assert len(_refs(api, customer=world.customer.pk)) == 3


def test_filtered_by_status_severity_and_level(api, several):
    assert _refs(api, status="acknowledged") == _ref(several["high"])
    assert _refs(api, severity="low") == _ref(several["low"])
    assert _refs(api, level=2) == _ref(several["high"])
    assert len(_refs(api, level=1)) == 3


def test_filtered_by_breached(api, several):
    assert _refs(api, breached="true") == _ref(several["low"])
    assert len(_refs(api, breached="false")) == 3


def test_filtered_by_office_dates_received_both_included(api, several):
    # 23:30 on Tuesday 2 March in Amsterdam is Tuesday in the office, whatever UTC says.
    received = _refs(api, received_from="2027-03-02", received_to="2027-03-04")
    assert received == _ref(several["low"], several["sales"])
    assert _refs(api, received_to="2027-03-01") == _ref(several["critical"])
    assert _refs(api, received_from="2027-03-05") == _ref(several["high"])


def test_ordered_by_the_resolve_target(api, several):
    rows = api.get(COMPLAINTS, {"ordering": "resolve_due"}).json()["results"]
    dues = [row["resolve_due_at"] for row in rows]
    assert dues == sorted(dues)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "lost"),
        ("status", ""),
        ("severity", "urgent"),
        ("level", "4"),
        ("level", "1.0"),
        ("breached", "maybe"),
        ("customer", "0"),
        ("customer", str(2**63)),
        ("received_from", "2027-02-30"),
        ("received_to", ""),
        ("ordering", "received,"),
        ("ordering", "owner"),
    ],
)
def test_a_filter_value_the_schema_does_not_allow_is_a_400_naming_it(api, name, value):
    response = api.get(COMPLAINTS, {name: value})
    assert response.status_code == 400
    assert name in response.json()["error"]["fields"]


def test_dates_far_in_the_past_or_future_filter_without_error(api, several):
    assert _refs(api, received_from="0001-01-01", received_to="9999-12-31") == sorted(
        c.reference for k, c in several.items() if k != "other_customer"
    )
    assert (
        api.get(
            COMPLAINTS, {"received_from": (local(2027, 3, 8, 0) + timedelta(days=1)).date()}
        ).json()["count"]
        == 0
    )
