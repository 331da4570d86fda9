"""Business-hours arithmetic: when a target of N business hours falls due, and how much business
time lies between two moments, in an office's working days, hours and holidays.

Pure and typed, on `zoneinfo` alone: no database, no Django. `Calendar` (the value
object) is built by `brm.hours.selectors.office_calendar()` from the office's settings.

Working hours are wall-clock hours in the office's zone: a day from 09:00 to 17:00 is 8 business
hours on every working day, also on the day the clocks change (they change at night, outside
working hours). Inside the arithmetic every moment is read as the office's wall clock; results
are aware datetimes in the office's zone. One span of working hours a day.

Long spans are counted a week at a time (the holidays inside found by bisection), never a minute
at a time; a year-long target costs about sixty steps.

Pauses are the caller's. A complaint's clock that stops while it waits on the raiser is the sum
of `business_time_between(start, stop)` over its running spans; the remaining target from the
moment it runs again is `add_business_time(resumed_at, target - used)`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday is 0
DEFAULT_OPENS = time(9, 0)
DEFAULT_CLOSES = time(17, 0)
ZERO = timedelta(0)
_DAY = timedelta(days=1)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Calendar:
    """An office's working week: its zone, working weekdays (0 Monday ... 6 Sunday), one span of
    working hours a day (`opens` to `closes`, wall clock, closing excluded) and its holidays."""

    zone: ZoneInfo
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    opens: time = DEFAULT_OPENS
    closes: time = DEFAULT_CLOSES
    holidays: frozenset[date] = frozenset()
    # The holidays that fall on a working weekday, sorted, to count them in a range by bisection.
    _closed_days: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("A business calendar needs at least one working weekday (0-6).")
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("Working hours are wall-clock times, without a time zone.")
        if not self.opens < self.closes:
            raise ValueError("Working hours must open before they close.")
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        closed = sorted(d for d in self.holidays if d.weekday() in self.weekdays)
        object.__setattr__(self, "_closed_days", tuple(closed))

    @classmethod
    def default(cls, zone: ZoneInfo | str, holidays: Iterable[date] = ()) -> Calendar:
        """Monday to Friday, 09:00 to 17:00, in `zone`."""
        return cls(zone=_zone(zone), holidays=frozenset(holidays))

    @property
    def day_length(self) -> timedelta:
        """The business time of one working day."""
        return _at(date.min, self.closes) - _at(date.min, self.opens)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def working_days(self, first: date, last: date) -> int:
        """How many working days there are from `first` to `last`, both included."""
        if last < first:
            return 0
        days = (last - first).days + 1
        weeks, rest = divmod(days, 7)
        count = weeks * len(self.weekdays)
        count += sum(1 for i in range(rest) if (first.weekday() + i) % 7 in self.weekdays)
        lo = bisect.bisect_left(self._closed_days, first)
        hi = bisect.bisect_right(self._closed_days, last)
        return count - (hi - lo)


def is_business_time(moment: datetime, cal: Calendar) -> bool:
    """Whether the office is working at `moment` (opening included, closing excluded)."""
    wall = _wall(moment, cal)
    return cal.is_working_day(wall.date()) and cal.opens <= wall.time() < cal.closes


def next_opening(moment: datetime, cal: Calendar) -> datetime:
    """`moment` itself when the office is working then, else the next time it opens."""
    return _aware(_next_open(_wall(moment, cal), cal), cal)


def add_business_time(start: datetime, duration: timedelta, cal: Calendar) -> datetime:
    """The moment a target of `duration` business time set at `start` falls due.

    A start outside working hours counts from the next opening (so a zero duration falls due
    then). A target that uses up a day exactly falls due at that day's closing, not at the next
    opening.
    """
    if duration < ZERO:
        raise ValueError("A business-time target cannot be negative.")
    wall = _next_open(_wall(start, cal), cal)
    remaining = duration
    while True:
        left = _at(wall.date(), cal.closes) - wall
        if remaining <= left:
            return _aware(wall + remaining, cal)
        remaining -= left
        day = _next_working_day(wall.date() + timedelta(days=1), cal)
        # Whole weeks at a time while more than a week is left: the due moment lies beyond them.
        while remaining > (week := cal.day_length * cal.working_days(day, day + WEEK - _DAY)):
            remaining -= week
            day += WEEK
        day = _next_working_day(day, cal)
        wall = _at(day, cal.opens)


def business_time_between(a: datetime, b: datetime, cal: Calendar) -> timedelta:
    """The business time from `a` to `b`; negative when `b` comes before `a` (time left to a
    target that has passed)."""
    wall_a, wall_b = _wall(a, cal), _wall(b, cal)  # refuses naive moments before comparing
    if b < a:
        return -business_time_between(b, a, cal)
    # Outside working hours, a moment counts as the next opening: nothing runs in between.
    start = _next_open(wall_a, cal)
    end = _next_open(wall_b, cal)
    if end <= start:
        return ZERO
    if start.date() == end.date():
        return end - start
    first = _at(start.date(), cal.closes) - start
    last = end - _at(end.date(), cal.opens)
    middle = cal.working_days(start.date() + _DAY, end.date() - _DAY)
    return first + cal.day_length * middle + last


# Wall-clock helpers ------------------------------------------------------------------------------


def _zone(zone: ZoneInfo | str) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock)


def _wall(moment: datetime, cal: Calendar) -> datetime:
    """`moment` as the office's wall clock reads it (naive)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Business-time arithmetic needs aware datetimes.")
    return moment.astimezone(cal.zone).replace(tzinfo=None)


def _aware(wall: datetime, cal: Calendar) -> datetime:
    return wall.replace(tzinfo=cal.zone)


def _next_working_day(day: date, cal: Calendar) -> date:
    """`day` or the first working day after it (a finite loop: holidays are a finite set and
    there is at least one working weekday)."""
    while not cal.is_working_day(day):
        day += _DAY
    return day


def _next_open(wall: datetime, cal: Calendar) -> datetime:
    day = wall.date()
    if cal.is_working_day(day):
        if wall.time() < cal.opens:
            return _at(day, cal.opens)
        if wall.time() < cal.closes:
            return wall
    return _at(_next_working_day(day + _DAY, cal), cal.opens)
