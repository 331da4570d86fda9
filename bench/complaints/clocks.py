"""The due-job pass over 10,000 running complaint clocks: how long, and not one mark twice.

    .venv/bin/python -m bench.complaints.clocks [--clocks 10000] [--workers 2]

In the seeded complaints database (python -m bench.complaints.seed), office `bench-02`: its
earlier clock-bench complaints are deleted, then N medium complaints are received a week ago
on a Monday at 09:00 office time (bulk inserts: the complaint, its running span, and the due
jobs `complaints.clock.clock_schedule` would make, keyed and timed as it keys and times them).
The pass runs "on Tuesday at 09:00": 8 business hours later, so each clock's acknowledge
warning (6 h) and breach (8 h) are due, and its resolve marks (60 h, 80 h) are not.

`--workers` processes race through the pass, each doing what the beat and a worker do:
dispatch what is due (`due_job_dispatch`), then run every dispatched job of the office
(`due_job_run`, which the other process may have taken: then it is skipped), until nothing is
due. The broker is Celery's in-memory one: the processes are the workers. Then it counts, per
complaint, the warnings and breaches in the timeline and the warning emails queued: each must
be exactly one.
"""

import argparse
import multiprocessing
import os
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from unittest import mock

from bench.complaints import use_bench_database

use_bench_database()
os.environ["CELERY_BROKER_URL"] = "memory://"

SLUG = "bench-02"
SUBJECT = "Clock bench"


def _moments(zone):
    """(received, pass): the Monday 09:00 of last week in the office's zone, and the Tuesday
    09:00 after it."""
    from django.utils import timezone

    today = timezone.localdate(timezone.now(), zone)
    monday = today - timedelta(days=today.weekday() + 7)
    received = datetime.combine(monday, dtime(9), tzinfo=zone)
    return received, received + timedelta(days=1)


def seed(clocks: int) -> dict:
    from brm.hours.selectors import office_calendar
    from brm.outbox.models import DueJob, OutboxMessage
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from complaints import clock
    from complaints.models import DEFAULT_POLICY, ClockSpan, Complaint
    from customers.models import Customer

    tenant = Tenant.objects.get(slug=SLUG)
    received, at = _moments(tenant.zone)
    policy = DEFAULT_POLICY["medium"]
    with tenant_context(tenant):
        old = Complaint.objects.filter(subject__startswith=SUBJECT)
        DueJob.objects.filter(
            object_type="complaints.complaint",
            object_id__in=[str(pk) for pk in old.values_list("pk", flat=True)],
        ).delete()
        OutboxMessage.objects.filter(key__startswith="complaint-").delete()
        old.delete()
        cal = office_calendar()
        customers = list(Customer.objects.filter(business_manager__isnull=False).order_by("pk"))
        complaints = Complaint.objects.bulk_create(
            [
                Complaint(
                    tenant_id=tenant.pk,
                    reference=f"CB-{n:06d}",
                    customer_id=customers[n % len(customers)].pk,
                    raiser_contact_id=customers[n % len(customers)].business_manager_id,
                    owner_id=customers[n % len(customers)].relationship_manager_id,
                    channel="api",
                    severity="medium",
                    subject=f"{SUBJECT} {n}",
                    description="A running clock.",
                    acknowledge_hours=policy["ack"],
                    resolve_hours=policy["resolve"],
                    resolve_started_at=received,
                    received_at=received,
                )
                for n in range(clocks)
            ],
            batch_size=5000,
        )
        ClockSpan.objects.bulk_create(
            [ClockSpan(tenant_id=tenant.pk, complaint=c, started_at=received) for c in complaints],
            batch_size=5000,
        )
        jobs, spans = [], [(received, None)]
        for complaint in complaints:
            for name, target in clock.targets_of(complaint).items():
                for mark in (clock.WARN, clock.BREACH):
                    due = clock.mark_due(target, mark, spans, cal)
                    jobs.append(
                        DueJob(
                            tenant_id=tenant.pk,
                            status=DueJob.QUEUED,
                            handler=clock.CLOCK_JOB,
                            key=clock.job_key(complaint, name, mark, due),
                            due_at=due,
                            next_attempt_at=due,
                            payload={
                                "target": name,
                                "mark": mark,
                                "level": 1,
                                "due": due.isoformat(),
                            },
                            object_type="complaints.complaint",
                            object_id=str(complaint.pk),
                        )
                    )
        DueJob.objects.bulk_create(jobs, batch_size=5000)
        due = sum(1 for job in jobs if job.due_at <= at)
    return {"tenant_id": tenant.pk, "at": at, "jobs": len(jobs), "due": due}


def work(tenant_id: int, at: datetime, results) -> None:
    """One process of the pass: dispatch, run what is dispatched, until nothing is due."""
    from django.db import connections

    from brm.outbox.models import DueJob
    from brm.outbox.services import due_job_dispatch, due_job_run
    from brm.tenancy.context import tenant_context

    counts = {}
    with mock.patch("django.utils.timezone.now", return_value=at):
        idle = 0
        while idle < 2:
            claimed = due_job_dispatch(now=at)
            with tenant_context(tenant_id):
                ids = list(
                    DueJob.objects.filter(status=DueJob.DISPATCHED)
                    .order_by("due_at", "pk")
                    .values_list("pk", flat=True)[:500]
                )
            for pk in ids:
                outcome = due_job_run(tenant_id=tenant_id, job_id=pk)
                counts[outcome] = counts.get(outcome, 0) + 1
            idle = idle + 1 if not (claimed or ids) else 0
    connections.close_all()
    results.put(counts)


def duplicates(tenant_id: int) -> dict:
    from django.db.models import Count, Q

    from brm.outbox.models import DueJob, OutboxMessage
    from brm.tenancy.context import tenant_context
    from complaints.models import Complaint, ComplaintEvent

    with tenant_context(tenant_id):
        mine = Complaint.objects.filter(subject__startswith=SUBJECT)
        events = ComplaintEvent.objects.filter(complaint__in=mine)
        marks = mine.annotate(
            warned=Count("events", filter=Q(events__kind="warned")),
            breached=Count("events", filter=Q(events__kind="breached")),
        )
        return {
            "complaints": mine.count(),
            "warned once": marks.filter(warned=1).count(),
            "breached once": marks.filter(breached=1).count(),
            "warned twice or more": marks.filter(warned__gt=1).count(),
            "breached twice or more": marks.filter(breached__gt=1).count(),
            "marked breached": mine.filter(acknowledge_breached=True).count(),
            "warning emails": OutboxMessage.objects.filter(
                key__startswith="complaint-warning:"
            ).count(),
            "breach emails": OutboxMessage.objects.filter(
                key__startswith="complaint-breach:"
            ).count(),
            "events": events.count(),
            "jobs left due": DueJob.objects.filter(
                handler="complaints.clock", status__in=[DueJob.QUEUED, DueJob.DISPATCHED]
            )
            .filter(due_at__lte=mine.first().received_at + timedelta(days=1))
            .count(),
        }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clocks", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.db import connections

    started = time.monotonic()
    made = seed(args.clocks)
    print(
        f"{args.clocks} running clocks, {made['jobs']} jobs ({made['due']} due at the pass) "
        f"made in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [
        context.Process(target=work, args=(made["tenant_id"], made["at"], results))
        for _ in range(args.workers)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    took = time.monotonic() - started
    print(f"pass: {took:.1f} s with {args.workers} racing processes: {outcomes}")
    print(f"  {made['due'] / took:.0f} due jobs a second")
    print(f"  load average {os.getloadavg()}")
    for name, value in duplicates(made["tenant_id"]).items():
        print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
