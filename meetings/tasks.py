"""Due jobs of the meetings area (brm.outbox runs each once, in its office, in the transaction
that marks it done). The handlers find their record and call meetings.notifications or
meetings.services; a record gone since makes the job do nothing.

Daily, in each office's time zone: at 06:00 "meetings.plan" gives every active cadence a job
that plans its occurrences up to the horizon (one transaction a cadence, so one that fails is
retried alone) and refreshes the agenda of the meetings of the coming week; at 07:00 the
action-item digest. Per meeting and occurrence (scheduled by meetings.notifications): the
reminder with the agenda, minutes due, and the missed-cadence check at the period's end.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from brm.outbox.models import DueJob
from brm.outbox.registry import daily_job, due_job_handler
from brm.outbox.services import due_job_schedule

from . import communications, notifications, services
from .models import Cadence, Meeting, Notice, NoticeUpdate

PLAN = "meetings.plan"
CADENCE_PLAN = "meetings.cadence_plan"
DIGEST = "meetings.digest"
AGENDA_REFRESH_DAYS = 7


@daily_job(PLAN, at=time(6, 0))
def meetings_plan(job: DueJob) -> None:
    day = job.payload["date"]
    for cadence in Cadence.objects.filter(status=Cadence.Status.ACTIVE).only("pk"):
        due_job_schedule(
            handler=CADENCE_PLAN,
            key=f"meetings.cadence-plan:{cadence.pk}:{day}",
            due_at=timezone.now(),
            obj=cadence,
        )
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=AGENDA_REFRESH_DAYS),
    ).select_related("customer__tenant")
    for meeting in upcoming:
        services.agenda_refresh(meeting, now=now)


@due_job_handler(CADENCE_PLAN)
def cadence_plan(job: DueJob) -> None:
    cadence = Cadence.objects.filter(pk=job.object_id).first()
    if cadence is not None:
        services.cadence_plan(cadence)


@daily_job(DIGEST, at=time(7, 0))
def action_digest(job: DueJob) -> None:
    notifications.action_digest_send(date.fromisoformat(job.payload["date"]))


def _meeting(job: DueJob) -> Meeting | None:
    return (
        Meeting.objects.select_related("customer__tenant", "organiser__user")
        .filter(pk=job.object_id)
        .first()
    )


@due_job_handler(notifications.REMINDER)
def meeting_reminder(job: DueJob) -> None:
    meeting = _meeting(job)
    if meeting is not None:
        notifications.meeting_reminder_send(meeting, starts_at=job.payload["starts_at"])


@due_job_handler(notifications.MINUTES_DUE)
def minutes_due(job: DueJob) -> None:
    meeting = _meeting(job)
    if meeting is not None:
        notifications.minutes_due_send(meeting, ends_at=job.payload["ends_at"])


@due_job_handler(notifications.MISSED_CHECK)
def missed_cadence_check(job: DueJob) -> None:
    cadence = (
        Cadence.objects.select_related("customer__relationship_manager__user")
        .filter(pk=job.object_id)
        .first()
    )
    if cadence is not None:
        notifications.cadence_period_check(
            cadence,
            start=date.fromisoformat(job.payload["period_start"]),
            end=date.fromisoformat(job.payload["period_end"]),
        )


# Communications (meetings.communications): a sent notice's and an update's fan-out, and the
# daily reminder of overdue plan entries.


@due_job_handler(communications.NOTICE_FANOUT)
def notice_fanout(job: DueJob) -> None:
    notice = Notice.objects.filter(pk=job.object_id).first()
    if notice is not None:
        communications.notice_fanout(notice)


@due_job_handler(communications.UPDATE_FANOUT)
def notice_update_fanout(job: DueJob) -> None:
    update = NoticeUpdate.objects.select_related("notice").filter(pk=job.object_id).first()
    if update is not None:
        communications.update_fanout(update)


@daily_job(communications.PLAN_OVERDUE, at=time(8, 0))
def plan_overdue(job: DueJob) -> None:
    communications.plan_overdue_remind(date.fromisoformat(job.payload["date"]))
