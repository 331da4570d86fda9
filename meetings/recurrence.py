"""A cadence's rule turned into dates and local times (dateutil's rrule, RFC 5545 semantics).

Rules are dates in the office's calendar: every N weeks on a weekday; monthly (every N months)
on a day or on a weekday position such as the second Tuesday or the last Friday; quarterly
(every 3N months) and yearly (every 12N months) the same way. A day past the end of a month (the
31st in April) falls on the month's last day. The time of day is office time: each date is
joined to it in the office's zone and only then turned into UTC, so a 10:00 review stays at
10:00 local across a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
MONTHS_PER = {"monthly": 1, "quarterly": 3, "yearly": 12}


@dataclass(frozen=True)
class Rule:
    frequency: str  # weekly, monthly, quarterly, yearly
    interval: int = 1
    month_day: int | None = None
    weekday: int | None = None  # 0 Monday .. 6 Sunday
    week_of_month: int | None = None  # 1..5, or -1 for the last
    starts_on: date | None = None

    @classmethod
    def of(cls, obj) -> Rule:
        """The rule of a cadence or an engagement row (any object with the rule's fields)."""
        return cls(
            frequency=obj.frequency,
            interval=obj.interval or 1,
            month_day=obj.month_day,
            weekday=obj.weekday,
            week_of_month=obj.week_of_month,
            starts_on=getattr(obj, "starts_on", None),
        )


def _rrule(rule: Rule, start: date) -> rrule.rrule:
    dtstart = datetime.combine(start, time())
    interval = max(1, rule.interval)
    if rule.frequency == "weekly":
        weekday = rule.weekday if rule.weekday is not None else start.weekday()
        return rrule.rrule(
            rrule.WEEKLY, dtstart=dtstart, interval=interval, byweekday=WEEKDAYS[weekday]
        )
    months = MONTHS_PER[rule.frequency] * interval
    if rule.week_of_month is not None and rule.weekday is not None:
        return rrule.rrule(
            rrule.MONTHLY,
            dtstart=dtstart,
            interval=months,
            byweekday=WEEKDAYS[rule.weekday](rule.week_of_month),
        )
    day = rule.month_day or start.day
    if day > 28:
        # The day, or the month's last day when it is shorter: the latest of 28..day it has.
        return rrule.rrule(
            rrule.MONTHLY,
            dtstart=dtstart,
            interval=months,
            bymonthday=tuple(range(28, day + 1)),
            bysetpos=-1,
        )
    return rrule.rrule(rrule.MONTHLY, dtstart=dtstart, interval=months, bymonthday=day)


def occurrence_dates(rule: Rule, *, start: date, until: date) -> list[date]:
    """The rule's dates from `start` (the cadence's first day) to `until`, both inclusive.

    The count of intervals runs from `start`, so every other week stays on the same weeks
    whichever day the planning job looks from.
    """
    if until < start:
        return []
    return [
        d.date()
        for d in _rrule(rule, start).between(
            datetime.combine(start, time()), datetime.combine(until, time()), inc=True
        )
    ]


def next_date_after(rule: Rule, *, start: date, after: date) -> date | None:
    """The first of the rule's dates strictly after `after`."""
    found = _rrule(rule, start).after(
        datetime.combine(max(after, start - timedelta(days=1)), time())
    )
    return found.date() if found else None


def local_datetime(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` office time, as an aware UTC datetime.

    A time that does not exist on that day (inside a spring-forward gap) moves forward by the
    gap, as calendars do; an ambiguous one (autumn) is the first of the two.
    """
    # zoneinfo reads a wall time in the gap with the offset before the change (fold=0), which
    # lands it after the gap, and an ambiguous one as the first of the two.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def occurrences(
    rule: Rule, *, start: date, until: date, at: time, duration: timedelta, zone: ZoneInfo
) -> Iterator[tuple[date, datetime, datetime]]:
    """(date, starts_at UTC, ends_at UTC) for each of the rule's dates up to `until`."""
    for day in occurrence_dates(rule, start=start, until=until):
        starts = local_datetime(day, at, zone)
        yield day, starts, starts + duration


def period_of(rule: Rule, *, start: date, day: date) -> tuple[date, date]:
    """The cadence period an occurrence date opens: from it to the day before the next one."""
    following = next_date_after(rule, start=start, after=day)
    end = (following - timedelta(days=1)) if following else day
    return day, end
