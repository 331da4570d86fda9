"""Seed the meetings benchmark database at scale.

    .venv/bin/python -m bench.meetings.seed [--fresh] [--scale 1.0]

The offices of bench.customers.seed (`bench-big` with 5,000 customers, 19 small ones with 100),
in their own database `brm_bench_meetings`; then every customer gets one monthly service review
(on a day of the month from 1 to 28, 10:00 office time, organised by its RM, the business manager
and the RM invited) that began six months ago, with its past: each occurrence up to today a
meeting with its two attendees and three agenda items, held with published minutes (one in six
cancelled instead), one decision per customer in its last held review (one in three still
awaiting approval) and one action item agreed there. The future occurrences are left to
bench.meetings.plan, which times making them (and their invitations) through the services.

Rows go in by bulk inserts as the runtime role under row-level security, as the other seeds.
"""

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from bench.meetings import use_bench_database

use_bench_database()

from bench.customers import seed as customers_seed  # noqa: E402

BIG_SLUG = "bench-big"
MONTHS_BACK = 6
TIME_OF_DAY = dtime(10)
AGENDA = ("Welcome and the last minutes", "Service levels of the month", "Any other business")


def first_of_month_back(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


def seed_office(slug: str) -> dict:
    """One monthly cadence per customer of the office `slug`, with its past meetings."""
    from django.utils import timezone

    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from customers.models import ActionItem, Customer
    from meetings import recurrence
    from meetings.models import (
        AgendaItem,
        Attendee,
        Cadence,
        CadenceAttendee,
        Decision,
        Meeting,
        MeetingAction,
        Minutes,
    )

    tenant = Tenant.objects.get(slug=slug)
    tid, zone = tenant.pk, tenant.zone
    now = timezone.now()
    today = timezone.localdate(now, zone)
    starts_on = first_of_month_back(today, MONTHS_BACK)
    counts = {}
    with tenant_context(tenant):
        customers = list(
            Customer.objects.select_related(
                "relationship_manager__user", "business_manager"
            ).order_by("pk")
        )
        cadences = Cadence.objects.bulk_create(
            [
                Cadence(
                    tenant_id=tid,
                    customer=c,
                    meeting_type="service_review",
                    name="Monthly service review",
                    purpose="Service levels, incidents and changes of the month.",
                    frequency="monthly",
                    interval=1,
                    month_day=1 + i % 28,
                    starts_on=starts_on,
                    time_of_day=TIME_OF_DAY,
                    duration_minutes=60,
                    location="Meeting room 4.12",
                    organiser=c.relationship_manager,
                    agenda_template="\n".join(AGENDA),
                    engagement_key="monthly_service_review:",
                )
                for i, c in enumerate(customers)
            ],
            batch_size=2000,
        )
        CadenceAttendee.objects.bulk_create(
            [
                CadenceAttendee(tenant_id=tid, cadence=k, contact=c.business_manager)
                for k, c in zip(cadences, customers, strict=True)
                if c.business_manager_id
            ]
            + [
                CadenceAttendee(tenant_id=tid, cadence=k, member=c.relationship_manager)
                for k, c in zip(cadences, customers, strict=True)
            ],
            batch_size=5000,
        )
        meetings, plans = [], []
        for n, (cadence, customer) in enumerate(zip(cadences, customers, strict=True)):
            rule = recurrence.Rule.of(cadence)
            for day, starts, ends in recurrence.occurrences(
                rule,
                start=starts_on,
                until=today,
                at=TIME_OF_DAY,
                duration=timedelta(hours=1),
                zone=zone,
            ):
                if starts >= now:
                    continue
                cancelled = (n + day.month) % 6 == 0
                meetings.append(
                    Meeting(
                        tenant_id=tid,
                        customer=customer,
                        cadence=cadence,
                        occurrence_date=day,
                        kind=Meeting.Kind.CADENCE,
                        title=cadence.name,
                        starts_at=starts,
                        ends_at=ends,
                        location=cadence.location,
                        status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.HELD,
                        detached=cancelled,
                        sequence=1 if cancelled else 0,
                        cancel_reason="Moved to next month." if cancelled else "",
                        organiser=customer.relationship_manager,
                    )
                )
                plans.append(customer)
        meetings = Meeting.objects.bulk_create(meetings, batch_size=5000)
        rm_name = {
            c.pk: c.relationship_manager.user.full_name or c.relationship_manager.user.email
            for c in customers
        }
        attendees, items, minutes = [], [], []
        for meeting, customer in zip(meetings, plans, strict=True):
            held = meeting.status == Meeting.Status.HELD
            if customer.business_manager_id:
                bm = customer.business_manager
                attendees.append(
                    Attendee(
                        tenant_id=tid,
                        meeting=meeting,
                        contact=bm,
                        name=bm.name,
                        email=bm.email,
                        attendance="attended" if held else "unknown",
                        sent_sequence=meeting.sequence,
                    )
                )
            rm = customer.relationship_manager
            attendees.append(
                Attendee(
                    tenant_id=tid,
                    meeting=meeting,
                    member=rm,
                    name=rm_name[customer.pk],
                    email=rm.user.email,
                    attendance="attended" if held else "unknown",
                    sent_sequence=meeting.sequence,
                )
            )
            for position, title in enumerate(AGENDA, start=1):
                items.append(
                    AgendaItem(
                        tenant_id=tid,
                        meeting=meeting,
                        position=position,
                        title=title,
                        minutes="Discussed; nothing to add." if held else "",
                    )
                )
            if held:
                minutes.append(
                    Minutes(
                        tenant_id=tid,
                        meeting=meeting,
                        summary="Service levels met; the action plan reviewed.",
                        status=Minutes.Status.PUBLISHED,
                        published_at=meeting.ends_at + timedelta(days=1),
                    )
                )
        Attendee.objects.bulk_create(attendees, batch_size=5000)
        AgendaItem.objects.bulk_create(items, batch_size=5000)
        Minutes.objects.bulk_create(minutes, batch_size=5000)
        last_held = {}
        for meeting in meetings:
            if meeting.status == Meeting.Status.HELD:
                last_held[meeting.customer_id] = meeting  # in time order per customer
        decisions, actions, links = [], [], []
        for n, customer in enumerate(customers):
            meeting = last_held.get(customer.pk)
            if meeting is None or not customer.business_manager_id:
                continue
            awaiting = n % 3 == 0
            decisions.append(
                Decision(
                    tenant_id=tid,
                    customer=customer,
                    meeting=meeting,
                    title="Extend the service desk's hours to 20:00",
                    kind=Decision.Kind.BUSINESS,
                    accountable_contact=customer.business_manager,
                    status=Decision.Status.PROPOSED if awaiting else Decision.Status.APPROVED,
                    decided_by_name="" if awaiting else customer.business_manager.name,
                    decided_at=None if awaiting else meeting.ends_at + timedelta(days=2),
                )
            )
            due = timezone.localdate(meeting.starts_at, zone) + timedelta(days=14)
            done = n % 2 == 0
            actions.append(
                ActionItem(
                    tenant_id=tid,
                    customer=customer,
                    title="Send the incident figures by service",
                    owner_member=customer.relationship_manager,
                    due_date=due,
                    status="done" if done else "open",
                    completed_at=(
                        datetime.combine(due - timedelta(days=n % 5), dtime(12), tzinfo=UTC)
                        if done
                        else None
                    ),
                    source=ActionItem.Source.MEETING,
                    source_ref=f"meeting:{meeting.pk}",
                )
            )
            links.append(meeting)
        Decision.objects.bulk_create(decisions, batch_size=5000)
        actions = ActionItem.objects.bulk_create(actions, batch_size=5000)
        MeetingAction.objects.bulk_create(
            [
                MeetingAction(tenant_id=tid, meeting=m, action_item=a)
                for m, a in zip(links, actions, strict=True)
            ],
            batch_size=5000,
        )
        counts = {
            "cadences": len(cadences),
            "meetings": len(meetings),
            "attendees": len(attendees),
            "agenda items": len(items),
            "minutes": len(minutes),
            "decisions": len(decisions),
            "meeting actions": len(actions),
        }
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    customers_seed.main([*(["--fresh"] if args.fresh else []), "--scale", str(args.scale)])
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from meetings.models import Cadence

    with tenant_context(Tenant.objects.get(slug=BIG_SLUG)):
        if Cadence.objects.exists():
            print("meetings present (use --fresh to re-create)")
            return
    slugs = Tenant.objects.filter(slug__startswith="bench-").order_by("slug")
    for slug in slugs.values_list("slug", flat=True):
        counts = seed_office(slug)
        if slug in (BIG_SLUG, "bench-01"):
            print(f"{slug}: {counts}", flush=True)
    customers_seed.vacuum_analyze()
    print(f"meetings seeded in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
