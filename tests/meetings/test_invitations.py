"""A meeting's invitations are iTIP emails through the outbox: a REQUEST to each attendee while
it is planned, a CANCEL to everyone when it is called off and to a removed attendee alone, each
(meeting, SEQUENCE, attendee, method) once; the files read back alike with icalendar and ical."""

from datetime import datetime, time, timedelta
from email import message_from_bytes
from email.message import Message
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_deliver
from meetings import invitations, services
from meetings.models import Attendee, Meeting
from tests.calendar.builders import read_ical, read_icalendar
from tests.factories import ContactFactory

pytestmark = pytest.mark.usefixtures("as_tenant_a")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _next_tuesday_at_ten() -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    day += timedelta(days=(1 - day.weekday()) % 7)
    return datetime.combine(day, time(10), tzinfo=AMSTERDAM)


def _meeting(world, *, contacts=None, members=None, **overrides) -> Meeting:
    start = _next_tuesday_at_ten()
    data = {
        "customer": world.customer,
        "title": "Escalation: payroll run",
        "kind": "escalation",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "location": "Room 4.12",
        "online_url": "https://meet.example.test/payroll",
        "organiser": world.rm,
    }
    data.update(overrides)
    return services.meeting_create(
        actor=world.rm.user,
        contacts=[world.bea, world.carl] if contacts is None else contacts,
        members=[world.rm, world.it_manager] if members is None else members,
        agenda_template="Where the run stands\nWhat we decide",
        **data,
    )


def _queued(method: str | None = None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(key__startswith="meeting-").order_by("pk")
    return [m for m in rows if method is None or m.key.endswith(f":{method.lower()}")]


def _to(method: str | None = None) -> list[str]:
    return sorted(m.to[0] for m in _queued(method))


def _send(row: OutboxMessage, tenant) -> Message:
    assert outbox_deliver(tenant_id=tenant.pk, message_id=row.pk) == "sent"
    return message_from_bytes(mail.outbox[-1].message().as_bytes())


def _calendar_of(email: Message) -> bytes:
    alternative, _attachment = email.get_payload()
    return alternative.get_payload()[2].get_payload(decode=True)


def _mail_to(address: str) -> OutboxMessage:
    (row,) = [m for m in _queued() if m.to == [address]][-1:]
    return row


def _shape(part: Message):
    if part.is_multipart():
        return (part.get_content_type(), [_shape(p) for p in part.get_payload()])
    return part.get_content_type()


def test_a_new_meeting_sends_each_attendee_but_the_organiser_one_request(mworld):
    _meeting(mworld)

    assert _to("REQUEST") == sorted(
        [mworld.bea.email, mworld.carl.email, mworld.it_manager.user.email]
    )
    assert _queued("CANCEL") == []
    assert set(Attendee.objects.values_list("sent_sequence", flat=True)) == {0, None}  # the RM


def test_the_invitation_is_mixed_alternative_text_html_calendar_plus_the_ics(mworld, tenant_a):
    _meeting(mworld)

    email = _send(_mail_to(mworld.bea.email), tenant_a)

    assert _shape(email) == (
        "multipart/mixed",
        [
            ("multipart/alternative", ["text/plain", "text/html", "text/calendar"]),
            "application/ics",
        ],
    )
    alternative, attachment = email.get_payload()
    calendar = alternative.get_payload()[2]
    assert calendar.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True).replace(b"\r\n", b"\n") == calendar.get_payload(
        decode=True
    )
    assert email["Reply-To"] == mworld.rm.user.email
    assert email["To"] == mworld.bea.email


