"""A cadence's rule turned into dates and office-local times."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from meetings.recurrence import Rule, local_datetime, occurrence_dates, occurrences, period_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_the_second_tuesday_of_each_month():
    dates = occurrence_dates(
        Rule("monthly", weekday=1, week_of_month=2), start=date(2026, 1, 1), until=date(2026, 4, 30)
    )
    assert dates == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]


def test_the_last_friday_of_each_quarter():
    dates = occurrence_dates(
        Rule("quarterly", weekday=4, week_of_month=-1),
        start=date(2026, 1, 1),
        until=date(2026, 12, 31),
    )
    assert dates == [date(2026, 1, 30), date(2026, 4, 24), date(2026, 7, 31), date(2026, 10, 30)]


def test_a_day_past_the_end_of_a_month_falls_on_its_last_day():
    dates = occurrence_dates(
        Rule("monthly", month_day=31), start=date(2026, 1, 1), until=date(2026, 4, 30)
    )
    assert dates == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_every_other_week_counts_its_weeks_from_the_first_day():
    rule = Rule("weekly", interval=2, weekday=0)
    assert occurrence_dates(rule, start=date(2026, 3, 2), until=date(2026, 4, 1)) == [
        date(2026, 3, 2),
        date(2026, 3, 16),
        date(2026, 3, 30),
    ]


def test_yearly_on_the_29th_of_february_falls_on_the_28th_in_common_years():
    dates = occurrence_dates(
        Rule("yearly", month_day=29), start=date(2027, 2, 1), until=date(2028, 3, 1)
    )
    assert dates == [date(2027, 2, 28), date(2028, 2, 29)]


def test_a_ten_o_clock_meeting_stays_at_ten_local_across_the_spring_change():
    made = list(
        occurrences(
            Rule("weekly", weekday=0),
            start=date(2026, 3, 23),
            until=date(2026, 3, 30),
            at=time(10),
            duration=timedelta(hours=1),
            zone=AMSTERDAM,
        )
    )
    assert [starts for _day, starts, _ends in made] == [
        datetime(2026, 3, 23, 9, tzinfo=UTC),  # CET, UTC+1
        datetime(2026, 3, 30, 8, tzinfo=UTC),  # CEST, UTC+2
    ]
    assert all(s.astimezone(AMSTERDAM).time() == time(10) for _d, s, _e in made)


def test_a_time_inside_the_spring_gap_moves_past_it():
    starts = local_datetime(date(2026, 3, 29), time(2, 30), AMSTERDAM)
    assert starts.astimezone(AMSTERDAM).time() == time(3, 30)


def test_an_occurrence_opens_a_period_that_ends_the_day_before_the_next():
    rule = Rule("monthly", weekday=1, week_of_month=2)
    assert period_of(rule, start=date(2026, 1, 1), day=date(2026, 1, 13)) == (
        date(2026, 1, 13),
        date(2026, 2, 9),
    )
