"""The complaint's clocks, as due jobs: the time to acknowledge and the time to resolve, in the
office's business hours, stopped while the complaint waits on the raiser (or awaits the raiser's
confirmation) and running again after.

Each target has two marks: a warning to the owner at 75 % and the breach at 100 %. A breach of
the resolve target escalates the complaint one level, which sets that level's own new resolve
target (from the breach). Each mark is a due job keyed by complaint, target, level, mark and due
time (`complaints.clock:<pk>:<target>:<level>:<mark>:<due>`): when the clock stops and runs again
the due times move, the new ones are new jobs, and an old job finds that its time is no longer
the clock's and does nothing. The handler runs in the job's transaction with the complaint's row
locked, and sets each mark with a conditional update, so every warning, breach and escalation
happens once, whichever job, dispatcher or worker gets there first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from brm.hours.arithmetic import (
    ZERO,
    Calendar,
    add_business_time,
    business_time_between,
)
from brm.hours.selectors import office_calendar
from brm.outbox.models import DueJob
from brm.outbox.services import due_job_schedule

from .models import ClockSpan, Complaint, hours

CLOCK_JOB = "complaints.clock"
ACKNOWLEDGE, RESOLVE = "acknowledge", "resolve"
WARN, BREACH = "warn", "breach"
WARN_AT = 0.75

Spans = list[tuple[datetime, datetime | None]]


def spans_of(complaint: Complaint) -> Spans:
    return list(
        ClockSpan.objects.filter(complaint=complaint)
        .order_by("started_at", "pk")
        .values_list("started_at", "ended_at")
    )


def business_time_used(spans: Spans, since: datetime, until: datetime, cal: Calendar) -> timedelta:
    """The business time the clock ran between `since` and `until` (a running span counts to
    `until`)."""
    used = ZERO
    for start, end in spans:
        a, b = max(start, since), min(end or until, until)
        if b > a:
            used += business_time_between(a, b, cal)
    return used


@dataclass(frozen=True)
class Target:
    """One of the complaint's targets as the clock sees it."""

    name: str
    hours: timedelta
    started_at: datetime
    done_at: datetime | None  # acknowledged / resolved

    def fraction(self, mark: str) -> timedelta:
        return self.hours * WARN_AT if mark == WARN else self.hours


def targets_of(complaint: Complaint) -> dict[str, Target]:
    resolved = complaint.resolved_at if not complaint.is_open else None
    return {
        ACKNOWLEDGE: Target(
            ACKNOWLEDGE,
            hours(complaint.acknowledge_hours),
            complaint.received_at,
            complaint.acknowledged_at,
        ),
        RESOLVE: Target(
            RESOLVE, hours(complaint.resolve_hours), complaint.resolve_started_at, resolved
        ),
    }


def mark_due(target: Target, mark: str, spans: Spans, cal: Calendar) -> datetime | None:
    """When the mark falls due on the clock as it runs now; None while the clock is stopped or
    the target is met. Counted from the running span's start (so it does not depend on when it
    is asked): the business time used before it, and the rest added from there."""
    if target.done_at is not None or not spans or spans[-1][1] is not None:
        return None
    running_from = max(spans[-1][0], target.started_at)
    used = business_time_used(spans[:-1], target.started_at, running_from, cal)
    return add_business_time(running_from, max(target.fraction(mark) - used, ZERO), cal)


def _is_set(complaint: Complaint, target: str, mark: str) -> bool:
    if target == ACKNOWLEDGE:
        return (
            complaint.acknowledge_warned_at is not None
            if mark == WARN
            else complaint.acknowledge_breached
        )
    if mark == WARN:
        return complaint.resolve_warned_at is not None
    return complaint.resolve_target_breached_at is not None


def job_key(complaint: Complaint, target: str, mark: str, due: datetime) -> str:
    stamp = due.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{CLOCK_JOB}:{complaint.pk}:{target}:{complaint.level}:{mark}:{stamp}"


def clock_schedule(complaint: Complaint, *, cal: Calendar | None = None) -> list[DueJob]:
    """Set the due times of the targets in force from the clock as it runs now, and the due
    jobs of their marks not reached yet. Idempotent (the same clock makes the same keys); call
    it after anything that starts, stops or changes a target."""
    cal = cal or office_calendar()
    spans = spans_of(complaint)
    targets = targets_of(complaint)
    jobs = []
    dues = {}
    for name, target in targets.items():
        dues[name] = mark_due(target, BREACH, spans, cal)
        for mark in (WARN, BREACH):
            due = mark_due(target, mark, spans, cal)
            if due is None or _is_set(complaint, name, mark):
                continue
            jobs.append(
                due_job_schedule(
                    handler=CLOCK_JOB,
                    key=job_key(complaint, name, mark, due),
                    due_at=due,
                    payload={
                        "target": name,
                        "mark": mark,
                        "level": complaint.level,
                        "due": due.isoformat(),
                    },
                    obj=complaint,
                )
            )
    # A stopped clock keeps the due times it had; `selectors.complaint_clock` reads the time
    # left from the spans.
    changed = {}
    if dues[ACKNOWLEDGE] is not None and dues[ACKNOWLEDGE] != complaint.acknowledge_due_at:
        changed["acknowledge_due_at"] = dues[ACKNOWLEDGE]
    if dues[RESOLVE] is not None and dues[RESOLVE] != complaint.resolve_due_at:
        changed["resolve_due_at"] = dues[RESOLVE]
    if changed:
        Complaint.objects.filter(pk=complaint.pk).update(**changed)
        for name, value in changed.items():
            setattr(complaint, name, value)
    return jobs


def clock_mark(job: DueJob) -> None:
    """A warning or a breach fell due: act on it if it is still the clock's, once."""
    from . import services  # services schedule the clock; the clock escalates through them

    complaint = Complaint.objects.select_for_update().filter(pk=job.object_id).first()
    if complaint is None:
        return
    target, mark = job.payload["target"], job.payload["mark"]
    if target == RESOLVE and complaint.level != int(job.payload["level"]):
        return  # escalated since: the new level has its own target and jobs
    cal = office_calendar()
    spans = spans_of(complaint)
    due = mark_due(targets_of(complaint)[target], mark, spans, cal)
    if due is None:
        return  # stopped (waiting on the raiser) or met: running again schedules anew
    if due != datetime.fromisoformat(job.payload["due"]):
        clock_schedule(complaint, cal=cal)  # moved (a pause, a new severity, a new holiday)
        return
    services.clock_mark_reached(complaint=complaint, target=target, mark=mark, at=due, cal=cal)
