"""Minutes due: the organiser is told when a held meeting (or a planned one that is over) has no
published minutes at 09:00 office time on the 3rd working day after it (Monday to Friday), once;
published minutes or a cancelled meeting send nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob
from meetings import services, tasks
from meetings.models import Meeting
from meetings.notifications import MINUTES_DUE, working_days_after
from tests.meetings.workers import held_in_the_past, jobs, local, mails, one_off, run_due

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _next_friday(after_days=7) -> date:
    day = timezone.localdate() + timedelta(days=after_days)
    return day + timedelta(days=(4 - day.weekday()) % 7)


def test_three_working_days_after_a_friday_is_the_wednesday():
    friday = date(2027, 1, 8)
    assert working_days_after(friday, 3) == date(2027, 1, 13)
    assert working_days_after(date(2027, 1, 11), 3) == date(2027, 1, 14)  # Monday: Thursday


def test_the_minutes_of_a_friday_meeting_are_due_on_wednesday_at_nine(tenant_a, mworld):
    friday = _next_friday()
    meeting = one_off(mworld, starts_at=local(tenant_a, friday, 15))
    (job,) = jobs(MINUTES_DUE, object_id=str(meeting.pk))
    assert job.due_at == local(tenant_a, friday + timedelta(days=5), 9)


def test_the_office_chooses_how_many_working_days(tenant_a, mworld):
    services.meeting_settings_update(actor=mworld.rm.user, minutes_due_working_days=1)
    friday = _next_friday()
    meeting = one_off(mworld, starts_at=local(tenant_a, friday, 15))
    (job,) = jobs(MINUTES_DUE, object_id=str(meeting.pk))
    assert job.due_at == local(tenant_a, friday + timedelta(days=3), 9)  # Monday


def _due_now(tenant, meeting) -> list[str]:
    (job,) = jobs(MINUTES_DUE, object_id=str(meeting.pk), status__in=["queued", "dispatched"])
    return run_due(tenant, max(job.due_at, timezone.now()) + timedelta(seconds=1), MINUTES_DUE)


def test_the_organiser_is_told_when_a_held_meeting_has_no_published_minutes(tenant_a, mworld):
    meeting = held_in_the_past(mworld, one_off(mworld, starts_at=timezone.now() + timedelta(1)))
    assert _due_now(tenant_a, meeting) == ["done"]
    (mail,) = mails(f"meetings-minutes-due:{meeting.pk}:")
    assert mail.to == [mworld.rm.user.email]
    assert mail.subject.startswith("Minutes due: Escalation: payroll run of ")
    assert "Write them and publish them" in mail.text


def test_a_planned_meeting_that_is_over_is_due_too_and_the_email_says_to_mark_it(tenant_a, mworld):
    meeting = one_off(mworld, starts_at=timezone.now() + timedelta(days=1))
    start = timezone.now() - timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    meeting.refresh_from_db()
    services.meeting_update(meeting=meeting, actor=mworld.rm.user, location="Room 1")  # re-plans
    _due_now(tenant_a, meeting)
    (mail,) = mails(f"meetings-minutes-due:{meeting.pk}:")
    assert "still marked as planned" in mail.text


def test_published_minutes_send_nothing(tenant_a, mworld):
    meeting = held_in_the_past(
        mworld, one_off(mworld, starts_at=timezone.now() + timedelta(1)), minutes="Agreed."
    )
    assert _due_now(tenant_a, meeting) == ["done"]
    assert mails(f"meetings-minutes-due:{meeting.pk}:") == []


def test_a_cancelled_meeting_has_no_minutes_due(tenant_a, mworld):
    meeting = one_off(mworld, starts_at=timezone.now() + timedelta(days=3))
    services.meeting_cancel(meeting=meeting, actor=mworld.rm.user)
    assert {j.status for j in jobs(MINUTES_DUE, object_id=str(meeting.pk))} == {"cancelled"}


def test_a_moved_meeting_has_its_minutes_due_after_its_new_day(tenant_a, mworld):
    friday = _next_friday()
    meeting = one_off(mworld, starts_at=local(tenant_a, friday, 15))
    services.meeting_update(
        meeting=meeting,
        actor=mworld.rm.user,
        starts_at=meeting.starts_at + timedelta(days=3),
        ends_at=meeting.ends_at + timedelta(days=3),
    )
    (job,) = jobs(MINUTES_DUE, object_id=str(meeting.pk), status=DueJob.QUEUED)
    assert job.due_at == local(tenant_a, friday + timedelta(days=6), 9)  # Monday + 3: Thursday


def test_the_minutes_due_job_run_again_sends_nothing_more(tenant_a, mworld):
    meeting = held_in_the_past(mworld, one_off(mworld, starts_at=timezone.now() + timedelta(1)))
    _due_now(tenant_a, meeting)
    (job,) = jobs(MINUTES_DUE, object_id=str(meeting.pk), status=DueJob.DONE)
    tasks.minutes_due(job)
    assert len(mails(f"meetings-minutes-due:{meeting.pk}:")) == 1
