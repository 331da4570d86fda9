"""/api/v1/cadences/: made and changed through the services, so the rules and the planning of
occurrences are the same as on the pages; a refused value is a 400 naming the field."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from meetings.models import Cadence, Meeting
from tests.kit import api_client, in_tenant, make_member
from tests.meetings.conftest import monthly_review

pytestmark = pytest.mark.django_db


def _body(world, **overrides):
    data = {
        "customer": world.customer.pk,
        "meeting_type": "service_review",
        "name": "Monthly service review",
        "frequency": "monthly",
        "weekday": 1,
        "week_of_month": 2,
        "starts_on": str(timezone.now().date() + timedelta(days=1)),
        "time_of_day": "10:00",
        "duration_minutes": 60,
        "organiser": world.rm.pk,
        "contacts": [world.bea.pk],
        "members": [world.rm.pk],
    }
    data.update(overrides)
    return data


def test_a_cadence_made_through_the_api_plans_its_meetings(tenant_a, mworld):
    api = api_client(tenant_a)
    response = api.post("/api/v1/cadences/", _body(mworld), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {a["contact"] for a in body["attendees"]} == {mworld.bea.pk, None}
    assert body["planned_until"] is not None
    planned = in_tenant(tenant_a, lambda: Meeting.objects.filter(cadence_id=body["id"]).count())
    assert planned >= 3  # a monthly meeting over the 120 days ahead


def test_a_weekly_cadence_on_a_day_of_the_month_is_refused_naming_the_field(tenant_a, mworld):
    body = _body(mworld, frequency="weekly", weekday=None, week_of_month=None, month_day=10)
    response = api_client(tenant_a).post("/api/v1/cadences/", body, format="json")
    assert response.status_code == 400
    assert "frequency" in response.json()["error"]["fields"]


def test_an_analyst_cannot_organise_a_cadence(tenant_a, mworld):
    analyst = make_member(tenant_a, Role.ANALYST)
    body = _body(mworld, organiser=analyst.pk)
    response = api_client(tenant_a).post("/api/v1/cadences/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["organiser"] == [
        "The organiser is a staff member who writes."
    ]


def test_a_contact_of_another_customer_is_refused_as_an_attendee(tenant_a, mworld):
    from tests.factories import ContactFactory, CustomerFactory

    other = CustomerFactory(tenant=tenant_a, relationship_manager=mworld.rm, name="Sales")
    sam = ContactFactory(customer=other, name="Sam")
    response = api_client(tenant_a).post(
        "/api/v1/cadences/", _body(mworld, contacts=[sam.pk]), format="json"
    )
    assert response.status_code == 400
    assert "contacts" in response.json()["error"]["fields"]


def test_a_first_day_far_outside_the_calendar_is_a_400(tenant_a, mworld):
    response = api_client(tenant_a).post(
        "/api/v1/cadences/", _body(mworld, starts_on="0001-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "starts_on" in response.json()["error"]["fields"]


def test_changing_the_time_moves_the_future_planned_meetings(tenant_a, mworld):
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=date.today() + timedelta(days=1))
    response = api_client(tenant_a).patch(
        f"/api/v1/cadences/{cadence.pk}/", {"time_of_day": "14:30"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["time_of_day"] == "14:30"
    with in_tenant(tenant_a):
        zone = tenant_a.zone
        starts = [
            timezone.localtime(m.starts_at, zone).time()
            for m in Meeting.objects.filter(cadence=cadence, status=Meeting.Status.PLANNED)
        ]
    assert starts and set(starts) == {time(14, 30)}


def test_pausing_through_the_api_cancels_the_future_meetings(tenant_a, mworld):
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=date.today() + timedelta(days=1))
    response = api_client(tenant_a).patch(
        f"/api/v1/cadences/{cadence.pk}/", {"status": "paused"}, format="json"
    )
    assert response.status_code == 200
    with in_tenant(tenant_a):
        assert Cadence.objects.get(pk=cadence.pk).status == Cadence.Status.PAUSED
        statuses = set(Meeting.objects.filter(cadence=cadence).values_list("status", flat=True))
    assert statuses == {Meeting.Status.CANCELLED}


def test_the_default_attendees_are_replaced_as_a_whole_list(tenant_a, mworld):
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=date.today() + timedelta(days=1))
    response = api_client(tenant_a).patch(
        f"/api/v1/cadences/{cadence.pk}/", {"contacts": [mworld.lina.pk]}, format="json"
    )
    assert response.status_code == 200
    contacts = {a["contact"] for a in response.json()["attendees"] if a["contact"]}
    assert contacts == {mworld.lina.pk}