def test_every_property_reads_back_alike_with_icalendar_and_ical(mworld, tenant_a):
    meeting = _meeting(mworld)
    data = _calendar_of(_send(_mail_to(mworld.bea.email), tenant_a))

    parsed = read_icalendar(data)
    (event,) = parsed.events
    uid = f"meeting-{meeting.pk}@office-{tenant_a.pk}.{settings.BRM_CALENDAR_DOMAIN}"
    assert str(parsed["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert [tz.tz_name for tz in parsed.timezones] == ["Europe/Amsterdam"]
    assert str(event["ORGANIZER"]) == f"mailto:{mworld.rm.user.email}"
    attendees = {str(a): a.params for a in event["ATTENDEE"]}
    assert set(attendees) == {
        f"mailto:{e}"
        for e in (mworld.rm.user.email, mworld.bea.email, mworld.carl.email)
        + (mworld.it_manager.user.email,)
    }
    assert attendees[f"mailto:{mworld.rm.user.email}"]["ROLE"] == "CHAIR"
    assert attendees[f"mailto:{mworld.bea.email}"]["PARTSTAT"] == "NEEDS-ACTION"
    assert str(event["LOCATION"]) == "Room 4.12"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "1. Where the run stands" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTAMP") <= timezone.now()

    other = read_ical(data)
    (same,) = other.events
    assert other.method == "REQUEST"
    assert (same.uid, same.sequence, same.summary) == (uid, 0, "Escalation: payroll run")
    assert same.dtstart == meeting.starts_at and same.dtend == meeting.ends_at
    assert same.dtstart.astimezone(AMSTERDAM).time() == time(10)
    assert same.organizer.uri == f"mailto:{mworld.rm.user.email}"
    assert {a.uri for a in same.attendees} == set(attendees)
    assert same.location == "Room 4.12"
    assert "1. Where the run stands" in same.description
    assert [tz.tz_id for tz in other.timezones] == ["Europe/Amsterdam"]


def test_moving_the_meeting_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    mworld, tenant_a
):
    meeting = _meeting(mworld)
    first = read_ical(_calendar_of(_send(_mail_to(mworld.bea.email), tenant_a))).events[0]

    services.meeting_update(
        meeting=meeting,
        actor=mworld.rm.user,
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.ends_at + timedelta(hours=2),
    )

    rows = [m for m in _queued("REQUEST") if m.to == [mworld.bea.email]]
    assert [r.key.split(":")[1] for r in rows] == ["seq-0", "seq-1"]
    assert rows[1].subject.startswith("Updated invitation: ")
    moved = read_ical(_calendar_of(_send(rows[1], tenant_a))).events[0]
    assert moved.uid == first.uid
    assert moved.sequence == first.sequence + 1 == 1
    assert moved.dtstart.astimezone(AMSTERDAM).time() == time(12)
    assert set(Attendee.objects.values_list("sent_sequence", flat=True)) == {1, None}


def test_cancelling_sends_cancel_to_everyone_still_invited_at_a_higher_sequence(mworld, tenant_a):
    meeting = _meeting(mworld)
    services.meeting_cancel(meeting=meeting, actor=mworld.rm.user, reason="Run went fine")

    assert _to("CANCEL") == _to("REQUEST")
    email = _send(_mail_to(mworld.carl.email), tenant_a)
    assert email.get_payload()[1].get_filename() == "cancel.ics"
    cancelled = read_icalendar(_calendar_of(email))
    assert str(cancelled["METHOD"]) == "CANCEL"
    (event,) = cancelled.events
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)
    plain = email.get_payload()[0].get_payload()[0]
    assert "Run went fine" in plain.get_payload(decode=True).decode()
    assert read_ical(_calendar_of(email)).events[0].status == "CANCELLED"


def test_removing_an_attendee_sends_cancel_to_them_alone(mworld, tenant_a):
    meeting = _meeting(mworld)
    carl = meeting.attendees.get(contact=mworld.carl)

    services.attendee_remove(attendee=carl, actor=mworld.rm.user)

    cancels = _queued("CANCEL")
    assert [m.to for m in cancels] == [[mworld.carl.email]]
    event = read_icalendar(_calendar_of(_send(cancels[0], tenant_a))).events[0]
    assert [str(a) for a in event["ATTENDEE"]] == [
        f"mailto:{mworld.rm.user.email}",
        f"mailto:{mworld.carl.email}",
    ]
    assert len(_queued("REQUEST")) == 3  # the others are told nothing new


def test_an_attendee_added_later_gets_the_request_at_the_current_sequence(mworld):
    meeting = _meeting(mworld, contacts=[mworld.bea])
    services.meeting_update(meeting=meeting, actor=mworld.rm.user, location="Room 1.01")

    services.attendees_add(meeting=meeting, actor=mworld.rm.user, contacts=[mworld.lina])

    (lina,) = [m for m in _queued("REQUEST") if m.to == [mworld.lina.email]]
    assert ":seq-1:" in lina.key
    assert not lina.subject.startswith("Updated")
    assert len([m for m in _queued("REQUEST") if m.to == [mworld.bea.email]]) == 2


def test_queueing_again_at_the_same_sequence_sends_nothing_twice(mworld):
    meeting = _meeting(mworld)
    before = len(_queued())

    again = invitations.invitations_queue(meeting)

    assert len(_queued()) == before
    assert again.sent == [] and len(again.already) == 3


def test_an_attendee_without_an_email_is_skipped_and_the_result_says_so(mworld, caplog):
    nobody = ContactFactory(customer=mworld.customer, name="Nora No-Mail", email="")
    meeting = _meeting(mworld, contacts=[mworld.bea, nobody])
    caplog.set_level("INFO", logger="meetings.invitations")

    result = invitations.invitations_queue(meeting)

    assert ("Nora No-Mail", "no email address") in [(a.name, r) for a, r in result.skipped]
    assert [a.member_id for a, r in result.skipped if r == "the organiser"] == [mworld.rm.pk]
    assert "Nora No-Mail" in caplog.text and "no email address" in caplog.text
    assert "" not in _to()


