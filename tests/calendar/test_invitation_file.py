"""An invitation (METHOD:REQUEST) carries every property a calendar client needs, and two
independent parsers read the same values back."""

from datetime import UTC, datetime, timedelta

import pytest

from brm.calendar.ics import calendar_bytes

from .builders import (
    AFTER_DST,
    AMSTERDAM,
    BEFORE_DST,
    an_event,
    read_ical,
    read_icalendar,
    vtimezone_offsets,
)


def test_the_calendar_states_prodid_version_gregorian_scale_and_the_request_method():
    calendar = read_icalendar(calendar_bytes([an_event()], "REQUEST"))

    assert str(calendar["PRODID"]) == "-//BRM Office//Calendar//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "REQUEST"
    parsed = read_ical(calendar_bytes([an_event()], "REQUEST"))
    assert (parsed.method, parsed.calscale, parsed.version) == ("REQUEST", "GREGORIAN", "2.0")


def test_the_event_keeps_its_uid_and_sequence_and_is_stamped_now_in_utc():
    before = datetime.now(UTC).replace(microsecond=0)
    data = calendar_bytes([an_event(sequence=3)], "REQUEST")
    after = datetime.now(UTC)

    (event,) = read_icalendar(data).events
    assert str(event["UID"]) == "meeting-42@office-7.brm.example.test"
    assert event["SEQUENCE"] == 3
    assert b"DTSTAMP:" in data and event.DTSTAMP.tzinfo is not None
    assert event.DTSTAMP.utcoffset() == timedelta(0)
    assert before <= event.DTSTAMP <= after
    (other,) = read_ical(data).events
    assert (other.uid, other.sequence) == ("meeting-42@office-7.brm.example.test", 3)
    assert other.dtstamp.utcoffset() == timedelta(0) and before <= other.dtstamp <= after


def test_start_and_end_are_written_in_the_offices_zone_whatever_zone_they_came_in():
    in_utc = an_event(
        starts_at=BEFORE_DST.astimezone(UTC),
        ends_at=BEFORE_DST.astimezone(UTC) + timedelta(hours=1),
    )
    data = calendar_bytes([in_utc], "REQUEST")

    assert b"DTSTART;TZID=Europe/Amsterdam:20270322T100000" in data
    assert b"DTEND;TZID=Europe/Amsterdam:20270322T110000" in data
    (event,) = read_icalendar(data).events
    assert event.DTSTART == BEFORE_DST and event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    (other,) = read_ical(data).events
    assert other.dtstart == BEFORE_DST and other.dtend == BEFORE_DST + timedelta(hours=1)


@pytest.mark.parametrize(
    ("starts_at", "utc_offset"),
    [(BEFORE_DST, timedelta(hours=1)), (AFTER_DST, timedelta(hours=2))],
    ids=["before-the-last-sunday-of-march", "after-it"],
)
def test_the_files_own_vtimezone_puts_ten_oclock_on_the_right_side_of_summer_time(
    starts_at, utc_offset
):
    data = calendar_bytes(
        [an_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))], "REQUEST"
    )

    (vtimezone,) = read_icalendar(data).timezones
    assert vtimezone.tz_name == "Europe/Amsterdam"
    local = starts_at.replace(tzinfo=None)
    assert vtimezone_offsets(data, "Europe/Amsterdam", local) == {
        "icalendar": [utc_offset],
        "ical": [utc_offset],
    }
    assert (local - utc_offset).hour == (9 if utc_offset == timedelta(hours=1) else 8)


def test_the_vtimezone_covers_the_years_of_the_event_and_no_more():
    data = calendar_bytes([an_event()], "REQUEST")

    (vtimezone,) = read_icalendar(data).timezones
    onsets = [c.DTSTART for c in vtimezone.walk() if c.name in ("STANDARD", "DAYLIGHT")]
    assert {o.year for o in onsets} == {2027}
    # the switch to summer time and back that year, as the tz database has them
    assert datetime(2027, 3, 28, 3, 0) in onsets and datetime(2027, 10, 31, 3, 0) in onsets


def test_summary_description_location_url_status_categories_and_record_times_read_back():
    data = calendar_bytes([an_event()], "REQUEST")

    (event,) = read_icalendar(data).events
    assert str(event["SUMMARY"]) == "Monthly service review"
    assert str(event["DESCRIPTION"]) == "Agenda: incidents; the SLA report, and what's next."
    assert str(event["LOCATION"]) == "Room 4.12"
    assert str(event["URL"]) == "https://meet.example.test/rev-42"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.categories == ["Service review"]
    assert event.DTSTAMP.tzinfo is not None
    assert event["CREATED"].dt == datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2027, 3, 2, 9, 15, tzinfo=UTC)
    (other,) = read_ical(data).events
    assert other.description == "Agenda: incidents; the SLA report, and what's next."
    assert (other.location, other.url, other.status) == (
        "Room 4.12",
        "https://meet.example.test/rev-42",
        "CONFIRMED",
    )
    assert other.categories == ["Service review"]


def test_the_organizer_is_a_mailto_address_with_its_common_name():
    data = calendar_bytes([an_event()], "REQUEST")

    (event,) = read_icalendar(data).events
    assert str(event["ORGANIZER"]) == "mailto:rita@office.example.test"
    assert event["ORGANIZER"].params["CN"] == "Rita Relationship, RM"
    (other,) = read_ical(data).events
    assert other.organizer.uri == "mailto:rita@office.example.test"
    assert other.organizer.common_name == "Rita Relationship, RM"


def test_each_invitee_is_an_individual_asked_to_answer():
    data = calendar_bytes([an_event()], "REQUEST")

    (event,) = read_icalendar(data).events
    attendees = {str(a): dict(a.params) for a in event["ATTENDEE"]}
    assert attendees == {
        "mailto:ada@finance.example.test": {
            "CN": "Ada Lovelace",
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        },
        "mailto:grace@finance.example.test": {
            "CN": "Grace Hopper",
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "OPT-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        },
    }
    (other,) = read_ical(data).events
    assert [
        (a.uri, a.common_name, a.user_type, a.role, a.status, a.rsvp) for a in other.attendees
    ] == [
        (
            "mailto:ada@finance.example.test",
            "Ada Lovelace",
            "INDIVIDUAL",
            "REQ-PARTICIPANT",
            "NEEDS-ACTION",
            True,
        ),
        (
            "mailto:grace@finance.example.test",
            "Grace Hopper",
            "INDIVIDUAL",
            "OPT-PARTICIPANT",
            "NEEDS-ACTION",
            True,
        ),
    ]


def test_an_office_on_utc_writes_utc_times_and_needs_no_vtimezone():
    data = calendar_bytes([an_event(time_zone="UTC")], "REQUEST")

    assert b"DTSTART:20270322T090000Z" in data
    assert read_icalendar(data).timezones == [] and read_ical(data).timezones == []
    (other,) = read_ical(data).events
    assert other.dtstart == BEFORE_DST.astimezone(AMSTERDAM)
