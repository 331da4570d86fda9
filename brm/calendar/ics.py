"""iCalendar files written with `icalendar`, never from string templates.

Two kinds of file:
  * an iTIP message (RFC 5546), `calendar_bytes([event], "REQUEST" | "CANCEL")`: the invitation
    and its cancellation, sent by email (brm.calendar.itip);
  * a feed, `feed_bytes(events, name=...)`: METHOD:PUBLISH, the snapshot a calendar subscribes to.

An event keeps one UID for its whole life (`event_uid`) and its area stores the SEQUENCE, raising
it with every change that matters to the attendees (time, place, cancellation): a client replaces
its copy only when the UID matches and the SEQUENCE is not lower. See docs/decisions.md,
"Calendar files and invitations".
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]
Status = Literal["CONFIRMED", "CANCELLED", "TENTATIVE"]
Role = Literal["CHAIR", "REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT"]
PartStat = Literal["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"]

PRODID = "-//BRM Office//Calendar//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")
STATUSES = ("CONFIRMED", "CANCELLED", "TENTATIVE")


@dataclass(frozen=True)
class Person:
    """Someone named in a calendar file: the organiser of an event."""

    name: str
    email: str


@dataclass(frozen=True)
class Attendee:
    """An invitee: by default a required participant whose answer is asked for."""

    name: str
    email: str
    role: Role = "REQ-PARTICIPANT"
    partstat: PartStat = "NEEDS-ACTION"
    rsvp: bool = True


@dataclass(frozen=True)
class CalendarEvent:
    """One event as a calendar client sees it (a meeting occurrence, a maintenance window).

    `starts_at` / `ends_at` are aware datetimes in any zone; the file states them in the office's
    `time_zone` (an IANA name), so a client shows "10:00 Amsterdam time" across daylight saving.
    """

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    organizer: Person
    attendees: Sequence[Attendee] = ()
    description: str = ""
    location: str = ""
    url: str = ""  # the online meeting's link, if any
    status: Status = "CONFIRMED"
    categories: Sequence[str] = ()
    created: datetime | None = None
    last_modified: datetime | None = None
    zone: zoneinfo.ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Tuples, so that a frozen event really is immutable (and hashable).
        object.__setattr__(self, "attendees", tuple(self.attendees))
        object.__setattr__(self, "categories", tuple(self.categories))
        try:
            object.__setattr__(self, "zone", zoneinfo.ZoneInfo(self.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{self.time_zone!r} is not a known time zone") from None
        for name in ("starts_at", "ends_at", "created", "last_modified"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise ValueError(f"{name} must be an aware datetime")
        if self.ends_at <= self.starts_at:
            raise ValueError("an event must end after it starts")
        if self.sequence < 0:
            raise ValueError("SEQUENCE is never negative")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        if not self.uid or not self.summary:
            raise ValueError("an event needs a UID and a summary")
        for person in (self.organizer, *self.attendees):
            try:
                validate_email(person.email)
            except ValidationError:
                raise ValueError(f"{person.email!r} is not an email address") from None


def event_uid(tenant_id: int, kind: str, pk: int | str, domain: str | None = None) -> str:
    """The UID of a record's event, e.g. `meeting-42@office-7.brm.example.org`.

    It never changes for the record: it is built from the office's id (its slug can be renamed)
    and the record's, which keep two offices apart, and the installation's `BRM_CALENDAR_DOMAIN`,
    which keeps two installations apart in one person's calendar.
    """
    domain = domain or settings.BRM_CALENDAR_DOMAIN
    return f"{kind}-{pk}@office-{int(tenant_id)}.{domain}"


def _address(email: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params.update({k: v for k, v in params.items() if v})
    return address


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _vevent(event: CalendarEvent, *, method: Method, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    # In the office's zone: TZID=<zone> and a VTIMEZONE, or "Z" for an office on UTC.
    vevent.add("dtstart", event.starts_at.astimezone(event.zone))
    vevent.add("dtend", event.ends_at.astimezone(event.zone))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    # A cancellation says so whatever the record's own state, so a client cannot keep it.
    vevent.add("status", "CANCELLED" if method == "CANCEL" else event.status)
    if event.categories:
        vevent.add("categories", list(event.categories))
    if event.created:
        vevent.add("created", _utc(event.created))
    if event.last_modified:
        vevent.add("last-modified", _utc(event.last_modified))
    vevent.add("organizer", _address(event.organizer.email, CN=event.organizer.name))
    # RFC 5546 keeps attendees out of PUBLISH; a feed also must not hand out their addresses.
    if method != "PUBLISH":
        for attendee in event.attendees:
            vevent.add(
                "attendee",
                _address(
                    attendee.email,
                    CN=attendee.name,
                    CUTYPE="INDIVIDUAL",
                    ROLE=attendee.role,
                    PARTSTAT=attendee.partstat,
                    RSVP="TRUE" if attendee.rsvp else "FALSE",
                ),
            )
    return vevent


def _check(events: Sequence[CalendarEvent], method: Method) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    if method == "PUBLISH":
        return
    if len({e.uid for e in events}) != 1:
        raise ValueError("an iTIP message carries exactly one event (one UID)")
    if method == "REQUEST" and any(e.status == "CANCELLED" for e in events):
        raise ValueError("a cancelled event is sent with CANCEL, not REQUEST")
    if not all(e.attendees for e in events):
        raise ValueError(f"a {method} names the attendees it is for")


def _calendar(
    events: Sequence[CalendarEvent], method: Method, *, stamp: datetime | None = None
) -> Calendar:
    _check(events, method)
    stamp = _utc(stamp or timezone.now())
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for event in events:
        calendar.add_component(_vevent(event, method=method, stamp=stamp))
    if events:
        # icalendar derives each VTIMEZONE from zoneinfo; only for the years the events touch,
        # so the file stays small (its default, 1970 to 2038, lists 68 onsets an observance).
        first = min(e.starts_at.astimezone(e.zone).date() for e in events)
        last = max(e.ends_at.astimezone(e.zone).date() for e in events)
        calendar.add_missing_timezones(
            first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1)
        )
        missing = calendar.get_missing_tzids()
        if missing:  # a zone the installed tz data lacks: clients would guess the times
            raise ValueError(f"no VTIMEZONE could be made for {', '.join(sorted(missing))}")
        for vtimezone in calendar.timezones:
            _onsets_in_rdate(vtimezone)
    return calendar


def _onsets_in_rdate(vtimezone: Timezone) -> None:
    """List each observance's first onset (its DTSTART) in its RDATE as well.

    icalendar writes an observance as DTSTART plus RDATEs for the later onsets. RFC 5545 counts
    DTSTART as the first onset, and an RDATE equal to it once; but some readers (the `ical`
    library among them) count DTSTART only beside an RRULE and would see no onset at all in a
    one-year file, hence no offset.
    """
    for observance in vtimezone.walk():
        if observance.name not in ("STANDARD", "DAYLIGHT"):
            continue
        later = observance.pop("RDATE", [])
        later = later if isinstance(later, list) else [later]
        onsets = [observance.DTSTART, *(d.dt for dates in later for d in dates.dts)]
        observance.add("rdate", sorted(set(onsets)))


def calendar_bytes(
    events: Sequence[CalendarEvent], method: Method, *, stamp: datetime | None = None
) -> bytes:
    """A VCALENDAR with METHOD `method`, a VTIMEZONE per zone used and a VEVENT per event.

    REQUEST and CANCEL carry one event (RFC 5546: one UID a message); for CANCEL pass the event
    with its raised SEQUENCE and only the attendees concerned (all of them when the event is
    called off, the one removed otherwise). DTSTAMP is `stamp`, by default now, in UTC.
    """
    return _calendar(events, method, stamp=stamp).to_ical()


def feed_bytes(
    events: Sequence[CalendarEvent],
    *,
    name: str,
    refresh: timedelta = timedelta(hours=1),
    stamp: datetime | None = None,
) -> bytes:
    """A subscribable feed: METHOD:PUBLISH, the events without attendees, the calendar's name
    (NAME and X-WR-CALNAME) and how often to fetch it again (REFRESH-INTERVAL and Outlook's
    X-PUBLISHED-TTL). A cancelled event may stay in with STATUS:CANCELLED, or be left out."""
    calendar = _calendar(events, "PUBLISH", stamp=stamp)
    calendar.calendar_name = name  # writes NAME (RFC 7986) and X-WR-CALNAME
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    return calendar.to_ical()
