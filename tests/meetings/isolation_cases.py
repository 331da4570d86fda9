"""Isolation cases of the meetings staff pages: how to make, in a given tenant, the object each
URL names, and the marked rows its lists must not show to another tenant."""

import itertools
from datetime import time, timedelta

from django.utils import timezone

from brm.tenancy.models import Membership, Role
from meetings import communications, services
from tests.agreements.builders import customer_with_rm, draft_for
from tests.api.isolation import register_api
from tests.factories import ContactFactory
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant, make_member

SEQ = itertools.count(1)


def _customer(tenant):
    return customer_with_rm(tenant, name=f"{MARKER} meetings customer {next(SEQ)}")


def planned_meeting(tenant, title: str = ""):
    """A one-off meeting next week with a contact and the RM invited, and an agenda item."""
    customer = _customer(tenant)
    contact = ContactFactory(customer=customer, name=f"Mia Meeting {next(SEQ)}")
    with in_tenant(tenant):
        rm = Membership.objects.select_related("user").get(pk=customer.relationship_manager_id)
        starts = timezone.now() + timedelta(days=7)
        meeting = services.meeting_create(
            actor=rm.user,
            customer=customer,
            kind="escalation",
            title=title or f"{MARKER} meeting",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            organiser=rm,
            contacts=[contact],
            members=[rm],
        )
        services.agenda_item_add(meeting=meeting, actor=rm.user, title=f"{MARKER} item")
    return meeting


def cadence_of(tenant):
    customer = _customer(tenant)
    with in_tenant(tenant):
        rm = Membership.objects.select_related("user").get(pk=customer.relationship_manager_id)
        return services.cadence_create(
            actor=rm.user,
            customer=customer,
            meeting_type="service_review",
            name=f"{MARKER} cadence",
            frequency="monthly",
            weekday=1,
            week_of_month=2,
            starts_on=timezone.localdate(),
            time_of_day=time(10),
            organiser=rm,
            members=[rm],
        )


def it_decision(tenant):
    meeting = planned_meeting(tenant)
    itm = make_member(tenant, Role.IT_MANAGER, email=f"mtg-itm-{next(SEQ)}@{tenant.slug}.test")
    with in_tenant(tenant):
        return services.decision_create(
            actor=None,
            customer=meeting.customer,
            meeting=meeting,
            title=f"{MARKER} decision",
            kind="it",
            accountable_member=itm,
        )


@register("meetings:meeting_detail")
@register("meetings:meeting_edit")
@register("meetings:meeting_cancel")
@register("meetings:meeting_held")
@register("meetings:attendees_add")
@register("meetings:agenda_item_add")
@register("meetings:minutes_edit")
@register("meetings:minutes_publish")
@register("meetings:decision_create")
@register("meetings:action_item_create")
def meeting(tenant):
    return {"pk": planned_meeting(tenant).pk}


@register("meetings:attendee_remove")
def attendee(tenant):
    meeting = planned_meeting(tenant)
    return {"pk": in_tenant(tenant, lambda: meeting.attendees.first().pk)}


@register("meetings:agenda_item_edit")
@register("meetings:agenda_item_delete")
def agenda_item(tenant):
    meeting = planned_meeting(tenant)
    return {"pk": in_tenant(tenant, lambda: meeting.agenda_items.first().pk)}


@register("meetings:cadence_detail")
@register("meetings:cadence_edit")
@register("meetings:cadence_pause")
def cadence(tenant):
    return {"pk": cadence_of(tenant).pk}


@register("meetings:cadences_from_agreement")
def agreement(tenant):
    return {"pk": draft_for(_customer(tenant)).agreement_id}


@register("meetings:decision_detail")
@register("meetings:decision_decide")
def decision(tenant):
    return {"pk": it_decision(tenant).pk}


@marked_rows
def marked_meetings(tenant):
    """A planned meeting (the upcoming tab), a cadence and a decision, each marked."""
    it_decision(tenant)
    cadence_of(tenant)


# Communications ----------------------------------------------------------------------------------


def _rm_of(tenant, customer) -> Membership:
    return in_tenant(
        tenant,
        lambda: Membership.objects.select_related("user").get(pk=customer.relationship_manager_id),
    )


def notice_draft(tenant, *, kind: str = "major_incident", customer=None):
    customer = customer or _customer(tenant)
    ContactFactory(
        customer=customer, name=f"Nia Notice {next(SEQ)}", email=f"nia{next(SEQ)}@x.example"
    )
    rm = _rm_of(tenant, customer)
    starts = timezone.now() + timedelta(days=2)
    window = (
        {"window_starts_at": starts, "window_ends_at": starts + timedelta(hours=1)}
        if kind == "planned_maintenance"
        else {}
    )
    with in_tenant(tenant):
        return communications.notice_create(
            actor=rm.user,
            kind=kind,
            subject=f"{MARKER} notice",
            body="Body",
            customer_ids=[customer.pk],
            resolve="roles",
            roles=["all_contacts"],
            **window,
        )


def plan_entry_of(tenant):
    customer = _customer(tenant)
    rm = _rm_of(tenant, customer)
    with in_tenant(tenant):
        return communications.plan_entry_create(
            customer=customer,
            actor=rm.user,
            topic="service_report",
            roles=["business_manager"],
            frequency="monthly",
            owner=rm,
            next_due=timezone.localdate(),
            description=f"{MARKER} plan",
        )


@register("meetings:notice_detail")
@register("meetings:notice_edit")
@register("meetings:notice_delete")
@register("meetings:notice_send")
@register("meetings:notice_update_add")
def notice(tenant):
    return {"pk": notice_draft(tenant).pk}


@register("meetings:plan_entry_edit")
@register("meetings:plan_entry_delete")
@register("meetings:plan_entry_deliver")
def plan_entry(tenant):
    return {"pk": plan_entry_of(tenant).pk}


@register("meetings:plan_entry_create")
def plan_customer(tenant):
    return {"pk": _customer(tenant).pk}


@register("meetings:portal_notice")
@register("meetings:portal_notice_ics")
def portal_notice(tenant):
    """A planned maintenance sent to the harness's portal contact's customer."""
    from tests.customers.isolation_cases import portal_contact

    customer = portal_contact(tenant).customer
    draft = notice_draft(tenant, kind="planned_maintenance", customer=customer)
    with in_tenant(tenant):
        communications.notice_send(notice=draft, actor=None)
        communications.notice_fanout(draft)
    return {"pk": draft.pk}


@marked_rows
def marked_communications(tenant):
    """A draft notice and a plan entry (of a marked customer), each marked."""
    notice_draft(tenant)
    plan_entry_of(tenant)


@register_api("/api/v1/notices/{id}/")
@register_api("/api/v1/notices/{id}/send/")
@register_api("/api/v1/notices/{id}/updates/")
def api_notice(tenant):
    return {"id": notice_draft(tenant).pk}


@register_api("/api/v1/communication-plan/{id}/")
def api_plan_entry(tenant):
    return {"id": plan_entry_of(tenant).pk}
