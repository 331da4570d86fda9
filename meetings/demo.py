"""The meetings area's demo records (registered in brm.web.registry.demo_data, see apps.py),
after the agreements' (Finance's version 1 is in force with three engagement rows).

Finance's cadences are made from its agreement as the RM would have made them four months ago
(monthly service review on the second Tuesday, quarterly initiative review on the 15th, annual
alignment on 1 January), so they have a past: the first monthly review was cancelled and its
period recorded as a missed cadence; every other past occurrence was held and its minutes
published. The review after the cancelled one took a business decision that Carla Customer
approved and agreed an action item that Lena Line closed on time; the latest review proposed a
decision that awaits Carla's approval in the portal. The next monthly review is planned with its
agenda pre-filled (open action items, that decision, last month's SLA results, the review date).

As in agreements/demo.py, records dated in the past are made through the services with the
clock set back to when they happened.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest import mock

from django.utils import timezone

DEMO_MONTHS_BACK = 4


@contextmanager
def _clock(at: datetime):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def _hold(services, meeting, actor, *, summary: str):
    """Mark the meeting held an hour after it started, everyone there, and publish its minutes
    (the summary, and a note on each agenda item) the next day."""
    with _clock(meeting.starts_at + timedelta(hours=1)):
        attendance = {a.pk: "attended" for a in meeting.attendees.filter(removed_at__isnull=True)}
        services.meeting_mark_held(meeting=meeting, actor=actor, attendance=attendance)
    with _clock(meeting.starts_at + timedelta(days=1)):
        services.minutes_save(
            meeting=meeting,
            actor=actor,
            summary=summary,
            item_minutes={i.pk: "Discussed; nothing to add." for i in meeting.agenda_items.all()},
        )
        services.minutes_publish(meeting=meeting, actor=actor)


def _missed(cadence, meeting) -> None:
    from . import recurrence
    from .models import MissedCadence

    start, end = recurrence.period_of(
        recurrence.Rule.of(cadence), start=cadence.starts_on, day=meeting.occurrence_date
    )
    # Detected the morning after its period ended, as the daily check would have found it.
    zone = cadence.tenant.zone
    detected = datetime.combine(end + timedelta(days=1), time(7), tzinfo=zone)
    with _clock(min(detected, timezone.now())):
        MissedCadence.objects.get_or_create(
            cadence=cadence,
            period_start=start,
            defaults={"customer": cadence.customer, "period_end": end},
        )


def seed_meetings(members: dict) -> None:
    from agreements.models import Agreement
    from customers.models import Contact

    from . import services
    from .models import Cadence, Meeting, MeetingType

    if Cadence.objects.exists():
        return
    agreement = Agreement.objects.filter(customer__name="Finance").first()
    carla = Contact.objects.filter(email="customer@demo.example").first()
    lena = Contact.objects.filter(email="line@demo.example").first()
    if agreement is None or carla is None or lena is None:
        return  # an office seeded before these demo records existed
    actor = members["rm@demo.example"].user
    zone = agreement.customer.tenant.zone
    now = timezone.now()
    made_at = now - timedelta(days=30 * DEMO_MONTHS_BACK)
    with _clock(made_at):
        cadences, _found = services.cadences_from_agreement(agreement=agreement, actor=actor)
    # The daily job since then: the occurrences up to today's horizon.
    for cadence in cadences:
        services.cadence_plan(cadence)
    monthly = next(c for c in cadences if c.meeting_type == MeetingType.SERVICE_REVIEW)
    past = list(
        Meeting.objects.filter(cadence__in=cadences, starts_at__lt=now)
        .select_related("cadence")
        .order_by("starts_at")
    )
    reviews = [m for m in past if m.cadence_id == monthly.pk]
    cancelled, *held_reviews = reviews
    with _clock(cancelled.starts_at - timedelta(days=2)):
        services.meeting_cancel(
            meeting=cancelled,
            actor=actor,
            reason="Month-end close ran late; Finance could not spare the time.",
        )
    _missed(monthly, cancelled)

    for meeting in past:
        if meeting.pk == cancelled.pk:
            continue
        _hold(
            services,
            meeting,
            actor,
            summary=(
                f"{meeting.title}: service levels met except the month-end batch; the action "
                "plan was reviewed and the next steps agreed."
            ),
        )

    decided_in = held_reviews[0]
    with _clock(decided_in.starts_at + timedelta(minutes=45)):
        approved = services.decision_create(
            actor=actor,
            customer=agreement.customer,
            meeting=decided_in,
            title="Freeze ERP changes in the last three working days of each month",
            description="No changes to the ERP from the third-last working day to the close.",
            kind="business",
            accountable_contact=carla,
        )
        services.action_item_from_meeting(
            meeting=decided_in,
            actor=actor,
            title="Publish the month-end freeze calendar for next year",
            owner_contact=lena,
            due_date=timezone.localdate(decided_in.starts_at, zone) + timedelta(days=14),
        )
    with _clock(decided_in.starts_at + timedelta(days=2)):
        services.decision_decide(
            decision=approved,
            membership=members["customer@demo.example"],
            approve=True,
            note="Agreed: the close matters more than the changes.",
        )
    with _clock(decided_in.starts_at + timedelta(days=10)):
        from customers import services as customer_services

        item = decided_in.action_links.get().action_item
        customer_services.action_item_update(item=item, actor=actor, status="done")

    latest = held_reviews[-1]
    with _clock(latest.starts_at + timedelta(minutes=50)):
        services.decision_create(
            actor=actor,
            customer=agreement.customer,
            meeting=latest,
            title="Move budgeting and forecasting to the cloud planning platform",
            description=(
                "Licences for 25 planners from next quarter, replacing the budget spreadsheets; "
                "IT runs the migration, Finance names two key users."
            ),
            kind="business",
            accountable_contact=carla,
        )
    upcoming = (
        Meeting.objects.filter(cadence=monthly, status=Meeting.Status.PLANNED, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        services.agenda_refresh(upcoming)


def seed_communications(members: dict) -> None:
    """A communication plan for each demo customer (a monthly service report to the business
    manager, planned maintenance and major incidents to everyone with portal access when they
    happen), a planned maintenance of the email service sent a week ago to every customer
    consuming it, and a major incident with two updates sent to Finance: Carla Customer reads
    them under News from IT."""
    from customers.models import Customer, Service

    from . import communications
    from .models import CommunicationPlanEntry

    if CommunicationPlanEntry.objects.exists():
        return
    rm = members["rm@demo.example"]
    customers = list(Customer.objects.order_by("name"))
    finance = next((c for c in customers if c.name == "Finance"), None)
    if finance is None:
        return  # an office seeded before these demo records existed
    today = timezone.localdate(timezone.now(), finance.tenant.zone)
    for customer in customers:
        communications.plan_entry_create(
            customer=customer,
            actor=rm.user,
            topic="service_report",
            roles=["business_manager"],
            frequency="monthly",
            channel="email",
            owner=rm,
            next_due=today + timedelta(days=10),
            description="Service levels of the month against the SLA appendix",
        )
        for topic in ("planned_maintenance", "major_incident"):
            communications.plan_entry_create(
                customer=customer,
                actor=rm.user,
                topic=topic,
                roles=["portal_users"],
                frequency="when_it_happens",
                channel="email",
                owner=rm,
            )
    service = Service.objects.filter(customer_links__customer=finance).order_by("pk").first()
    week_ago = timezone.now() - timedelta(days=7)
    window = week_ago.replace(hour=20, minute=0, second=0, microsecond=0) + timedelta(days=14)
    with _clock(week_ago):
        maintenance = communications.notice_create(
            actor=rm.user,
            actor_member=rm,
            kind="planned_maintenance",
            subject=f"Planned maintenance: {service.name if service else 'core systems'}",
            body="The servers are patched. Expect **up to two hours** without the service.\n\n"
            "- Save your work before the window\n- Nothing to do afterwards",
            window_starts_at=window,
            window_ends_at=window + timedelta(hours=2),
            customer_ids=[] if service else [finance.pk],
            service=service,
            resolve="plan",
        )
        communications.notice_send(notice=maintenance, actor=rm.user, actor_member=rm)
        communications.notice_fanout(maintenance)
    two_days_ago = timezone.now() - timedelta(days=2)
    with _clock(two_days_ago):
        incident = communications.notice_create(
            actor=rm.user,
            actor_member=rm,
            kind="major_incident",
            subject="Major incident: invoices cannot be posted",
            body="Posting invoices in the ERP fails for every user. We are on it.",
            customer_ids=[finance.pk],
            resolve="plan",
        )
        communications.notice_send(notice=incident, actor=rm.user, actor_member=rm)
        communications.notice_fanout(incident)
    for hours, stage, body in (
        (1, "identified", "A full database log disk; space is being added."),
        (3, "resolved", "Posting works again; invoices queued meanwhile have been posted."),
    ):
        with _clock(two_days_ago + timedelta(hours=hours)):
            update = communications.notice_update_add(
                notice=incident, stage=stage, body=body, actor=rm.user, actor_member=rm
            )
            communications.update_fanout(update)
