"""Seed the agreements benchmark database at scale.

    .venv/bin/python -m bench.agreements.seed [--fresh] [--scale 1.0]

The offices of bench.customers.seed (`bench-big` with 5,000 customers, 19 small ones with 100),
in their own database `brm_bench_agreements`; then every customer gets its Partnership Agreement
with 3 versions: v1 superseded (in force from 5 years to 18 months ago), v2 in force since, v3 a
draft or in signature; rows in every section, 4 to 6 SLA lines a version (the same keys across
versions, as a revision copies them) and 24 months of measurements per line key, each against
the line of the version in force at the period's end. One more customer of the big office has
the 20-line agreement that bench.agreements.render draws and seals.

Rows go in by bulk inserts as the runtime role under row-level security. The frozen-version
trigger refuses rows of a version that left draft, so each version is inserted as a draft with
its rows and then moved to its status in one update, with its content's SHA-256 as
agreements.services.version_submit would freeze it (a sample is checked against
services.content_sha256).
"""

import argparse
import calendar
import hashlib
import json
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from bench.agreements import use_bench_database

use_bench_database()

from bench.customers import seed as customers_seed  # noqa: E402

SERVICES = (
    "E-mail and calendar",
    "Service desk",
    "ERP finance",
    "Network",
    "Workplace devices",
    "Data platform",
    "Identity and access",
    "Document management",
    "Payroll",
    "Customer portal",
)
METRICS = (
    ("Availability", "%", "at_least", "99.5000", "month"),
    ("Incidents resolved in time", "%", "at_least", "95.0000", "month"),
    ("Mean time to restore", "h", "at_most", "4.0000", "month"),
    ("Change success rate", "%", "at_least", "98.0000", "quarter"),
    ("Tickets answered in 1 h", "%", "at_least", "90.0000", "month"),
    ("Backlog older than 30 days", "tickets", "at_most", "25.0000", "month"),
)
MONTHS_MEASURED = 24
V1_MONTHS_AGO, V2_MONTHS_AGO = 60, 18
BIG_SLUG = "bench-big"
TWENTY_LINES = "Customer with a 20-line agreement"


def months_back(today: date, months: int, day: int = 1) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(day, calendar.monthrange(year, month + 1)[1]))


def month_period(start: date) -> tuple[date, date]:
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


def quarter_period(start: date) -> tuple[date, date]:
    first = (start.month - 1) // 3 * 3 + 1
    last = first + 2
    return (
        date(start.year, first, 1),
        date(start.year, last, calendar.monthrange(start.year, last)[1]),
    )


