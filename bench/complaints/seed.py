"""Seed the complaints benchmark database at scale.

    .venv/bin/python -m bench.complaints.seed [--fresh] [--scale 1.0]

The offices of bench.customers.seed (`bench-big` with 5,000 customers, 19 small ones with 100),
in their own database `brm_bench_complaints`, each with an IT manager and a steering member;
then 100,000 complaints in `bench-big` (20 a customer) and 100 in each small office, received
over the last two years: most closed, the rest in every other state, one in ten at level 2 and
one in fifty at level 3 (with their escalations), one in a hundred about the relationship
manager; each with its clock span(s), its events (received, acknowledged, resolved...) and, for
one in two, a message from the office and the raiser's reply.

Rows go in by bulk inserts as the runtime role under row-level security, as the other seeds;
the targets are the default policy's, the due times received plus the hours as wall time (the
pages show them, nothing here runs them: bench.complaints.clocks times the jobs).
"""

import argparse
import time
from datetime import timedelta

from bench.complaints import use_bench_database

use_bench_database()

from bench.customers import seed as customers_seed  # noqa: E402

BIG_SLUG = "bench-big"
BIG_COMPLAINTS = 100_000
SMALL_COMPLAINTS = 100
DAYS_BACK = 730
BATCH = 5000

# Status by n % 20: mostly closed, as an office's history is.
STATUSES = (
    ["closed_confirmed"] * 9
    + ["closed_deemed_accepted"] * 3
    + ["resolved", "resolved", "new", "acknowledged", "in_progress", "in_progress"]
    + ["waiting_on_raiser", "reopened"]
)
SEVERITIES = ("low", "medium", "medium", "high", "critical")


def _people(tenant, slug):
    """An IT manager and a steering member for the office (the route's levels 2 and 3)."""
    from django.contrib.auth.hashers import make_password

    from brm.accounts.models import User
    from brm.tenancy.models import Membership, Role

    hashed = make_password(customers_seed.PASSWORD)
    made = {}
    for role, who in ((Role.IT_MANAGER, "itm"), (Role.STEERING, "steering")):
        user, _ = User.objects.get_or_create(
            email=f"{who}@{slug}.bench.example",
            defaults={"full_name": f"{who} {slug}", "password": hashed},
        )
        made[who], _ = Membership.objects.get_or_create(
            tenant=tenant, user=user, defaults={"role": role}
        )
    return made


