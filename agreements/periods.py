"""Measurement periods of SLA lines: calendar months and quarters, as dates of the office.

A period is (start, end), both inclusive: 2026-04-01 to 2026-06-30 is the second quarter. The
dates are the office's (its time zone decides when a period has finished).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTH, QUARTER = "month", "quarter"
MONTHS = {MONTH: 1, QUARTER: 3}


def period_containing(kind: str, day: date) -> tuple[date, date]:
    """The month or quarter `day` falls in."""
    months = MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    last_month = first_month + months - 1
    return start, date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def is_whole_period(kind: str, start: date, end: date) -> bool:
    return period_containing(kind, start) == (start, end)


def next_period(kind: str, period: tuple[date, date]) -> tuple[date, date]:
    return period_containing(kind, period[1] + timedelta(days=1))


def previous_period(kind: str, period: tuple[date, date]) -> tuple[date, date]:
    return period_containing(kind, period[0] - timedelta(days=1))


def last_finished(kind: str, today: date) -> tuple[date, date]:
    """The latest period that has ended before `today`."""
    return previous_period(kind, period_containing(kind, today))


def recent_periods(kind: str, today: date, count: int) -> list[tuple[date, date]]:
    """The `count` periods up to the last finished one, oldest first."""
    periods = [last_finished(kind, today)]
    while len(periods) < count:
        periods.append(previous_period(kind, periods[-1]))
    return periods[::-1]


def period_label(kind: str, start: date) -> str:
    if kind == QUARTER:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"
