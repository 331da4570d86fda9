"""A feed a calendar subscribes to: METHOD:PUBLISH, every event, its name, no attendees."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from brm.calendar.ics import feed_bytes

from .builders import AFTER_DST, BEFORE_DST, an_event, read_ical, read_icalendar, vtimezone_offsets

NEW_YORK = ZoneInfo("America/New_York")


def _events():
    return [
        an_event(),
        an_event(
            uid="meeting-43@office-7.brm.example.test",
            summary="Quarterly initiative review",
            starts_at=AFTER_DST,
            ends_at=AFTER_DST + timedelta(hours=2),
        ),
    ]


def test_a_feed_publishes_every_event_under_the_calendars_name():
    data = feed_bytes(_events(), name="Finance: meetings")

    calendar = read_icalendar(data)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Finance: meetings"
    assert calendar.calendar_name == "Finance: meetings"
    assert [str(e["UID"]) for e in calendar.events] == [
        "meeting-42@office-7.brm.example.test",
        "meeting-43@office-7.brm.example.test",
    ]
    parsed = read_ical(data)
    assert parsed.method == "PUBLISH" and parsed.name == ["Finance: meetings"]
    assert [e.summary for e in parsed.events] == [
        "Monthly service review",
        "Quarterly initiative review",
    ]
    assert parsed.refresh_interval == timedelta(hours=1)
    assert b"X-PUBLISHED-TTL:PT1H" in data


def test_a_feed_keeps_the_organizer_but_hands_out_no_attendee_addresses():
    data = feed_bytes(_events(), name="Meetings")

    assert b"ATTENDEE" not in data
    assert all(not e.attendees for e in read_ical(data).events)
    assert {str(e["ORGANIZER"]) for e in read_icalendar(data).events} == {
        "mailto:rita@office.example.test"
    }


def test_one_vtimezone_serves_events_on_both_sides_of_summer_time():
    data = feed_bytes(_events(), name="Meetings")

    assert [tz.tz_name for tz in read_icalendar(data).timezones] == ["Europe/Amsterdam"]
    offsets = vtimezone_offsets(
        data, "Europe/Amsterdam", BEFORE_DST.replace(tzinfo=None), AFTER_DST.replace(tzinfo=None)
    )
    assert offsets["icalendar"] == offsets["ical"] == [timedelta(hours=1), timedelta(hours=2)]


def test_events_in_two_zones_get_a_vtimezone_each():
    new_york = an_event(
        uid="window-9@office-7.brm.example.test",
        time_zone="America/New_York",
        starts_at=AFTER_DST,
        ends_at=AFTER_DST + timedelta(hours=1),
    )

    data = feed_bytes([an_event(), new_york], name="Meetings")

    assert sorted(tz.tz_name for tz in read_icalendar(data).timezones) == [
        "America/New_York",
        "Europe/Amsterdam",
    ]
    assert b"DTSTART;TZID=America/New_York:20270405T040000" in data
    local = AFTER_DST.astimezone(NEW_YORK).replace(tzinfo=None)  # 04:00 there
    (eastern,) = vtimezone_offsets(data, "America/New_York", local)["ical"]
    assert eastern == AFTER_DST.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-4)


def test_an_empty_feed_is_still_a_calendar():
    data = feed_bytes([], name="Meetings")

    assert read_ical(data).events == [] and str(read_icalendar(data)["VERSION"]) == "2.0"
