"""Events to write, and both parsers to read them back: `icalendar` (which wrote them) and
`ical`, an independent implementation, so a file one library merely round-trips is not enough."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo

from brm.calendar.ics import Attendee, CalendarEvent, Person

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# 2027: summer time starts on Sunday 28 March; 10:00 local is 09:00 UTC before, 08:00 after.
BEFORE_DST = datetime(2027, 3, 22, 10, 0, tzinfo=AMSTERDAM)
AFTER_DST = datetime(2027, 4, 5, 10, 0, tzinfo=AMSTERDAM)

ORGANIZER = Person("Rita Relationship, RM", "rita@office.example.test")
ADA = Attendee("Ada Lovelace", "ada@finance.example.test")
GRACE = Attendee("Grace Hopper", "grace@finance.example.test", role="OPT-PARTICIPANT")


def an_event(**changes) -> CalendarEvent:
    event = CalendarEvent(
        uid="meeting-42@office-7.brm.example.test",
        sequence=0,
        summary="Monthly service review",
        description="Agenda: incidents; the SLA report, and what's next.",
        location="Room 4.12",
        url="https://meet.example.test/rev-42",
        starts_at=BEFORE_DST,
        ends_at=BEFORE_DST + timedelta(hours=1),
        time_zone="Europe/Amsterdam",
        status="CONFIRMED",
        organizer=ORGANIZER,
        attendees=[ADA, GRACE],
        categories=["Service review"],
        created=datetime(2027, 3, 1, 8, 30, tzinfo=UTC),
        last_modified=datetime(2027, 3, 2, 9, 15, tzinfo=UTC),
    )
    return replace(event, **changes)


def read_icalendar(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def read_ical(data: bytes) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(data.decode())


def vtimezone_offsets(data: bytes, tzid: str, *local: datetime) -> dict[str, list[timedelta]]:
    """The UTC offset of each naive local time according to the file's own VTIMEZONE, as each
    parser reads it (not the machine's tz database)."""
    (icalendar_tz,) = [tz for tz in read_icalendar(data).timezones if tz.tz_name == tzid]
    (ical_tz,) = [tz for tz in read_ical(data).timezones if tz.tz_id == tzid]
    by_icalendar = icalendar_tz.to_tz(lookup_tzid=False)
    by_ical = IcsTimezoneInfo.from_timezone(ical_tz)
    return {
        "icalendar": [t.replace(tzinfo=by_icalendar).utcoffset() for t in local],
        "ical": [t.replace(tzinfo=by_ical).utcoffset() for t in local],
    }
