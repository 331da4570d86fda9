"""Meetings to read on the portal and through the API: one-offs ahead or behind, held ones with
minutes (draft or published), and decisions for the accountable people of a MeetingWorld."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings import services
from meetings.models import Decision, Meeting
from tests.kit import in_tenant


def one_off(world, *, days: int = 7, title: str = "Budget escalation", contacts=None, **data):
    """A one-off meeting `days` from now (negative: in the past), Bea and the RM invited."""
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    with in_tenant(world.customer.tenant_id):
        return services.meeting_create(
            actor=world.rm.user,
            customer=world.customer,
            kind=data.pop("kind", Meeting.Kind.ESCALATION),
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            organiser=world.rm,
            contacts=[world.bea] if contacts is None else contacts,
            members=[world.rm],
            agenda_template=data.pop("agenda_template", "Welcome\nThe budget"),
            **data,
        )


def held(world, *, summary="We agreed the budget.", publish=True, **kwargs) -> Meeting:
    """A meeting of yesterday, held, its minutes written (and published unless told not)."""
    meeting = one_off(world, days=-1, **kwargs)
    with in_tenant(world.customer.tenant_id):
        services.meeting_mark_held(meeting=meeting, actor=world.rm.user)
        first = meeting.agenda_items.order_by("position").first()
        services.minutes_save(
            meeting=meeting,
            actor=world.rm.user,
            summary=summary,
            item_minutes={first.pk: f"Item notes: {summary}"} if first else None,
        )
        if publish:
            services.minutes_publish(meeting=meeting, actor=world.rm.user)
        meeting.refresh_from_db()
    return meeting


def business_decision(world, meeting=None, *, contact=None, title="Fund the new ERP") -> Decision:
    """A business decision awaiting the approval of `contact` (Bea by default)."""
    with in_tenant(world.customer.tenant_id):
        return services.decision_create(
            actor=world.rm.user,
            customer=world.customer,
            meeting=meeting,
            title=title,
            description="Move the ERP to the new platform next quarter.",
            kind=Decision.Kind.BUSINESS,
            accountable_contact=contact or world.bea,
        )


def it_decision(world, meeting=None, *, member=None, title="Retire the old ERP") -> Decision:
    with in_tenant(world.customer.tenant_id):
        return services.decision_create(
            actor=world.rm.user,
            customer=world.customer,
            meeting=meeting,
            title=title,
            kind=Decision.Kind.IT,
            accountable_member=member or world.it_manager,
        )


def office_meetings(tenant, rm, customer) -> None:
    """A cadence with its occurrences, a held meeting with published minutes and a decision
    awaiting its business manager's approval (for tests that want one of each, like the
    fuzzer's office)."""
    from datetime import time

    from customers.models import Contact

    with in_tenant(tenant):
        manager = Contact.objects.get(pk=customer.business_manager_id)
        manager.authority = Contact.Authority.DECIDES
        manager.save()
        services.cadence_create(
            actor=rm.user,
            customer=customer,
            meeting_type="service_review",
            name="Monthly service review",
            frequency="monthly",
            month_day=10,
            starts_on=timezone.now().date(),
            time_of_day=time(10),
            organiser=rm,
            contacts=[manager],
            members=[rm],
        )
        starts = timezone.now() - timedelta(days=1)
        meeting = services.meeting_create(
            actor=rm.user,
            customer=customer,
            title="Escalation",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            organiser=rm,
            contacts=[manager],
            agenda_template="What happened",
        )
        services.meeting_mark_held(meeting=meeting, actor=rm.user)
        services.minutes_save(meeting=meeting, actor=rm.user, summary="Fixed.")
        services.minutes_publish(meeting=meeting, actor=rm.user)
        services.decision_create(
            actor=rm.user,
            customer=customer,
            meeting=meeting,
            title="Fund the fix",
            kind=Decision.Kind.BUSINESS,
            accountable_contact=manager,
        )