def seed_office(slug: str, total: int) -> dict:
    from django.utils import timezone

    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from complaints.models import (
        DEFAULT_POLICY,
        ClockSpan,
        Complaint,
        ComplaintEvent,
        ComplaintMessage,
        Escalation,
        ReferenceCounter,
        hours,
    )
    from customers.models import Customer

    tenant = Tenant.objects.get(slug=slug)
    tid = tenant.pk
    now = timezone.now()
    with tenant_context(tenant):
        people = _people(tenant, slug)
        customers = list(
            Customer.objects.filter(business_manager__isnull=False)
            .select_related("relationship_manager")
            .order_by("pk")
        )
        step = timedelta(days=DAYS_BACK) / total
        complaints, counters = [], {}
        for n in range(total):
            customer = customers[n % len(customers)]
            received = now - timedelta(days=DAYS_BACK) + step * n
            status = STATUSES[n % len(STATUSES)]
            severity = SEVERITIES[n % len(SEVERITIES)]
            policy = DEFAULT_POLICY[severity]
            level = 3 if n % 50 == 7 else 2 if n % 10 == 3 else 1
            about_rm = n % 100 == 11
            if about_rm:
                level = max(level, 2)
            year = timezone.localtime(received, tenant.zone).year
            counters[year] = counters.get(year, 0) + 1
            acked = None if status == "new" else received + timedelta(hours=2)
            resolved = (
                received + timedelta(days=6)
                if status in ("resolved", "closed_confirmed", "closed_deemed_accepted")
                else None
            )
            owner = None if about_rm or level == 3 else people["itm"] if level == 2 else None
            complaints.append(
                Complaint(
                    tenant_id=tid,
                    reference=f"C-{year}-{counters[year]:05d}",
                    customer_id=customer.pk,
                    raiser_contact_id=customer.business_manager_id,
                    channel=("portal", "staff", "api", "email")[n % 4],
                    severity=severity,
                    subject=f"Complaint {n}: the service was down at month end",
                    description="It stopped twice during the close; invoices are late.",
                    status=status,
                    owner=owner or (None if about_rm else customer.relationship_manager),
                    level=level,
                    about_rm=about_rm,
                    rm_concerned=customer.relationship_manager if about_rm else None,
                    acknowledge_hours=policy["ack"],
                    acknowledge_due_at=received + hours(policy["ack"]),
                    resolve_hours=policy["resolve"],
                    resolve_due_at=received + hours(policy["resolve"]),
                    resolve_started_at=received,
                    acknowledge_breached=n % 13 == 0,
                    resolve_breached=n % 9 == 0,
                    root_cause_category="process" if resolved else "",
                    root_cause="The batch was not rescheduled." if resolved else "",
                    resolution="Rescheduled, and a check added." if resolved else "",
                    rating=(n % 5) + 1 if status == "closed_confirmed" else None,
                    received_at=received,
                    acknowledged_at=acked,
                    resolved_at=resolved,
                    closed_at=resolved + timedelta(days=3) if status.startswith("closed") else None,
                )
            )
        complaints = Complaint.objects.bulk_create(complaints, batch_size=BATCH)
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(tenant_id=tid, year=y, last=last) for y, last in counters.items()]
        )
        spans, events, messages, escalations = [], [], [], []
        for n, c in enumerate(complaints):
            running = c.status in Complaint.WORKING_STATUSES or c.status == "new"
            ended = None if running else (c.resolved_at or c.received_at + timedelta(days=2))
            spans.append(
                ClockSpan(tenant_id=tid, complaint=c, started_at=c.received_at, ended_at=ended)
            )
            events.append(
                ComplaintEvent(
                    tenant_id=tid, complaint=c, kind="received", status="new", at=c.received_at
                )
            )
            if c.acknowledged_at:
                events.append(
                    ComplaintEvent(
                        tenant_id=tid,
                        complaint=c,
                        kind="acknowledged",
                        status="acknowledged",
                        at=c.acknowledged_at,
                    )
                )
            for to_level in range(2, c.level + 1):
                if c.about_rm and to_level == 2:
                    continue
                at = c.received_at + timedelta(days=to_level)
                escalations.append(
                    Escalation(
                        tenant_id=tid,
                        complaint=c,
                        from_level=to_level - 1,
                        to_level=to_level,
                        reason="breach" if n % 2 else "raiser_request",
                        note="The time to resolve ran out.",
                        at=at,
                    )
                )
                events.append(
                    ComplaintEvent(
                        tenant_id=tid,
                        complaint=c,
                        kind="escalated",
                        status=c.status,
                        data={"level": to_level},
                        at=at,
                    )
                )
            if c.resolved_at:
                events.append(
                    ComplaintEvent(
                        tenant_id=tid,
                        complaint=c,
                        kind="resolved",
                        status="resolved",
                        at=c.resolved_at,
                    )
                )
            if n % 2 == 0:
                messages += [
                    ComplaintMessage(
                        tenant_id=tid,
                        complaint=c,
                        author_name="The office",
                        body="We are looking into it and will call you tomorrow.",
                    ),
                    ComplaintMessage(
                        tenant_id=tid,
                        complaint=c,
                        author_name="The raiser",
                        from_raiser=True,
                        body="Thank you; please call before noon.",
                    ),
                ]
        ClockSpan.objects.bulk_create(spans, batch_size=BATCH)
        ComplaintEvent.objects.bulk_create(events, batch_size=BATCH)
        ComplaintMessage.objects.bulk_create(messages, batch_size=BATCH)
        Escalation.objects.bulk_create(escalations, batch_size=BATCH)
    return {
        "complaints": len(complaints),
        "spans": len(spans),
        "events": len(events),
        "messages": len(messages),
        "escalations": len(escalations),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    customers_seed.main([*(["--fresh"] if args.fresh else []), "--scale", str(args.scale)])
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from complaints.models import Complaint

    with tenant_context(Tenant.objects.get(slug=BIG_SLUG)):
        if Complaint.objects.exists():
            print("complaints present (use --fresh to re-create)")
            return
    slugs = Tenant.objects.filter(slug__startswith="bench-").order_by("slug")
    for slug in slugs.values_list("slug", flat=True):
        total = BIG_COMPLAINTS if slug == BIG_SLUG else SMALL_COMPLAINTS
        counts = seed_office(slug, max(1, int(total * args.scale)))
        if slug in (BIG_SLUG, "bench-01"):
            print(f"{slug}: {counts}", flush=True)
    customers_seed.vacuum_analyze()
    print(f"complaints seeded in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
