"""Cadences plan their occurrences ahead; one occurrence moves or is cancelled on its own; an
edit of the cadence changes its future planned occurrences only."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import Cadence, Meeting
from tests.agreements.builders import in_force
from tests.meetings.conftest import monthly_review
from tests.meetings.workers import office_today

pytestmark = pytest.mark.usefixtures("as_tenant_a")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _tomorrow():
    return office_today() + timedelta(days=1)


def test_a_new_cadence_plans_its_occurrences_up_to_the_horizon(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    meetings = list(cadence.meetings.order_by("starts_at"))
    horizon = office_today() + timedelta(days=120)
    assert 3 <= len(meetings) <= 5
    assert all(m.starts_at.astimezone(AMSTERDAM).time() == time(10) for m in meetings)
    assert all(m.starts_at.astimezone(AMSTERDAM).weekday() == 1 for m in meetings)
    assert all(m.occurrence_date <= horizon for m in meetings)
    assert cadence.planned_until == horizon


def test_planning_again_makes_no_second_meeting_for_an_occurrence(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    count = cadence.meetings.count()
    assert services.cadence_plan(cadence) == []
    assert cadence.meetings.count() == count


def test_each_occurrence_invites_the_default_attendees_and_gets_the_agenda_template(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    meeting = cadence.meetings.first()
    assert {a.name for a in meeting.attendees.all()} == {
        mworld.bea.name,
        str(mworld.rm.user.get_full_name() or mworld.rm.user.email),
    }
    titles = [i.title for i in meeting.agenda_items.filter(source="")]
    assert titles == ["Welcome", "Service levels", "Any other business"]


def test_occurrences_across_a_daylight_saving_change_stay_at_ten_local(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow(), frequency="weekly", week_of_month=None)
    local_times = {m.starts_at.astimezone(AMSTERDAM).time() for m in cadence.meetings.all()}
    offsets = {m.starts_at.astimezone(AMSTERDAM).utcoffset() for m in cadence.meetings.all()}
    assert local_times == {time(10)}
    assert len(offsets) == 2  # 120 days always cross a change in Amsterdam


def test_moving_one_occurrence_leaves_the_others_alone(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    first, second = cadence.meetings.order_by("starts_at")[:2]
    before = second.starts_at
    services.meeting_update(
        meeting=first,
        actor=mworld.rm.user,
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sequence == 1 and first.detached
    assert second.starts_at == before and second.sequence == 0
    assert services.cadence_plan(cadence) == []  # the moved date is not planned again


def test_cancelling_one_occurrence_leaves_the_others_planned(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    first, second = cadence.meetings.order_by("starts_at")[:2]
    services.meeting_cancel(meeting=first, actor=mworld.rm.user, reason="Quarter close")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Meeting.Status.CANCELLED and first.sequence == 1
    assert second.status == Meeting.Status.PLANNED
    assert services.cadence_plan(cadence) == []


def test_editing_a_cadence_changes_its_future_planned_occurrences_only(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    moved, followed, *_rest = cadence.meetings.order_by("starts_at")
    services.meeting_update(meeting=moved, actor=mworld.rm.user, location="Room 1")
    past = services.meeting_create(
        actor=mworld.rm.user,
        customer=mworld.customer,
        title="Earlier review",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
        organiser=mworld.rm,
    )
    Meeting.objects.filter(pk=past.pk).update(cadence=cadence)
    services.cadence_update(
        cadence=cadence, actor=mworld.rm.user, time_of_day=time(14), location="Room 9"
    )
    moved.refresh_from_db()
    followed.refresh_from_db()
    past.refresh_from_db()
    assert followed.starts_at.astimezone(AMSTERDAM).time() == time(14)
    assert followed.location == "Room 9" and followed.sequence == 1
    assert moved.location == "Room 1"  # changed on its own: kept
    assert moved.starts_at.astimezone(AMSTERDAM).time() == time(10)
    assert past.location == "" and past.sequence == 0


def test_a_new_rule_calls_off_the_old_dates_and_plans_the_new_ones(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    old = set(cadence.meetings.values_list("pk", flat=True))
    services.cadence_update(cadence=cadence, actor=mworld.rm.user, weekday=3)  # 2nd Thursday
    planned = cadence.meetings.filter(status=Meeting.Status.PLANNED)
    assert planned.exists()
    assert all(m.starts_at.astimezone(AMSTERDAM).weekday() == 3 for m in planned)
    assert set(cadence.meetings.filter(pk__in=old).values_list("status", flat=True)) == {
        "cancelled"
    }


def test_pausing_a_cadence_calls_off_its_future_meetings(mworld):
    cadence = monthly_review(mworld, starts_on=_tomorrow())
    services.cadence_pause(cadence=cadence, actor=mworld.rm.user)
    assert not cadence.meetings.filter(status=Meeting.Status.PLANNED).exists()
    assert services.cadence_plan(cadence) == []


def test_an_invalid_rule_is_refused_with_a_message(mworld):
    with pytest.raises(ValidationError) as caught:
        monthly_review(mworld, starts_on=_tomorrow(), weekday=None)
    assert "weekday" in caught.value.message_dict


def test_cadences_are_made_from_the_agreement_in_force_once(mworld):
    round_ = in_force(mworld.customer)
    agreement = round_.version.agreement
    made, found = services.cadences_from_agreement(agreement=agreement, actor=mworld.rm.user)
    assert [c.name for c in made] == ["Monthly service review"] and found == []
    cadence = made[0]
    assert cadence.month_day == 10 and cadence.frequency == "monthly"
    assert cadence.organiser_id == mworld.customer.relationship_manager_id
    assert cadence.meetings.exists()
    again, found = services.cadences_from_agreement(agreement=agreement, actor=mworld.rm.user)
    assert again == [] and found == [cadence]
    assert Cadence.objects.filter(customer=mworld.customer).count() == 1


def test_no_cadences_from_an_agreement_without_a_version_in_force(mworld):
    from tests.agreements.builders import in_signature

    round_ = in_signature(mworld.customer)
    with pytest.raises(ValidationError, match="no version in force"):
        services.cadences_from_agreement(agreement=round_.version.agreement, actor=mworld.rm.user)


def test_a_meeting_cannot_end_before_it_starts(mworld):
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            actor=mworld.rm.user,
            customer=mworld.customer,
            title="Escalation",
            kind="escalation",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
            organiser=mworld.rm,
        )
    assert "ends_at" in caught.value.message_dict
