"""The agreements area's demo records (registered in brm.web.registry.demo_data, see apps.py).

Finance: version 1 in force since seven months ago, with its SLA appendix and six finished
months of measurements; version 2 (a revision) in signature, signed by the RM and the IT
manager and awaiting Carla Customer and Lena Line, who sign it in the portal. Sales: a draft.

Records dated in the past are made through the services with the clock set back (the demo's
only liberty): the signatures, the coming into force and the measurements carry those dates.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

from django.utils import timezone

DEMO_IP = "127.0.0.1"
DEMO_AGENT = "seed_demo"


@contextmanager
def _clock(at: datetime):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def _sign(version, signer_roles=None):
    from agreements import services
    from agreements.models import Signature

    signatures = Signature.objects.filter(version=version).select_related("membership__user")
    if signer_roles is not None:
        signatures = signatures.filter(role__in=signer_roles)
    for signature in signatures:
        services.signature_sign(
            signature=signature,
            user=signature.membership.user,
            ip_address=DEMO_IP,
            user_agent=DEMO_AGENT,
            auth_method="password",
            affirmation_checked=True,
        )


SLA_LINES = (
    # service, metric, target, unit, direction, period, workload limit, exceptions
    (
        "ERP",
        "Availability in business hours",
        "99.5",
        "%",
        "at_least",
        "month",
        "Up to 400 concurrent users.",
        "Planned maintenance announced 5 working days ahead; force majeure.",
    ),
    (
        "ERP",
        "Month-end close batch finished by",
        "6",
        "hours after midnight",
        "at_most",
        "month",
        "Up to 2 million ledger lines a month.",
        "Late postings by the business after the cut-off.",
    ),
    (
        "Service desk",
        "Incidents resolved within target",
        "90",
        "%",
        "at_least",
        "month",
        "Up to 300 incidents a month for Finance.",
        "Incidents waiting on a third party.",
    ),
    (
        "Laptops and mobile devices",
        "New starter device ready on day one",
        "95",
        "%",
        "at_least",
        "month",
        "Up to 10 new starters a month, ordered 10 working days ahead.",
        "Orders placed later than 10 working days before the start.",
    ),
)

# Six finished months, oldest first: the actual of each line above.
MEASUREMENTS = (
    ("99.71", "5.5", "93.1", "100"),
    ("99.62", "5.8", "91.4", "96"),
    ("99.31", "7.2", "88.6", "90"),
    ("99.80", "5.1", "92.7", "100"),
    ("99.55", "6.0", "90.2", "97"),
    ("99.90", "4.9", "94.5", "100"),
)


def _draft_finance(services, finance, members, contacts, catalogue, actor):
    rm, itm = members["rm@demo.example"], members["itm@demo.example"]
    carla, lena = contacts
    version = services.agreement_draft_create(
        customer=finance,
        actor=actor,
        relationship_philosophy=(
            "IT and Finance work as partners: Finance tells IT early what the business needs, "
            "IT tells Finance early what it costs and what is at risk. We measure what we "
            "promise, meet on a fixed cadence, and settle disagreements at the lowest level "
            "that can decide them."
        ),
    )
    for row in (
        {"contact": carla, "role": "Business manager, holds the IT budget"},
        {"contact": lena, "role": "Business line manager, financial control"},
        {"member": rm, "role": "Relationship manager"},
        {"member": itm, "role": "IT manager, accountable for delivery"},
    ):
        services.section_row_add(version=version, section="partner_plan", actor=actor, **row)
    for row in (
        {
            "meeting_type": "monthly_service_review",
            "purpose": "Service levels, incidents and changes of the month; the action plan.",
            "attendee_roles": ["service owner"],
            "attendee_contact_ids": [lena.pk],
            "attendee_member_ids": [rm.pk],
            "frequency": "monthly",
            "weekday": 1,
            "week_of_month": 2,
            "duration_minutes": 60,
        },
        {
            "meeting_type": "quarterly_initiative_review",
            "purpose": "Progress of the shared objectives and the initiatives towards them.",
            "attendee_contact_ids": [carla.pk, lena.pk],
            "attendee_member_ids": [rm.pk, itm.pk],
            "frequency": "quarterly",
            "month_day": 15,
            "duration_minutes": 90,
        },
        {
            "meeting_type": "annual_alignment",
            "purpose": "Next year's IT budget against Finance's strategy.",
            "attendee_contact_ids": [carla.pk],
            "attendee_member_ids": [rm.pk, itm.pk],
            "frequency": "yearly",
            "month_day": 1,
            "duration_minutes": 120,
        },
    ):
        services.section_row_add(version=version, section="engagement", actor=actor, **row)
    today = timezone.localdate()
    for row in (
        {
            "objective": "Close the books in three working days",
            "initiative": "Automate the intercompany reconciliation in the ERP.",
            "owner_text": "Lena Line",
            "target_date": today + timedelta(days=150),
            "status": "in_progress",
        },
        {
            "objective": "Planning on a cloud platform",
            "initiative": "Move budgeting and forecasting off spreadsheets.",
            "owner_member": itm,
            "target_date": today + timedelta(days=300),
            "status": "planned",
        },
    ):
        services.section_row_add(version=version, section="objectives", actor=actor, **row)
    services.section_row_add(
        version=version,
        section="action_plan",
        actor=actor,
        title="Agree the month-end freeze window with the ERP team",
        owner_member=rm,
        due_date=today + timedelta(days=30),
    )
    for service, metric, target, unit, direction, period, workload, exceptions in SLA_LINES:
        services.section_row_add(
            version=version,
            section="sla",
            actor=actor,
            service=catalogue[service],
            metric=metric,
            target_value=Decimal(target),
            unit=unit,
            direction=direction,
            period=period,
            workload_limit=workload,
            exceptions=exceptions,
        )
    return version


def seed_agreements(members: dict) -> None:
    from agreements import periods, services
    from agreements.models import Agreement, SlaLine
    from customers.models import Contact, Customer, Service

    if Agreement.objects.exists():
        return
    finance = Customer.objects.filter(name="Finance").first()
    sales = Customer.objects.filter(name="Sales & Marketing").first()
    carla = Contact.objects.filter(email="customer@demo.example").first()
    lena = Contact.objects.filter(email="line@demo.example").first()
    if None in (finance, sales, carla, lena):
        return  # an office seeded before these demo records existed
    catalogue = {s.name: s for s in Service.objects.all()}
    rm, itm = members["rm@demo.example"], members["itm@demo.example"]
    signers = {
        "relationship_manager": rm,
        "it_manager": itm,
        "business_manager": members["customer@demo.example"],
        "business_line_manager": members["line@demo.example"],
    }
    actor = rm.user
    now = timezone.now()
    zone = finance.tenant.zone
    # Version 1: drafted and signed seven months ago; in force since.
    with _clock(now - timedelta(days=215)):
        v1 = _draft_finance(services, finance, members, (carla, lena), catalogue, actor)
        services.version_submit(version=v1, actor=actor, signers=signers)
    with _clock(now - timedelta(days=212)):
        _sign(v1)
    # Six finished months measured, each entered a few days after its end.
    lines = list(SlaLine.objects.filter(version=v1).order_by("position"))
    month = periods.last_finished(periods.MONTH, timezone.localdate(now, zone))
    months = [month]
    for _ in range(5):
        months.insert(0, periods.previous_period(periods.MONTH, months[0]))
    for (start, end), actuals in zip(months, MEASUREMENTS, strict=True):
        entered = datetime.combine(end + timedelta(days=3), datetime.min.time(), tzinfo=zone)
        with _clock(min(entered.replace(hour=10), now)):
            for line, actual in zip(lines, actuals, strict=True):
                services.sla_measurement_record(
                    line=line,
                    period_start=start,
                    period_end=end,
                    actual_value=Decimal(actual),
                    actor=itm.user,
                )
    # Version 2: the revision, in signature, the staff side signed.
    with _clock(now - timedelta(days=4)):
        v2 = services.version_revise(version=v1, actor=actor)
        services.version_update(
            version=v2,
            actor=actor,
            relationship_philosophy=v1.relationship_philosophy
            + " From this version on, the month-end close has its own service level.",
        )
        first = SlaLine.objects.get(version=v2, key=lines[0].key)
        services.section_row_update(row=first, actor=actor, target_value=Decimal("99.7"))
        services.version_submit(version=v2, actor=actor, signers=signers)
    with _clock(now - timedelta(days=3)):
        _sign(v2, signer_roles=["relationship_manager", "it_manager"])
    # Sales: a draft being prepared.
    mona = Contact.objects.filter(customer=sales).first()
    draft = services.agreement_draft_create(
        customer=sales,
        actor=actor,
        relationship_philosophy="Sales and IT grow the online channel together.",
    )
    if mona is not None:
        services.section_row_add(
            version=draft,
            section="partner_plan",
            actor=actor,
            contact=mona,
            role="Business manager",
        )
    services.section_row_add(
        version=draft,
        section="objectives",
        actor=actor,
        objective="Double web shop conversion",
        owner_text="Head of e-commerce",
    )