def test_staff_get_the_staff_page_portal_users_the_portal_page_and_others_no_link(mworld):
    meeting = _meeting(mworld)
    slug = meeting.tenant.slug
    staff_link = f"{settings.BRM_BASE_URL}/t/{slug}/meetings/{meeting.pk}/"
    portal_link = f"{settings.BRM_BASE_URL}/t/{slug}/portal/meetings/{meeting.pk}/"

    texts = {m.to[0]: m.text + m.html + m.alternatives[0]["content"] for m in _queued()}

    assert staff_link in texts[mworld.it_manager.user.email]
    assert portal_link not in texts[mworld.it_manager.user.email]
    assert portal_link in texts[mworld.bea.email]  # a customer login
    assert staff_link not in texts[mworld.bea.email]
    assert "/meetings/" not in texts[mworld.carl.email]  # no login: nothing to open


def test_the_email_says_what_when_in_the_office_zone_where_the_agenda_and_who_invited(mworld):
    _meeting(mworld)

    row = _mail_to(mworld.bea.email)

    assert row.subject.startswith("Invitation: Escalation: payroll run (")
    for body in (row.text, row.html):
        assert "10:00–11:00 (Europe/Amsterdam, CE" in body  # CET or CEST, by the date
        assert "Room 4.12" in body
        assert "https://meet.example.test/payroll" in body
        assert "Where the run stands" in body and "What we decide" in body
        assert mworld.rm.user.get_full_name() in body
        assert mworld.customer.name in body
    assert "&amp;" not in row.text


def test_a_meeting_planned_by_a_cadence_sends_one_request_per_attendee(mworld):
    cadence = services.cadence_create(
        actor=mworld.rm.user,
        contacts=[mworld.bea, mworld.carl],
        members=[mworld.rm, mworld.it_manager],
        customer=mworld.customer,
        meeting_type="service_review",
        name="Monthly service review",
        frequency="monthly",
        weekday=1,
        week_of_month=2,
        starts_on=timezone.localdate() + timedelta(days=1),
        time_of_day=time(10),
        duration_minutes=60,
        organiser=mworld.rm,
    )
    meetings = list(cadence.meetings.all())
    assert meetings

    for meeting in meetings:
        keys = [m.key for m in _queued("REQUEST") if m.key.startswith(f"meeting-{meeting.pk}:")]
        assert len(keys) == len(set(keys)) == 3
    services.cadence_plan(cadence)
    assert len(_queued("REQUEST")) == 3 * len(meetings)


def test_meeting_ics_is_a_publish_file_with_the_invitations_uid_and_sequence(mworld):
    meeting = _meeting(mworld)
    services.meeting_cancel(meeting=meeting, actor=mworld.rm.user)

    data = invitations.meeting_ics(meeting)

    parsed = read_icalendar(data)
    (event,) = parsed.events
    assert str(parsed["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == invitations.meeting_uid(meeting)
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CANCELLED")
    assert "ATTENDEE" not in event
    assert read_ical(data).events[0].uid == invitations.meeting_uid(meeting)


def test_an_attendee_with_an_address_calendars_refuse_is_skipped_not_an_error(mworld):
    meeting = _meeting(mworld, contacts=[mworld.bea])
    Attendee.objects.filter(meeting=meeting, contact=mworld.bea).update(email="bea at finance")

    result = services.meeting_update(meeting=meeting, actor=mworld.rm.user, location="Room 2")

    assert result.sequence == 1
    assert [m.to for m in _queued("REQUEST") if ":seq-1:" in m.key] == [
        [mworld.it_manager.user.email]
    ]
    skipped = invitations.invitations_queue(meeting).skipped
    assert ("bea at finance", "not a valid email address") in [(a.email, r) for a, r in skipped]


def test_a_removed_attendee_invited_again_gets_a_request_at_a_higher_sequence(mworld):
    start = timezone.now() + timedelta(days=3)
    meeting = services.meeting_create(
        actor=mworld.rm.user,
        customer=mworld.customer,
        title="Escalation",
        kind="escalation",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        organiser=mworld.rm,
        contacts=[mworld.bea],
    )
    bea = meeting.attendees.get(contact=mworld.bea)
    services.attendee_remove(attendee=bea, actor=mworld.rm.user)
    services.attendees_add(meeting=meeting, actor=mworld.rm.user, contacts=[mworld.bea])
    meeting.refresh_from_db()
    keys = set(OutboxMessage.objects.filter(to=[mworld.bea.email]).values_list("key", flat=True))
    assert meeting.sequence == 1
    assert f"meeting-{meeting.pk}:seq-0:attendee-{bea.pk}:cancel" in keys
    assert f"meeting-{meeting.pk}:seq-1:attendee-{bea.pk}:request" in keys