def _sha256_of(version, rows_by_section: dict) -> str:
    """agreements.services.canonical_content, from the rows in hand instead of a query each."""
    content = {
        "format": 2,
        "agreement": version.agreement_id,
        "customer": version.agreement.customer_id,
        "version": version.number,
        "relationship_philosophy": version.relationship_philosophy,
        **{name: [row.content() for row in rows] for name, rows in rows_by_section.items()},
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _section_rows(tid, version, customer, contacts, rms, actions, services, lines, n, sizes):
    """Every section's rows of one version (not saved), by the canonical content's names."""
    from agreements.models import (
        ActionPlanRow,
        EngagementRow,
        ObjectiveRow,
        PartnerPlanRow,
        SlaLine,
    )

    rm = customer.relationship_manager
    people = [
        PartnerPlanRow(
            tenant_id=tid,
            version=version,
            position=0,
            member=rm,
            name=rm.user.full_name,
            email=rm.user.email,
            title="Relationship manager",
            role="Single point of contact for IT",
        )
    ] + [
        PartnerPlanRow(
            tenant_id=tid,
            version=version,
            position=p,
            contact=c,
            name=c.name,
            title=c.title,
            email=c.email,
            phone=f"+41 44 555 {n % 100:02d} {p:02d}",
            role=("Business manager", "Business line manager", "Key user", "Finance")[p % 4],
        )
        for p, c in enumerate(contacts[: sizes["partner_plan"] - 1], start=1)
    ]
    cadences = [
        ("monthly_service_review", "monthly", 1, 10, None, None),
        ("quarterly_initiative_review", "quarterly", 1, None, 1, 2),
        ("annual_alignment", "yearly", 1, 15, None, None),
        ("other", "weekly", 2, None, 3, None),
    ]
    engagement = [
        EngagementRow(
            tenant_id=tid,
            version=version,
            position=p,
            meeting_type=kind,
            name="Operations stand-up" if kind == "other" else "",
            purpose="Review service levels, incidents and changes of the period.",
            attendee_roles=["Relationship manager", "Business manager"],
            attendee_contact_ids=[c.pk for c in contacts[:2]],
            attendee_member_ids=[rm.pk],
            frequency=freq,
            interval=interval,
            month_day=month_day,
            weekday=weekday,
            week_of_month=week,
            duration_minutes=60 if kind != "annual_alignment" else 180,
        )
        for p, (kind, freq, interval, month_day, weekday, week) in enumerate(
            cadences[: sizes["engagement"]]
        )
    ]
    objectives = [
        ObjectiveRow(
            tenant_id=tid,
            version=version,
            position=p,
            objective=f"Objective {p + 1}: lower the cost of {services[(n + p) % 10].name}",
            initiative="Consolidate licences and automate provisioning.",
            owner_member=rm if p % 2 else None,
            owner_text="" if p % 2 else "Head of business operations",
            target_date=version_day(version) + timedelta(days=90 * (p + 1)),
            status=("planned", "in_progress", "achieved", "dropped")[(n + p) % 4],
        )
        for p in range(sizes["objectives"])
    ]
    action_plan = [
        ActionPlanRow(
            tenant_id=tid,
            version=version,
            position=p,
            action_item=item,
            title=item.title,
            owner_name=rm.user.full_name,
            due_date=item.due_date,
        )
        for p, item in enumerate(actions[: sizes["action_plan"]])
    ]
    sla = [
        SlaLine(
            tenant_id=tid,
            version=version,
            position=p,
            kind="ola" if p == 4 else "sla",
            service=service,
            metric=metric,
            target_value=Decimal(target),
            unit=unit,
            direction=direction,
            period=period,
            workload_limit="Up to 2,000 users and 300 tickets a month.",
            exceptions="Planned maintenance announced 5 days ahead.",
            owner=rm if p % 2 else None,
            key=key,
        )
        for p, (key, service, (metric, unit, direction, target, period)) in enumerate(lines)
    ]
    return {
        "partner_plan": people,
        "engagement": engagement,
        "objectives": objectives,
        "action_plan": action_plan,
        "sla": sla,
    }


def version_day(version) -> date:
    return (version.in_force_at or version.created_at or datetime.now()).date()


def _line_specs(services, n: int, count: int) -> list:
    """`count` SLA lines (key, service, metric spec) for customer number `n`."""
    from agreements.services import sla_line_key

    specs = []
    for p in range(count):
        service = services[(n + p) % len(services)]
        metric = METRICS[(n + 2 * p) % len(METRICS)]
        specs.append((sla_line_key(service, metric[0]), service, metric))
    return specs


def seed_office(slug: str, *, twenty_lines: bool = False) -> dict:
    """Agreements with 3 versions for every customer of the office `slug`; counts of rows."""
    from django.utils import timezone

    from agreements.models import Agreement, AgreementVersion
    from agreements.services import sla_line_key
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from customers.models import ActionItem, Contact, Customer, Service

    tenant = Tenant.objects.get(slug=slug)
    tid = tenant.pk
    zone = tenant.zone
    today = timezone.localdate(timezone.now(), zone)
    v1_at = datetime.combine(months_back(today, V1_MONTHS_AGO, 15), dtime(10), tzinfo=zone)
    v2_at = datetime.combine(months_back(today, V2_MONTHS_AGO, 15), dtime(10), tzinfo=zone)
    counts = {"agreements": 0, "versions": 0, "rows": 0, "sla_lines": 0, "measurements": 0}
    with tenant_context(tenant):
        services = Service.objects.bulk_create(
            [
                Service(tenant_id=tid, name=name, description=f"{name} for the business.")
                for name in SERVICES
            ]
        )
        customers = list(
            Customer.objects.select_related("relationship_manager__user").order_by("pk")
        )
        if twenty_lines:
            customers.append(_twenty_lines_customer(customers[0]))
        contacts, actions = {}, {}
        for c in Contact.objects.order_by("customer_id", "pk"):
            contacts.setdefault(c.customer_id, []).append(c)
        for a in ActionItem.objects.order_by("customer_id", "pk").only(
            "id", "customer_id", "title", "due_date"
        ):
            actions.setdefault(a.customer_id, []).append(a)
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    tenant_id=tid,
                    customer=c,
                    review_due=months_back(today, V2_MONTHS_AGO - 12, 15),
                )
                for c in customers
            ],
            batch_size=5000,
        )
        counts["agreements"] = len(agreements)
        versions = []
        rows: dict[str, list] = {}
        # One pass per version number: an agreement has one draft at a time, so each version
        # goes in as a draft with its rows and leaves draft before the next one goes in.
        for number in (1, 2, 3):
            batch, by_version = [], {}
            for n, (c, agreement) in enumerate(zip(customers, agreements, strict=True)):
                agreement.customer = c
                v = AgreementVersion(
                    tenant_id=tid,
                    agreement=agreement,
                    number=number,
                    relationship_philosophy=(
                        f"Version {number}: IT and {c.name} work as partners; the relationship "
                        "manager is the single point of contact and escalations follow the "
                        "agreed route."
                    ),
                )
                v.final = {1: "superseded", 2: "in_force"}.get(
                    number, "in_signature" if n % 3 == 0 else "draft"
                )
                v.n = n
                batch.append(v)
            AgreementVersion.objects.bulk_create(batch, batch_size=5000)
            versions += batch
            pass_rows: dict[str, list] = {}
            for v in batch:
                c = v.agreement.customer
                is_twenty = twenty_lines and c.name == TWENTY_LINES
                sizes = (
                    {"partner_plan": 8, "engagement": 4, "objectives": 6, "action_plan": 10}
                    if is_twenty
                    else {"partner_plan": 4, "engagement": 3, "objectives": 3, "action_plan": 3}
                )
                specs = _line_specs(services, v.n, 4 + v.n % 3)
                if is_twenty:  # 20 distinct keys: two metrics of each of the 10 services
                    specs = [
                        (sla_line_key(services[i % 10], METRICS[i // 10][0]), services[i % 10])
                        + (METRICS[i // 10],)
                        for i in range(20)
                    ]
                sections = _section_rows(
                    tid,
                    v,
                    c,
                    contacts.get(c.pk, []),
                    c.relationship_manager,
                    actions.get(c.pk, []),
                    services,
                    specs,
                    v.n,
                    sizes,
                )
                by_version[v.pk] = (v, sections)
                for name, section in sections.items():
                    pass_rows.setdefault(name, []).extend(section)
            for name, section in pass_rows.items():
                type(section[0]).objects.bulk_create(section, batch_size=5000)
                counts["rows" if name != "sla" else "sla_lines"] += len(section)
                rows.setdefault(name, []).extend(section)
            # Each version to its status, frozen with its content's hash, as the services
            # leave it.
            for v, sections in by_version.values():
                v.status = v.final
                if v.final == "draft":
                    continue
                v.content_sha256 = _sha256_of(v, sections)
                v.affirmation_text = f"Version {v.number}, content SHA-256 {v.content_sha256}."
                v.submitted_at = (v1_at if v.number == 1 else v2_at) - timedelta(days=14)
                if v.number == 3:
                    v.submitted_at = timezone.now() - timedelta(days=3)
                if v.number in (1, 2):
                    v.in_force_at = v1_at if v.number == 1 else v2_at
                if v.number == 1:
                    v.superseded_at = v2_at
            AgreementVersion.objects.bulk_update(
                batch,
                [
                    "status",
                    "content_sha256",
                    "affirmation_text",
                    "submitted_at",
                    "in_force_at",
                    "superseded_at",
                ],
                batch_size=2000,
            )
        counts["versions"] = len(versions)
        counts["measurements"] = _measurements(tid, rows["sla"], v2_at, today)
    return counts


def _measurements(tid: int, lines, v2_at: datetime, today: date) -> int:
    """24 months (8 quarters for quarterly lines) of measurements per agreement and line key,
    each against the line of the version in force at the period's end: v1's before v2 came into
    force, v2's after. Inserted under row-level security (which refuses COPY)."""
    by_key = {}
    for line in lines:
        if line.version.number in (1, 2):
            by_key.setdefault((line.version.agreement_id, line.key), {})[line.version.number] = line
    v2_day = v2_at.date()
    count = 0
    from agreements.models import SlaMeasurement

    batch = []
    for (agreement_id, key), by_number in by_key.items():
        line = by_number.get(2) or by_number[1]
        quarterly = line.period == "quarter"
        periods = set()
        for m in range(1, MONTHS_MEASURED + 1):
            start = months_back(today, m)
            periods.add(quarter_period(start) if quarterly else month_period(start))
        for start, end in sorted(periods):
            if end >= today:
                continue
            measured = by_number[2] if end >= v2_day and 2 in by_number else by_number.get(1)
            if measured is None:
                continue
            target = Decimal(measured.target_value)
            wobble = Decimal((agreement_id * 7 + start.month * 13) % 21 - 10) / 100
            actual = target + wobble * (target / 10 if target > 10 else 1)
            batch.append(
                SlaMeasurement(
                    tenant_id=tid,
                    agreement_id=agreement_id,
                    line_key=key,
                    line_id=measured.pk,
                    period_start=start,
                    period_end=end,
                    actual_value=actual.quantize(Decimal("0.0001")),
                    actual_workload="1,850 users",
                    source="imported",
                )
            )
            if len(batch) >= 20000:
                count += len(SlaMeasurement.objects.bulk_create(batch, batch_size=5000))
                batch = []
    count += len(SlaMeasurement.objects.bulk_create(batch, batch_size=5000))
    return count


def _twenty_lines_customer(like):
    """One more customer of the big office, for the 20-line agreement, with people and actions."""
    from customers.models import ActionItem, Contact, Customer

    customer = Customer.objects.create(
        tenant_id=like.tenant_id,
        name=TWENTY_LINES,
        division="Group functions",
        status="active",
        relationship_manager=like.relationship_manager,
        business_drivers="Grow revenue; reduce cost of IT per employee.",
    )
    Contact.objects.bulk_create(
        [
            Contact(
                tenant_id=like.tenant_id,
                customer=customer,
                name=f"Partner {k}",
                email=f"partner{k}@group.business.example",
                title=("Chief financial officer", "Head of operations", "Key user")[k % 3],
            )
            for k in range(10)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                tenant_id=like.tenant_id,
                customer=customer,
                title=f"Agreed action {k}",
                status="open",
                due_date=date.today() + timedelta(days=30 * k),
            )
            for k in range(10)
        ]
    )
    customer.relationship_manager = like.relationship_manager
    return customer


def check_sample(slug: str, sample: int = 20) -> None:
    """The frozen hashes of a sample of versions are services.content_sha256's."""
    from agreements import services
    from agreements.models import AgreementVersion
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant

    with tenant_context(Tenant.objects.get(slug=slug)):
        frozen = AgreementVersion.objects.exclude(status="draft").select_related("agreement")
        for version in frozen.order_by("?")[:sample]:
            if services.content_sha256(version) != version.content_sha256:
                raise SystemExit(f"seed: {version} froze another content than its rows")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    customers_seed.main([*(["--fresh"] if args.fresh else []), "--scale", str(args.scale)])
    from agreements.models import Agreement
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant

    with tenant_context(Tenant.objects.get(slug=BIG_SLUG)):
        if Agreement.objects.exists():
            print("agreements present (use --fresh to re-create)")
            return
    slugs = list(
        Tenant.objects.filter(slug__startswith="bench-")
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    for slug in slugs:
        counts = seed_office(slug, twenty_lines=slug == BIG_SLUG)
        if slug in (BIG_SLUG, "bench-01"):
            print(f"{slug}: {counts}", flush=True)
    check_sample(BIG_SLUG)
    customers_seed.vacuum_analyze()
    print(f"agreements seeded in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
