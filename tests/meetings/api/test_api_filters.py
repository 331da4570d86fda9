"""Filtering the meetings API: by customer, status, organiser, and by days of the office's
calendar; a value the schema does not allow is a 400 naming the parameter."""

from datetime import date, datetime, time, timedelta

import pytest

from brm.tenancy.models import Role
from meetings import services
from tests.factories import CustomerFactory
from tests.kit import api_client, in_tenant, make_member
from tests.meetings.builders import business_decision, held, it_decision, one_off
from tests.meetings.conftest import monthly_review

pytestmark = pytest.mark.django_db


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_meetings_filter_by_customer_status_and_organiser(tenant_a, mworld):
    planned = one_off(mworld)
    was_held = held(mworld)
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm2@example.test")
    sales = CustomerFactory(tenant=tenant_a, name="Sales", relationship_manager=other_rm)
    with in_tenant(tenant_a):
        starts = planned.starts_at
        theirs = services.meeting_create(
            actor=other_rm.user,
            customer=sales,
            title="Sales review",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            organiser=other_rm,
        )
    api = api_client(tenant_a, "read")
    assert _ids(api.get(f"/api/v1/meetings/?customer={mworld.customer.pk}")) == {
        planned.pk,
        was_held.pk,
    }
    assert _ids(api.get("/api/v1/meetings/?status=held")) == {was_held.pk}
    assert _ids(api.get(f"/api/v1/meetings/?organiser={other_rm.pk}")) == {theirs.pk}
    assert _ids(api.get("/api/v1/meetings/?kind=escalation&status=planned")) == {planned.pk}


def test_meetings_filter_by_days_of_the_office_calendar(tenant_a, mworld):
    """Amsterdam is an hour ahead of UTC in winter: a meeting at 00:30 local time on the 10th
    starts on the 9th in UTC, and belongs to the 10th."""
    zone = tenant_a.zone
    day = datetime(2031, 1, 10).date()
    at_half_past_midnight = datetime.combine(day, time(0, 30), tzinfo=zone)
    early = one_off(mworld, title="Early")
    with in_tenant(tenant_a):
        services.meeting_update(
            meeting=early,
            actor=mworld.rm.user,
            starts_at=at_half_past_midnight,
            ends_at=at_half_past_midnight + timedelta(hours=1),
        )
    api = api_client(tenant_a, "read")
    assert _ids(api.get("/api/v1/meetings/?starts_after=2031-01-10")) == {early.pk}
    assert early.pk not in _ids(api.get("/api/v1/meetings/?starts_before=2031-01-10"))
    assert early.pk in _ids(api.get("/api/v1/meetings/?starts_before=2031-01-11"))
    assert early.pk not in _ids(api.get("/api/v1/meetings/?starts_after=2031-01-11"))


def test_far_away_days_filter_without_a_server_error(tenant_a, mworld):
    one_off(mworld)
    api = api_client(tenant_a, "read")
    assert _ids(api.get("/api/v1/meetings/?starts_after=0001-01-01")) != set()
    assert _ids(api.get("/api/v1/meetings/?starts_before=9999-12-31")) != set()


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("starts_after=yesterday", "starts_after"),
        ("starts_before=2031-02-30", "starts_before"),
        ("status=maybe", "status"),
        ("customer=0", "customer"),
        ("organiser=1.0", "organiser"),
        ("starts_after=", "starts_after"),
        ("ordering=,starts_at", "ordering"),
    ],
)
def test_a_malformed_meeting_filter_is_a_400_naming_it(tenant_a, query, parameter):
    response = api_client(tenant_a, "read").get(f"/api/v1/meetings/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()["error"]["fields"]


def test_decisions_filter_by_status_customer_organiser_and_day(tenant_a, mworld):
    meeting = one_off(mworld)
    in_meeting = business_decision(mworld, meeting)
    log_only = it_decision(mworld)
    api = api_client(tenant_a, "read")
    assert _ids(api.get("/api/v1/decisions/?kind=it")) == {log_only.pk}
    assert _ids(api.get(f"/api/v1/decisions/?organiser={mworld.rm.pk}")) == {in_meeting.pk}
    assert _ids(api.get(f"/api/v1/decisions/?meeting={meeting.pk}")) == {in_meeting.pk}
    assert _ids(api.get(f"/api/v1/decisions/?customer={mworld.customer.pk}&status=proposed")) == {
        in_meeting.pk,
        log_only.pk,
    }
    assert _ids(api.get("/api/v1/decisions/?status=approved")) == set()
    assert _ids(api.get("/api/v1/decisions/?created_before=2000-01-01")) == set()
    assert len(_ids(api.get("/api/v1/decisions/?created_after=2000-01-01"))) == 2
    response = api.get("/api/v1/decisions/?created_after=soon")
    assert response.status_code == 400
    assert "created_after" in response.json()["error"]["fields"]


def test_cadences_filter_by_status_and_organiser(tenant_a, mworld):
    with in_tenant(tenant_a):
        active = monthly_review(mworld, starts_on=date.today() + timedelta(days=1))
        paused = monthly_review(
            mworld, starts_on=date.today() + timedelta(days=1), name="Quarterly", plan=False
        )
        services.cadence_pause(cadence=paused, actor=mworld.rm.user)
    api = api_client(tenant_a, "read")
    assert _ids(api.get("/api/v1/cadences/?status=active")) == {active.pk}
    assert _ids(api.get(f"/api/v1/cadences/?organiser={mworld.rm.pk}")) == {active.pk, paused.pk}
    assert _ids(api.get(f"/api/v1/cadences/?customer={mworld.customer.pk}&status=paused")) == {
        paused.pk
    }
