"""/api/v1/meetings/: one-offs created and moved through the services, cancelled with an
action, read with their attendees, agenda and minutes; the calendar file from the invitations'
writer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import invitations
from meetings.models import Meeting
from tests.kit import api_client, in_tenant
from tests.meetings.builders import held, one_off
from tests.meetings.conftest import monthly_review

pytestmark = pytest.mark.django_db


def _iso(moment):
    return moment.isoformat()


def _one_off_body(world, **overrides):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=3)
    body = {
        "customer": world.customer.pk,
        "kind": "escalation",
        "title": "Outage follow-up",
        "starts_at": _iso(starts),
        "ends_at": _iso(starts + timedelta(hours=1)),
        "organiser": world.rm.pk,
        "contacts": [world.bea.pk],
        "members": [world.rm.pk, world.it_manager.pk],
        "agenda_template": "What happened\nWhat we change",
    }
    body.update(overrides)
    return body


def test_a_one_off_is_created_with_its_invitations_and_agenda(tenant_a, mworld):
    response = api_client(tenant_a).post("/api/v1/meetings/", _one_off_body(mworld), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned" and body["sequence"] == 0
    assert sorted(a["name"] for a in body["attendees"])[0] == "Bea Budget"
    assert len(body["attendees"]) == 3
    titles = [item["title"] for item in body["agenda"]]
    assert titles[:2] == ["What happened", "What we change"]
    assert body["minutes"] is None


def test_a_meeting_is_read_with_attendees_agenda_and_minutes(tenant_a, mworld):
    meeting = held(mworld, summary="All green.")
    body = api_client(tenant_a, "read").get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["status"] == "held"
    assert body["minutes"]["status"] == "published"
    assert body["minutes"]["summary"] == "All green."
    assert body["agenda"][0]["minutes"] == "Item notes: All green."
    assert body["attendees"][0]["attendance"] == "unknown"


def test_a_cadence_meeting_cannot_be_made_by_hand(tenant_a, mworld):
    body = _one_off_body(mworld, kind="cadence")
    response = api_client(tenant_a).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_a_one_off_is_not_turned_into_a_cadence_meeting(tenant_a, mworld):
    meeting = one_off(mworld)
    response = api_client(tenant_a).patch(
        f"/api/v1/meetings/{meeting.pk}/", {"kind": "cadence"}, format="json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]
    assert in_tenant(tenant_a, lambda: Meeting.objects.get(pk=meeting.pk).kind) == "escalation"


def test_a_cadence_meeting_may_send_its_kind_back_unchanged(tenant_a, mworld):
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=timezone.localdate() + timedelta(days=1))
        meeting = Meeting.objects.filter(cadence=cadence).first()
    response = api_client(tenant_a).patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"kind": "cadence", "location": "Room 4"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["location"] == "Room 4"


def test_a_meeting_ending_before_it_starts_is_a_400_naming_the_end(tenant_a, mworld):
    starts = timezone.now() + timedelta(days=2)
    body = _one_off_body(mworld, starts_at=_iso(starts), ends_at=_iso(starts - timedelta(hours=1)))
    response = api_client(tenant_a).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["ends_at"] == ["A meeting ends after it starts."]


def test_moving_a_meeting_raises_its_sequence(tenant_a, mworld):
    meeting = one_off(mworld)
    later = meeting.starts_at + timedelta(days=1)
    response = api_client(tenant_a).patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"starts_at": _iso(later), "ends_at": _iso(later + timedelta(hours=1))},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["sequence"] == 1
    assert in_tenant(tenant_a, lambda: Meeting.objects.get(pk=meeting.pk).starts_at) == later


def test_a_held_meeting_is_not_moved(tenant_a, mworld):
    meeting = held(mworld)
    later = meeting.starts_at + timedelta(days=1)
    response = api_client(tenant_a).patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"starts_at": _iso(later), "ends_at": _iso(later + timedelta(hours=1))},
        format="json",
    )
    assert response.status_code == 400
    assert "A held meeting cannot be moved." in str(response.json()["error"]["fields"])


def test_cancelling_calls_the_meeting_off_once(tenant_a, mworld):
    meeting = one_off(mworld)
    api = api_client(tenant_a)
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "Budget moved"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Budget moved"
    again = api.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"] == [
        "Only a planned meeting can be cancelled."
    ]


def test_a_read_key_cannot_cancel(tenant_a, mworld):
    meeting = one_off(mworld)
    response = api_client(tenant_a, "read").post(f"/api/v1/meetings/{meeting.pk}/cancel/")
    assert response.status_code == 403


def test_the_calendar_file_of_a_meeting_is_text_calendar(tenant_a, mworld):
    meeting = one_off(mworld)
    response = api_client(tenant_a, "read").get(f"/api/v1/meetings/{meeting.pk}/ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    assert "BEGIN:VCALENDAR" in text and "Budget escalation" in text
    assert f"UID:{invitations.meeting_uid(meeting)}" in text.replace("\r\n ", "")
