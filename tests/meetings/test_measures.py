"""The meetings' measures for the reports area: reviews held, meetings held (communications),
cadence adherence, decisions awaiting approval and action items from meetings closed on time;
each in a fixed number of queries."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brm.tenancy.models import Role
from customers.models import ActionItem
from meetings import measures, services
from meetings.models import Decision, Meeting
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import make_member

from .conftest import monthly_review

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def past_cadence(world, *, months=4, customer=None, **overrides):
    """A monthly review (on the 5th at 10:00) that began `months` months ago, its past
    occurrences planned as the daily job planned them then."""
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    starts_on = date(year, month + 1, 1)
    customer = customer or world.customer
    cadence = services.cadence_create(
        actor=world.rm.user,
        plan=False,
        customer=customer,
        meeting_type="service_review",
        name=overrides.pop("name", "Monthly service review"),
        frequency="monthly",
        month_day=5,
        starts_on=starts_on,
        time_of_day=time(10),
        organiser=world.rm,
        **overrides,
    )
    services.cadence_plan(
        cadence,
        until=today,
        now=datetime.combine(starts_on, time(), tzinfo=UTC) - timedelta(days=1),
    )
    return cadence


def past_meetings(cadence):
    return list(Meeting.objects.filter(cadence=cadence, starts_at__lt=timezone.now()))


def hold(world, meeting, *, publish=True):
    services.meeting_mark_held(meeting=meeting, actor=world.rm.user)
    if publish:
        services.minutes_save(meeting=meeting, actor=world.rm.user, summary="Went through it.")
        services.minutes_publish(meeting=meeting, actor=world.rm.user)
    return meeting


def one_off(world, *, starts_at, customer=None, kind="escalation"):
    return services.meeting_create(
        actor=world.rm.user,
        customer=customer or world.customer,
        title="Payroll escalation",
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        organiser=world.rm,
    )


def queries_of(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


# Reviews and meetings held -----------------------------------------------------------------------


def test_reviews_held_count_held_cadence_meetings_with_published_minutes_per_month(mworld):
    cadence = past_cadence(mworld, months=4)
    first, second, third, *_ = past_meetings(cadence)
    hold(mworld, first)
    hold(mworld, second, publish=False)  # held, minutes still a draft: not a review yet
    services.meeting_cancel(meeting=third, actor=mworld.rm.user)
    one_off_start = datetime.combine(first.occurrence_date, time(15), tzinfo=UTC)
    hold(mworld, one_off(mworld, starts_at=one_off_start))  # not a cadence's review

    rows = measures.reviews_held_by_period()

    assert [(r.customer, r.start, r.count) for r in rows] == [
        (mworld.customer.name, first.occurrence_date.replace(day=1), 1)
    ]
    assert rows[0].end.month == first.occurrence_date.month and rows[0].end.day >= 28


def test_reviews_held_per_quarter_add_up_the_months_of_the_quarter(mworld):
    cadence = past_cadence(mworld, months=7)
    meetings = past_meetings(cadence)
    for meeting in meetings:
        hold(mworld, meeting)
    by_month = measures.reviews_held_by_period()
    by_quarter = measures.reviews_held_by_period(period="quarter")
    # Seven or eight: this month's occurrence on the 5th is past once the 5th has gone by.
    assert len(meetings) in (7, 8)
    assert sum(r.count for r in by_month) == sum(r.count for r in by_quarter) == len(meetings)
    assert all(r.start.month in (1, 4, 7, 10) for r in by_quarter)
    assert len(by_quarter) < len(by_month)


def test_a_review_counts_in_the_month_of_its_start_in_office_time(mworld):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam.
    late = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    meeting = one_off(mworld, starts_at=late, kind="other")
    Meeting.objects.filter(pk=meeting.pk).update(kind=Meeting.Kind.CADENCE)
    hold(mworld, meeting)
    (row,) = measures.reviews_held_by_period()
    assert (row.start, row.end) == (date(2026, 2, 1), date(2026, 2, 28))


def test_reviews_held_are_narrowed_to_a_window_an_rm_or_a_customer(mworld, tenant_a):
    other_rm = make_member(
        tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example", name="Olga Other"
    )
    other = CustomerFactory(name="Aardvark Logistics", relationship_manager=other_rm)
    mine = past_cadence(mworld, months=3)
    theirs = past_cadence(mworld, months=3, customer=other)
    for meeting in past_meetings(mine) + past_meetings(theirs):
        hold(mworld, meeting)
    everyone = measures.reviews_held_by_period()
    assert [r.customer for r in everyone][:1] == ["Aardvark Logistics"]  # by customer name
    assert {r.customer_id for r in measures.reviews_held_by_period(customer=other)} == {other.pk}
    assert {
        r.customer_id for r in measures.reviews_held_by_period(relationship_manager=mworld.rm)
    } == {mworld.customer.pk}
    last = max(r.start for r in everyone)
    assert {r.start for r in measures.reviews_held_by_period(since=last)} == {last}
    assert last not in {r.start for r in measures.reviews_held_by_period(until=last - timedelta(1))}


def test_meetings_held_count_every_held_meeting_minutes_or_not(mworld):
    cadence = past_cadence(mworld, months=2)
    first, second = past_meetings(cadence)[:2]
    hold(mworld, first, publish=False)
    hold(mworld, second)
    hold(mworld, one_off(mworld, starts_at=first.starts_at + timedelta(days=1)))
    rows = measures.meetings_held_by_period()
    assert sum(r.count for r in rows) == 3
    assert sum(r.count for r in measures.reviews_held_by_period()) == 1


def test_communications_combine_meetings_with_other_channels_per_customer_and_period(mworld):
    cadence = past_cadence(mworld, months=2)
    first = past_meetings(cadence)[0]
    hold(mworld, first)
    (held,) = measures.meetings_held_by_period()
    notice = measures.PeriodCount(
        customer_id=held.customer_id,
        customer=held.customer,
        start=held.start,
        end=held.end,
        count=2,
    )
    elsewhere = measures.PeriodCount(
        customer_id=held.customer_id,
        customer=held.customer,
        start=date(2020, 1, 1),
        end=date(2020, 1, 31),
        count=1,
    )
    combined = measures.combine_counts([held], [notice, elsewhere])
    assert [(r.start, r.count) for r in combined] == [(date(2020, 1, 1), 1), (held.start, 3)]


# Cadence adherence -------------------------------------------------------------------------------


def test_adherence_is_periods_kept_with_minutes_of_the_periods_due(mworld):
    cadence = past_cadence(mworld, months=4)
    meetings = past_meetings(cadence)
    assert len(meetings) >= 4
    hold(mworld, meetings[0])
    hold(mworld, meetings[1])
    hold(mworld, meetings[2], publish=False)  # held without minutes: missed
    services.meeting_cancel(meeting=meetings[3], actor=mworld.rm.user)  # cancelled: missed
    adherence = measures.cadence_adherence()
    # Every past occurrence's period has ended except possibly the last one's.
    due = adherence.due
    assert due in (len(meetings), len(meetings) - 1)
    assert adherence.kept == 2
    assert adherence.missed == due - 2
    assert adherence.percent == round(100 * 2 / due, 1)


def test_a_moved_meeting_keeps_the_period_of_its_occurrence(mworld):
    cadence = past_cadence(mworld, months=3)
    first = past_meetings(cadence)[0]
    # Held four weeks later, in the next period's days: it still keeps its own period.
    services.meeting_update(
        meeting=first,
        actor=mworld.rm.user,
        starts_at=first.starts_at + timedelta(days=28),
        ends_at=first.ends_at + timedelta(days=28),
    )
    hold(mworld, Meeting.objects.get(pk=first.pk))
    rows = measures.cadence_adherence_rows()
    assert rows[0].adherence.kept == 1


def test_a_period_not_yet_ended_is_not_due(mworld):
    cadence = past_cadence(mworld, months=1)
    first = past_meetings(cadence)[0]
    today = first.occurrence_date + timedelta(days=3)
    assert measures.cadence_adherence(today=today).due == 0
    following = first.occurrence_date.replace(day=28) + timedelta(days=10)
    assert measures.cadence_adherence(today=following).due == 1


def test_a_paused_cadence_and_periods_before_the_window_are_not_due(mworld):
    cadence = past_cadence(mworld, months=4)
    whole = measures.cadence_adherence().due
    window = measures.cadence_adherence(since=timezone.localdate() - timedelta(days=75)).due
    assert 0 < window < whole
    services.cadence_pause(cadence=cadence, actor=mworld.rm.user)
    assert measures.cadence_adherence() == measures.Adherence(due=0, kept=0)
    assert measures.cadence_adherence().percent is None


def test_adherence_is_given_per_customer_and_per_rm(mworld, tenant_a):
    other_rm = make_member(
        tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example", name="Olga Other"
    )
    other = CustomerFactory(name="Aardvark Logistics", relationship_manager=other_rm)
    mine = past_cadence(mworld, months=3)
    past_cadence(mworld, months=3, customer=other)
    for meeting in past_meetings(mine):
        hold(mworld, meeting)
    by_customer = measures.cadence_adherence_by_customer()
    assert [name for _pk, name, _a in by_customer] == ["Aardvark Logistics", mworld.customer.name]
    assert by_customer[0][2].kept == 0 and by_customer[1][2].kept == by_customer[1][2].due > 0
    by_rm = dict(measures.cadence_adherence_by_rm())
    assert by_rm[other_rm].percent == 0.0
    assert by_rm[mworld.rm].percent == 100.0
    assert [m for m, _a in measures.cadence_adherence_by_rm()] == [other_rm, mworld.rm]
    assert measures.cadence_adherence(relationship_manager=other_rm).kept == 0


# Decisions awaiting approval ---------------------------------------------------------------------


def decision(world, title, *, days_ago, customer=None, contact=None):
    made = services.decision_create(
        actor=world.rm.user,
        customer=customer or world.customer,
        title=title,
        kind="business",
        accountable_contact=contact or world.bea,
    )
    Decision.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago, hours=1)
    )
    return made


def test_decisions_awaiting_approval_come_oldest_first_with_their_age(mworld):
    decision(mworld, "Move payroll to the cloud", days_ago=3)
    decision(mworld, "Retire the old ledger", days_ago=20)
    decided = decision(mworld, "Buy more laptops", days_ago=40)
    services.decision_decide(decision=decided, membership=mworld.business_manager, approve=True)
    awaiting = measures.decisions_awaiting()
    assert [(d.title, d.age_days) for d in awaiting] == [
        ("Retire the old ledger", 20),
        ("Move payroll to the cloud", 3),
    ]
    assert awaiting[0].accountable == mworld.bea.name
    assert measures.decisions_awaiting_summary() == measures.DecisionBacklog(
        count=2, oldest_days=20, average_days=11.5
    )


def test_decisions_awaiting_are_given_per_rm(mworld, tenant_a):
    other_rm = make_member(
        tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example", name="Olga Other"
    )
    other = CustomerFactory(name="Aardvark Logistics", relationship_manager=other_rm)
    boss = ContactFactory(customer=other, name="Otto Owner", authority="decides")
    decision(mworld, "Ours", days_ago=2)
    decision(mworld, "Theirs", days_ago=9, customer=other, contact=boss)
    decision(mworld, "Theirs too", days_ago=5, customer=other, contact=boss)
    by_rm = dict(measures.decisions_awaiting_by_rm())
    assert by_rm[other_rm] == measures.DecisionBacklog(count=2, oldest_days=9, average_days=7.0)
    assert by_rm[mworld.rm].count == 1
    assert measures.decisions_awaiting_summary(relationship_manager=mworld.rm).oldest_days == 2
    assert [d.title for d in measures.decisions_awaiting(customer=other)] == [
        "Theirs",
        "Theirs too",
    ]


def test_no_decisions_awaiting_is_a_backlog_of_none(mworld):
    assert measures.decisions_awaiting_summary() == measures.DecisionBacklog(
        count=0, oldest_days=None, average_days=None
    )


# Action items from meetings closed on time -------------------------------------------------------


def meeting_action(world, meeting, *, due, completed_at, status="done"):
    item = services.action_item_from_meeting(
        meeting=meeting, actor=world.rm.user, title="Send the figures", due_date=due
    )
    ActionItem.objects.filter(pk=item.pk).update(status=status, completed_at=completed_at)
    return item


def test_meeting_actions_done_by_their_due_date_are_on_time(mworld):
    meeting = one_off(mworld, starts_at=timezone.now() - timedelta(days=30))
    due = date(2026, 3, 10)
    meeting_action(mworld, meeting, due=due, completed_at=datetime(2026, 3, 9, 12, tzinfo=UTC))
    # 22:30 UTC on the due date is still the due date in Amsterdam (UTC+1 in March).
    meeting_action(mworld, meeting, due=due, completed_at=datetime(2026, 3, 10, 22, 30, tzinfo=UTC))
    # 23:30 UTC is already the next day there: late.
    meeting_action(mworld, meeting, due=due, completed_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    meeting_action(mworld, meeting, due=due, completed_at=None, status="open")  # not closed
    # An action item not from a meeting does not count.
    ActionItem.objects.create(
        customer=mworld.customer,
        title="From the agreement",
        due_date=due,
        status="done",
        completed_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    result = measures.meeting_actions_on_time()
    assert (result.closed, result.on_time, result.late) == (3, 2, 1)
    assert result.percent == 66.7
    assert measures.meeting_actions_on_time(since=date(2026, 3, 10)).closed == 2


def test_meeting_actions_on_time_are_given_per_rm(mworld, tenant_a):
    other_rm = make_member(
        tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example", name="Olga Other"
    )
    other = CustomerFactory(name="Aardvark Logistics", relationship_manager=other_rm)
    ours = one_off(mworld, starts_at=timezone.now() - timedelta(days=30))
    theirs = one_off(mworld, starts_at=timezone.now() - timedelta(days=30), customer=other)
    due = date(2026, 3, 10)
    meeting_action(mworld, ours, due=due, completed_at=datetime(2026, 3, 1, tzinfo=UTC))
    meeting_action(mworld, theirs, due=due, completed_at=datetime(2026, 3, 20, tzinfo=UTC))
    by_rm = dict(measures.meeting_actions_on_time_by_rm())
    assert by_rm[mworld.rm] == measures.OnTime(closed=1, on_time=1)
    assert by_rm[other_rm] == measures.OnTime(closed=1, on_time=0)
    assert measures.meeting_actions_on_time(customer=other).percent == 0.0


# Query counts ------------------------------------------------------------------------------------


MEASURES = {
    "reviews held": measures.reviews_held_by_period,
    "meetings held": measures.meetings_held_by_period,
    "adherence": measures.cadence_adherence,
    "adherence per customer": measures.cadence_adherence_by_customer,
    "adherence per RM": measures.cadence_adherence_by_rm,
    "decisions awaiting": measures.decisions_awaiting,
    "decision backlog": measures.decisions_awaiting_summary,
    "decision backlog per RM": measures.decisions_awaiting_by_rm,
    "actions on time": measures.meeting_actions_on_time,
    "actions on time per RM": measures.meeting_actions_on_time_by_rm,
}


def add_customer_with_records(world, tenant, n):
    rm = make_member(tenant, Role.RELATIONSHIP_MANAGER, email=f"rm{n}@a.example", name=f"RM {n}")
    customer = CustomerFactory(name=f"Customer {n}", relationship_manager=rm)
    boss = ContactFactory(customer=customer, name=f"Boss {n}", authority="decides")
    cadence = past_cadence(world, months=2, customer=customer, name=f"Review {n}")
    first = past_meetings(cadence)[0]
    hold(world, first)
    meeting_action(world, first, due=date(2026, 3, 10), completed_at=timezone.now())
    decision(world, f"Decision {n}", days_ago=n, customer=customer, contact=boss)


@pytest.mark.parametrize("name", list(MEASURES))
def test_each_measure_costs_the_same_queries_for_one_customer_as_for_four(mworld, tenant_a, name):
    measure = MEASURES[name]
    add_customer_with_records(mworld, tenant_a, 1)
    one = queries_of(measure)
    for n in range(2, 5):
        add_customer_with_records(mworld, tenant_a, n)
    assert queries_of(measure) == one
    assert one <= 4  # the office's time zone, the records, their RMs


def test_a_cadence_that_starts_tomorrow_has_nothing_due(mworld):
    monthly_review(mworld, starts_on=timezone.localdate() + timedelta(days=1))
    assert measures.cadence_adherence_rows() == []
    assert measures.cadence_adherence() == measures.NO_PERIODS


def test_a_yearly_cadence_before_its_first_occurrence_has_nothing_due(mworld):
    today = timezone.localdate()
    services.cadence_create(
        actor=mworld.rm.user,
        plan=False,
        customer=mworld.customer,
        meeting_type="annual_alignment",
        name="Annual alignment",
        frequency="yearly",
        month_day=1,
        starts_on=today - timedelta(days=10) if today.day > 11 else today - timedelta(days=1),
        time_of_day=time(10),
        organiser=mworld.rm,
    )
    (row,) = measures.cadence_adherence_rows()
    assert row.adherence == measures.NO_PERIODS
