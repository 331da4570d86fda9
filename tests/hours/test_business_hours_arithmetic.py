"""Business-hours arithmetic (brm.hours.arithmetic): due moments and business time between two
moments, in wall-clock working hours across weekends, nights, holidays and the clock changes.

No database: the module is pure. Moments are compared in UTC where the offset matters, since
Python compares two datetimes of one zone by their wall clocks.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from brm.hours.arithmetic import (
    Calendar,
    add_business_time,
    business_time_between,
    is_business_time,
    next_opening,
)
from brm.hours.public_holidays import public_holidays

AMS = ZoneInfo("Europe/Amsterdam")
H = timedelta(hours=1)
NL_HOLIDAYS = frozenset(public_holidays("NL", "", [2026, 2027, 2028]))
# Monday to Friday, 09:00-17:00, Amsterdam, the Dutch public holidays.
NL = Calendar.default(AMS, NL_HOLIDAYS)
# The spring change of 2026 is on Sunday 29 March; this office also closes the Monday after.
CLOSED_MONDAY = Calendar.default(AMS, {date(2026, 3, 30)})


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# The case ---------------------------------------------------------------------------


def test_a_16_hour_target_from_friday_afternoon_crosses_the_spring_change_and_a_holiday():
    # Fri 27 Mar 15:00 CET: 2 h; the clocks go forward on Sunday; Mon 30 closed; Tue 31 8 h;
    # Wed 1 Apr 6 h: due 15:00 CEST, which is 13:00 UTC (the start was 14:00 UTC).
    start = ams(2026, 3, 27, 15)
    assert start.astimezone(UTC) == utc(2026, 3, 27, 14)
    due = add_business_time(start, 16 * H, CLOSED_MONDAY)
    assert due.astimezone(UTC) == utc(2026, 4, 1, 13)
    assert business_time_between(start, due, CLOSED_MONDAY) == 16 * H


def test_a_16_hour_target_over_easter_2027_skips_good_friday_and_easter_monday():
    # Thu 25 Mar 2027 15:00: 2 h; Good Friday, the change on Easter Sunday 28 March and Easter
    # Monday all pass; Tue 30 8 h; Wed 31 6 h: 15:00 CEST.
    due = add_business_time(ams(2027, 3, 25, 15), 16 * H, NL)
    assert due.astimezone(UTC) == utc(2027, 3, 31, 13)


def test_a_target_set_on_a_public_holiday_counts_from_the_next_working_morning():
    due = add_business_time(ams(2027, 3, 26, 15), 16 * H, NL)  # Good Friday
    assert due.astimezone(UTC) == utc(2027, 3, 31, 15)  # Tue 09:00 + 16 h = Wed 17:00 CEST


def test_a_working_day_is_eight_hours_on_the_day_after_the_clocks_go_back():
    # Sunday 25 October 2026 the clocks go back: Monday still has 8 business hours.
    start = ams(2026, 10, 23, 17)  # Friday's closing
    assert add_business_time(start, 8 * H, NL).astimezone(UTC) == utc(2026, 10, 26, 16)
    assert business_time_between(ams(2026, 10, 23, 9), ams(2026, 10, 26, 17), NL) == 16 * H


def test_an_office_that_works_on_sunday_counts_the_spring_change_day_as_a_full_day():
    sundays = Calendar(zone=AMS, weekdays=frozenset({6}))
    due = add_business_time(ams(2026, 3, 29, 9), 8 * H, sundays)
    assert due.astimezone(UTC) == utc(2026, 3, 29, 15)  # 17:00 CEST
    assert business_time_between(ams(2026, 3, 29, 9), due, sundays) == 8 * H


# Where the start falls ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (ams(2026, 6, 13, 11), ams(2026, 6, 15, 11)),  # Saturday: from Monday 09:00
        (ams(2026, 6, 14, 23, 30), ams(2026, 6, 15, 11)),  # Sunday night
        (ams(2026, 6, 16, 3), ams(2026, 6, 16, 11)),  # Tuesday 03:00: from 09:00
        (ams(2026, 6, 16, 20), ams(2026, 6, 17, 11)),  # Tuesday evening: from Wednesday
        (ams(2026, 6, 16, 9), ams(2026, 6, 16, 11)),  # exactly at opening
        (ams(2026, 6, 16, 17), ams(2026, 6, 17, 11)),  # exactly at closing: the next day
        (ams(2026, 6, 16, 16), ams(2026, 6, 17, 10)),  # one hour today, one tomorrow
        (ams(2026, 6, 19, 16, 30), ams(2026, 6, 22, 10, 30)),  # Friday 16:30: Monday
    ],
    ids=[
        "saturday",
        "sunday-night",
        "before-opening",
        "after-closing",
        "at-opening",
        "at-closing",
        "over-the-night",
        "over-the-weekend",
    ],
)
def test_a_two_hour_target_falls_due_two_working_hours_after_the_start(start, expected):
    assert add_business_time(start, 2 * H, NL) == expected


def test_a_target_that_fills_the_day_falls_due_at_closing_not_at_the_next_opening():
    assert add_business_time(ams(2026, 6, 16, 9), 8 * H, NL) == ams(2026, 6, 16, 17)
    assert add_business_time(ams(2026, 6, 16, 9), 40 * H, NL) == ams(2026, 6, 22, 17)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (ams(2026, 6, 16, 10, 15), ams(2026, 6, 16, 10, 15)),  # working: now
        (ams(2026, 6, 16, 17), ams(2026, 6, 17, 9)),  # at closing: tomorrow
        (ams(2026, 6, 13, 12), ams(2026, 6, 15, 9)),  # Saturday: Monday
        (ams(2026, 12, 24, 18), ams(2026, 12, 28, 9)),  # Christmas and the weekend
    ],
)
def test_a_zero_target_falls_due_at_once_or_at_the_next_opening(start, expected):
    assert add_business_time(start, timedelta(0), NL) == expected
    assert next_opening(start, NL) == expected


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (ams(2026, 6, 16, 9), True),
        (ams(2026, 6, 16, 16, 59, 59), True),
        (ams(2026, 6, 16, 17), False),
        (ams(2026, 6, 16, 8, 59), False),
        (ams(2026, 6, 13, 12), False),  # Saturday
        (ams(2027, 4, 27, 12), False),  # King's Day
        (utc(2026, 6, 16, 7, 30), True),  # 09:30 in Amsterdam
        (utc(2026, 6, 16, 15, 30), False),  # 17:30 in Amsterdam
    ],
)
def test_business_time_is_the_office_s_working_hours_on_its_own_wall_clock(moment, working):
    assert is_business_time(moment, NL) is working


def test_a_start_given_in_utc_is_read_on_the_office_s_clock():
    due = add_business_time(utc(2026, 1, 5, 7), 1 * H, NL)  # 08:00 in Amsterdam
    assert due.astimezone(UTC) == utc(2026, 1, 5, 9)  # 10:00 CET


# Between ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (ams(2026, 6, 16, 10), ams(2026, 6, 16, 12), 2 * H),
        (ams(2026, 6, 16, 16), ams(2026, 6, 17, 10), 2 * H),
        (ams(2026, 6, 19, 12), ams(2026, 6, 22, 12), 8 * H),  # over a weekend
        (ams(2026, 6, 13, 0), ams(2026, 6, 14, 23), timedelta(0)),  # inside one weekend
        (ams(2026, 6, 16, 18), ams(2026, 6, 17, 8), timedelta(0)),  # one night
        (ams(2026, 6, 15, 9), ams(2026, 6, 19, 17), 40 * H),  # a whole week
        (ams(2026, 12, 24, 9), ams(2026, 12, 29, 9), 16 * H),  # Thu; Christmas Day Fri; Mon
    ],
)
def test_business_time_between_counts_only_working_hours(a, b, expected):
    assert business_time_between(a, b, NL) == expected


def test_business_time_between_is_negative_when_the_end_comes_first():
    # The time left to a target that has passed.
    assert business_time_between(ams(2026, 6, 17, 10), ams(2026, 6, 16, 16), NL) == -2 * H


def test_a_paused_clock_is_the_sum_of_its_running_spans():
    # Runs Monday 09:00-12:00, waits on the raiser until Wednesday 14:00, runs until Thursday 11:00.
    spans = [
        (ams(2026, 6, 15, 9), ams(2026, 6, 15, 12)),
        (ams(2026, 6, 17, 14), ams(2026, 6, 18, 11)),
    ]
    used = sum((business_time_between(a, b, NL) for a, b in spans), timedelta(0))
    assert used == 8 * H
    # With a 16-hour target, what is left runs from Thursday 11:00.
    assert add_business_time(ams(2026, 6, 18, 11), 16 * H - used, NL) == ams(2026, 6, 19, 11)


STARTS = [
    ams(2026, 3, 27, 15),
    ams(2026, 6, 13, 11),
    ams(2026, 10, 23, 16, 45),
    ams(2026, 12, 23, 12, 7, 30),
    ams(2027, 3, 25, 15),
    utc(2027, 4, 26, 22),
]
DURATIONS = [
    timedelta(0),
    timedelta(minutes=1),
    7 * H,
    8 * H,
    16 * H,
    timedelta(hours=41, minutes=30),
]


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("duration", DURATIONS)
def test_business_time_between_is_the_inverse_of_adding_it(start, duration):
    due = add_business_time(start, duration, NL)
    assert business_time_between(start, due, NL) == duration
    assert is_business_time(due, NL) or due.time() == time(17)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (ams(2026, 6, 16, 10), ams(2026, 6, 16, 15, 20)),
        (ams(2026, 6, 12, 16), ams(2026, 7, 1, 11)),
        (ams(2026, 3, 20, 11), ams(2026, 4, 8, 13)),
    ],
)
def test_adding_the_time_between_two_working_moments_lands_on_the_second(a, b):
    assert add_business_time(a, business_time_between(a, b, NL), NL) == b


def test_a_year_of_business_time_is_counted_without_stepping_through_it():
    # 2027 in the Netherlands: 261 weekdays, of which 6 are holidays (New Year's Day, Good
    # Friday, Easter Monday, King's Day, Ascension Day, Whit Monday): 255 working days.
    year = business_time_between(ams(2027, 1, 1), ams(2028, 1, 1), NL)
    assert year == 255 * 8 * H
    assert add_business_time(ams(2027, 1, 1), year, NL) == ams(2027, 12, 31, 17)
    decade = add_business_time(ams(2026, 1, 1), 10_000 * 8 * H, NL)
    assert business_time_between(ams(2026, 1, 1), decade, NL) == 10_000 * 8 * H


def test_holidays_on_a_weekend_change_nothing():
    assert business_time_between(ams(2027, 12, 24, 9), ams(2027, 12, 27, 17), NL) == 16 * H


# Other shapes of week ---------------------------------------------------------------------------


def test_an_office_with_other_days_and_hours_counts_its_own_week():
    # Tuesday to Saturday, 07:30-12:00 (4.5 h), New York.
    ny = ZoneInfo("America/New_York")
    cal = Calendar(zone=ny, weekdays=frozenset({1, 2, 3, 4, 5}), opens=time(7, 30), closes=time(12))
    start = datetime(2026, 6, 13, 11, tzinfo=ny)  # Saturday 11:00: 1 h left
    due = add_business_time(start, 10 * H, cal)  # Sat 1 h, Tue 4.5 h, Wed 4.5 h
    assert due == datetime(2026, 6, 17, 12, tzinfo=ny)
    assert business_time_between(start, due, cal) == 10 * H


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weekdays": frozenset()},
        {"weekdays": frozenset({7})},
        {"opens": time(17), "closes": time(9)},
        {"opens": time(9), "closes": time(9)},
    ],
)
def test_a_calendar_without_working_time_is_refused(kwargs):
    with pytest.raises(ValueError):
        Calendar(zone=AMS, **kwargs)


def test_naive_datetimes_and_negative_targets_are_refused():
    with pytest.raises(ValueError):
        add_business_time(datetime(2026, 6, 16, 10), H, NL)
    with pytest.raises(ValueError):
        add_business_time(ams(2026, 6, 16, 10), -H, NL)
    with pytest.raises(ValueError):
        business_time_between(ams(2026, 6, 16, 10), datetime(2026, 6, 16, 12), NL)
