"""Helpers of the workers' tests: run what is due at a time, read the emails by kind, and a
one-off meeting at any time (past ones are moved there after planning, as a held meeting is)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from meetings import notifications, services
from meetings.models import Meeting


def run_due(tenant, now, handler: str) -> list[str]:
    """What the beat and a worker do at `now`: dispatch what is due, run the `handler`'s jobs."""
    due_job_dispatch(now=now)
    with tenant_context(tenant):
        ids = list(
            DueJob.objects.filter(handler=handler, status=DueJob.DISPATCHED).values_list(
                "pk", flat=True
            )
        )
    return [due_job_run(tenant_id=tenant.pk, job_id=pk) for pk in ids]


def jobs(handler: str, **filters) -> list[DueJob]:
    return list(DueJob.objects.filter(handler=handler, **filters).order_by("due_at", "pk"))


def mails(prefix: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(key__startswith=prefix).order_by("pk"))


def office_today():
    """Today in the test office's time zone (Amsterdam, mworld): the day the code plans by,
    which is not the server's (UTC) between 23:00 and midnight."""
    from zoneinfo import ZoneInfo

    return timezone.localdate(timezone=ZoneInfo("Europe/Amsterdam"))


def local(tenant, day, hour=9, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tenant.zone)


def one_off(world, *, starts_at: datetime, contacts=None, **overrides) -> Meeting:
    data = {
        "customer": world.customer,
        "title": "Escalation: payroll run",
        "kind": "escalation",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "organiser": world.rm,
        "location": "Room 4.12",
    }
    data.update(overrides)
    return services.meeting_create(
        actor=world.rm.user,
        contacts=[world.bea] if contacts is None else contacts,
        members=[world.rm],
        **data,
    )


def held_in_the_past(world, meeting: Meeting, *, hours_ago=2, minutes: str | None = None):
    """Put the meeting `hours_ago` in the past, mark it held, and publish `minutes` if given."""
    start = timezone.now() - timedelta(hours=hours_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    meeting.refresh_from_db()
    notifications.meeting_jobs_follow(meeting)  # as the meeting's jobs are for its real time
    services.meeting_mark_held(meeting=meeting, actor=world.rm.user)
    if minutes is not None:
        services.minutes_save(meeting=meeting, actor=world.rm.user, summary=minutes)
        services.minutes_publish(meeting=meeting, actor=world.rm.user)
    return meeting
