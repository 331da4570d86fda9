"""Time the daily planning job: the occurrences and their invitations for many cadences.

    .venv/bin/python -m bench.meetings.plan [--customers 5000] [--office bench-big]

Needs the seeded database (python -m bench.meetings.seed). Takes the first --customers monthly
cadences of the office (one a customer) and plans each up to the office's horizon (120 days) with
meetings.services.cadence_plan, one transaction a cadence as the daily job does, in this one
process. Each occurrence is a meeting with its attendees and its agenda (the template's items
and the providers' proposals: the customer's open action items, decisions awaiting approval),
and its invitations are queued through meetings.invitations.invitations_queue into the outbox
(OutboxMessage rows), and its due jobs through meetings.notifications (DueJob rows).

Before timing, the office's future occurrences, outbox messages and due jobs are deleted and
the cadences' planned_until cleared, so the script runs again on the same seed. After it, the
same planning runs a second time and must make no meeting and queue no email; every outbox key
must be there once. Results go to bench/results/meetings-plan.json.
"""

import argparse
import json
import re
import time
from pathlib import Path

from bench.meetings import use_bench_database

use_bench_database()

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


def reset(tenant) -> None:
    """Forget earlier runs: future meetings of the office's cadences, its emails and due jobs."""
    from django.db import connection, transaction
    from django.utils import timezone

    from brm.tenancy.context import tenant_context

    with tenant_context(tenant), transaction.atomic(), connection.cursor() as cursor:
        tid = tenant.pk
        future = (
            "SELECT id FROM meetings_meeting WHERE tenant_id = %s AND cadence_id IS NOT NULL"
            " AND starts_at > %s"
        )
        now = timezone.now()
        # The database has no ON DELETE CASCADE (Django cascades in Python): children first.
        for table in (
            "meetings_attendee",
            "meetings_meetingaction",
            "meetings_minutes",
            "meetings_agendaitem",
        ):
            cursor.execute(
                f"DELETE FROM {table} WHERE tenant_id = %s AND meeting_id IN ({future})",
                [tid, tid, now],
            )
        cursor.execute(
            "UPDATE meetings_decision SET meeting_id = NULL WHERE tenant_id = %s"
            f" AND meeting_id IN ({future})",
            [tid, tid, now],
        )
        cursor.execute(
            "DELETE FROM meetings_meeting WHERE tenant_id = %s AND cadence_id IS NOT NULL"
            " AND starts_at > %s",
            [tid, now],
        )
        cursor.execute("DELETE FROM outbox_outboxmessage WHERE tenant_id = %s", [tid])
        cursor.execute("DELETE FROM outbox_duejob WHERE tenant_id = %s", [tid])
        cursor.execute(
            "UPDATE meetings_cadence SET planned_until = NULL WHERE tenant_id = %s", [tid]
        )


def written(tenant) -> dict:
    from django.db.models import Count

    from brm.outbox.models import DueJob, OutboxMessage
    from brm.tenancy.context import tenant_context
    from meetings.models import Attendee, Meeting

    with tenant_context(tenant):
        duplicates = (
            OutboxMessage.objects.values("key").annotate(n=Count("pk")).filter(n__gt=1).count()
        )
        return {
            "meetings": Meeting.objects.count(),
            "attendees": Attendee.objects.count(),
            "emails": OutboxMessage.objects.count(),
            "due_jobs": DueJob.objects.count(),
            "duplicate_email_keys": duplicates,
        }


def plan_all(tenant, cadence_ids: list[int]) -> tuple[int, float, int]:
    """Plan each cadence once; (meetings made, seconds, SQL statements of the first cadence)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brm.tenancy.context import tenant_context
    from meetings import services
    from meetings.models import Cadence

    made = 0
    first_queries = 0
    started = time.perf_counter()
    with tenant_context(tenant):
        for n, pk in enumerate(cadence_ids):
            cadence = Cadence.objects.get(pk=pk)
            if n == 0:
                with CaptureQueriesContext(connection) as ctx:
                    made += len(services.cadence_plan(cadence))
                first_queries = len(
                    [
                        q
                        for q in ctx.captured_queries
                        if not re.match(r"(RELEASE )?SAVEPOINT|SELECT set_config", q["sql"])
                    ]
                )
            else:
                made += len(services.cadence_plan(cadence))
            if n and n % 500 == 0:
                print(f"  {n} cadences, {made} meetings, {time.perf_counter() - started:.0f} s")
    return made, time.perf_counter() - started, first_queries


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--office", default="bench-big")
    args = parser.parse_args(argv)
    import django

    django.setup()
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from meetings import services
    from meetings.models import Cadence

    tenant = Tenant.objects.get(slug=args.office)
    reset(tenant)
    with tenant_context(tenant):
        horizon = services.meeting_settings().horizon_days
        ids = list(
            Cadence.objects.filter(status=Cadence.Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)[: args.customers]
        )
    before = written(tenant)
    made, seconds, first_queries = plan_all(tenant, ids)
    after = written(tenant)
    again, again_seconds, _q = plan_all(tenant, ids)
    final = written(tenant)
    emails = after["emails"] - before["emails"]
    result = {
        "office": args.office,
        "cadences": len(ids),
        "horizon_days": horizon,
        "seconds": round(seconds, 1),
        "meetings": made,
        "meetings_per_second": round(made / seconds, 1),
        "attendees": after["attendees"] - before["attendees"],
        "emails_queued": emails,
        "emails_per_second": round(emails / seconds, 1),
        "due_jobs": after["due_jobs"] - before["due_jobs"],
        "statements_first_cadence": first_queries,
        "duplicate_email_keys": final["duplicate_email_keys"],
        "second_run": {
            "seconds": round(again_seconds, 1),
            "meetings": again,
            "emails_queued": final["emails"] - after["emails"],
        },
    }
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"meetings-plan-{len(ids)}.json").write_text(json.dumps(result, indent=2))
    problems = []
    if result["duplicate_email_keys"]:
        problems.append(f"{result['duplicate_email_keys']} outbox keys twice")
    if again or result["second_run"]["emails_queued"]:
        problems.append("the second run planned or queued again")
    if problems:
        raise SystemExit("; ".join(problems))


if __name__ == "__main__":
    main()
