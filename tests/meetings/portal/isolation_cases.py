"""Isolation cases of the meetings portal pages and the meetings API.

Portal objects hang under the harness's portal customer (tests/customers/isolation_cases.py):
its contact, the harness's portal user, is given the budget mandate so that a business decision
can name them accountable. API objects belong to a marked customer of their own.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from customers.models import Contact, Customer
from meetings import services
from meetings.models import Cadence, Decision, Meeting
from tests.api.isolation import register_api, register_related
from tests.customers.isolation_cases import portal_contact, related_customer
from tests.factories import ContactFactory
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant


def _mandated_portal_contact(tenant) -> Contact:
    contact = portal_contact(tenant)
    in_tenant(
        tenant,
        lambda: Contact.objects.filter(pk=contact.pk).update(authority=Contact.Authority.DECIDES),
    )
    return in_tenant(tenant, lambda: Contact.objects.select_related("customer").get(pk=contact.pk))


def _meeting(customer, *, title: str, contacts=(), days: int = 5) -> Meeting:
    starts = timezone.now() + timedelta(days=days)
    with in_tenant(customer.tenant_id):
        rm = customer.relationship_manager
        return services.meeting_create(
            actor=rm.user,
            customer=customer,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            organiser=rm,
            contacts=list(contacts),
            agenda_template="Welcome",
        )


def _decision(customer, contact, *, meeting=None, title: str) -> Decision:
    with in_tenant(customer.tenant_id):
        return services.decision_create(
            actor=customer.relationship_manager.user,
            customer=customer,
            meeting=meeting,
            title=title,
            kind=Decision.Kind.BUSINESS,
            accountable_contact=contact,
        )


def _marked_customer(tenant):
    pk = related_customer(tenant)
    return in_tenant(
        tenant, lambda: Customer.objects.select_related("relationship_manager").get(pk=pk)
    )


# Portal -----------------------------------------------------------------------------------------


@register("meetings:portal_meeting")
def portal_meeting(tenant):
    contact = _mandated_portal_contact(tenant)
    return {"pk": _meeting(contact.customer, title="Harness review", contacts=[contact]).pk}


@register("meetings:portal_decision")
@register("meetings:portal_decision_approve")
@register("meetings:portal_decision_reject")
def portal_decision(tenant):
    contact = _mandated_portal_contact(tenant)
    return {"pk": _decision(contact.customer, contact, title="Harness decision").pk}


@marked_rows
def meeting_rows(tenant):
    """A marked meeting and decision of the harness portal customer (the portal's lists show
    them), and of a marked customer (the API's lists)."""
    contact = _mandated_portal_contact(tenant)
    meeting = _meeting(contact.customer, title=f"{MARKER} portal meeting", contacts=[contact])
    _decision(contact.customer, contact, meeting=meeting, title=f"{MARKER} portal decision")
    customer = _marked_customer(tenant)
    manager = ContactFactory(
        customer=customer, name=f"{MARKER} manager", authority=Contact.Authority.DECIDES
    )
    api_meeting = _meeting(customer, title=f"{MARKER} meeting")
    _decision(customer, manager, meeting=api_meeting, title=f"{MARKER} decision")
    _cadence(customer)


# API --------------------------------------------------------------------------------------------


def _cadence(customer) -> Cadence:
    with in_tenant(customer.tenant_id):
        rm = customer.relationship_manager
        return services.cadence_create(
            actor=rm.user,
            customer=customer,
            meeting_type="service_review",
            name=f"{MARKER} cadence",
            frequency="monthly",
            month_day=10,
            starts_on=timezone.now().date(),
            time_of_day=time(10),
            organiser=rm,
            plan=False,
        )


@register_related("meetings.meeting")
def related_meeting(tenant):
    return _meeting(_marked_customer(tenant), title=f"{MARKER} meeting").pk


@register_api("/api/v1/cadences/{id}/")
def api_cadence(tenant):
    return {"id": _cadence(_marked_customer(tenant)).pk}


@register_api("/api/v1/meetings/{id}/")
@register_api("/api/v1/meetings/{id}/cancel/")
@register_api("/api/v1/meetings/{id}/ics/")
def api_meeting(tenant):
    return {"id": related_meeting(tenant)}


@register_api("/api/v1/decisions/{id}/")
@register_api("/api/v1/decisions/{id}/approve/")
@register_api("/api/v1/decisions/{id}/reject/")
def api_decision(tenant):
    customer = _marked_customer(tenant)
    manager = ContactFactory(
        customer=customer, name=f"{MARKER} manager", authority=Contact.Authority.DECIDES
    )
    return {"id": _decision(customer, manager, title=f"{MARKER} decision").pk}
