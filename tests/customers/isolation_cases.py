"""Isolation cases of the customers area: its staff pages, portal pages and API endpoints.

How to make, in a given tenant, the object each of the area's URLs names, the marked rows its
lists must not show to another tenant, and the link of the harness's portal user to a contact.
The harnesses of tests/isolation.py and tests/api/isolation.py pick this module up by its name.
"""

import datetime
import itertools

from brm.tenancy.models import Role
from customers.models import Contact
from tests.api.isolation import register_api, register_related
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    CustomerFactory,
    CustomerServiceFactory,
    ExpectationFactory,
    PurchaserFactory,
    RegisterItemFactory,
    ServiceFactory,
)
from tests.isolation import MARKER, marked_rows, portal_user_linker, register
from tests.kit import in_tenant, make_member

CUSTOMER_SEQ = itertools.count()


def _customer(tenant):
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email=f"{MARKER}-rm-{tenant.slug}@example.test",
        password="x-long-password",
        name=f"{MARKER} rm",
    )
    return CustomerFactory(
        tenant=tenant, name=f"{MARKER} customer {next(CUSTOMER_SEQ)}", relationship_manager=rm
    )


# API ------------------------------------------------------------------------------------------


@register_related("customers.customer")
def related_customer(tenant):
    return _customer(tenant).pk


@register_api("/api/v1/customers/{id}/")
def api_customer(tenant):
    return {"id": related_customer(tenant)}


@register_related("customers.purchaser")
def related_purchaser(tenant):
    return PurchaserFactory(customer=_customer(tenant), name=f"{MARKER} unit").pk


@register_api("/api/v1/purchasers/{id}/")
def api_purchaser(tenant):
    return {"id": related_purchaser(tenant)}


@register_related("customers.contact")
def related_contact(tenant):
    return ContactFactory(customer=_customer(tenant), name=f"{MARKER} person").pk


@register_api("/api/v1/contacts/{id}/")
def api_contact(tenant):
    return {"id": related_contact(tenant)}


@register_api("/api/v1/expectations/{id}/")
def api_expectation(tenant):
    return {"id": ExpectationFactory(customer=_customer(tenant), title=f"{MARKER} expectation").pk}


@register_api("/api/v1/register-items/{id}/")
def api_register_item(tenant):
    return {"id": RegisterItemFactory(customer=_customer(tenant), title=f"{MARKER} risk").pk}


@register_api("/api/v1/action-items/{id}/")
def api_action_item(tenant):
    return {"id": ActionItemFactory(customer=_customer(tenant), title=f"{MARKER} action").pk}


@register_related("customers.service")
def related_service(tenant):
    return ServiceFactory(tenant=tenant, name=f"{MARKER} service {next(CUSTOMER_SEQ)}").pk


@register_api("/api/v1/services/{id}/")
def api_service(tenant):
    return {"id": related_service(tenant)}


@register_api("/api/v1/customer-services/{id}/")
def api_customer_service(tenant):
    customer = _customer(tenant)
    service = ServiceFactory(tenant=tenant, name=f"{MARKER} linked {next(CUSTOMER_SEQ)}")
    return {"id": CustomerServiceFactory(customer=customer, service=service).pk}


@register("customers:service_detail")
@register("customers:service_edit")
@register("customers:service_delete")
def staff_service(tenant):
    return {"pk": related_service(tenant)}


# Portal ---------------------------------------------------------------------------------------
# The harness's portal user (a customer-role member) is linked to the business manager of one
# customer per tenant; the portal object factories make their objects under that customer.
PORTAL_CONTACT_EMAIL = "harness-portal-contact@business.example"


def _portal_contact(tenant):
    contact = in_tenant(tenant, lambda: Contact.objects.filter(email=PORTAL_CONTACT_EMAIL).first())
    if contact is not None:
        return contact
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email=f"harness-rm@{tenant.slug}.example.test",
        password="x-long-password",
        name="Harness RM",
    )
    customer = CustomerFactory(name="Harness portal customer", relationship_manager=rm)
    contact = ContactFactory(
        customer=customer, name="Harness portal contact", email=PORTAL_CONTACT_EMAIL
    )
    customer.business_manager = contact
    in_tenant(tenant, customer.save)
    return contact


def portal_contact(tenant):
    """The contact (a customer's business manager) the harness's portal user is linked to, made
    once per tenant: later areas make their portal objects under its customer."""
    return _portal_contact(tenant)


@portal_user_linker
def link_portal_contact(membership):
    contact = _portal_contact(membership.tenant)
    in_tenant(
        membership.tenant,
        lambda: Contact.objects.filter(pk=contact.pk).update(membership=membership),
    )


@register("customers:portal_purchaser")
def portal_purchaser(tenant):
    customer = _portal_contact(tenant).customer
    return {"pk": PurchaserFactory(customer=customer, name="Harness unit").pk}


@register("customers:portal_expectation")
@register("customers:portal_expectation_agree")
def portal_expectation(tenant):
    customer = _portal_contact(tenant).customer
    return {"pk": ExpectationFactory(customer=customer, title="Harness SLA").pk}


@register("customers:portal_action_item")
@register("customers:portal_action_item_done")
def portal_action_item(tenant):
    contact = _portal_contact(tenant)
    item = ActionItemFactory(
        customer=contact.customer, owner_contact=contact, title="Harness action"
    )
    return {"pk": item.pk}


@marked_rows
def customer_rows(tenant):
    """A marked customer with everything under it, and marked items for the portal's contact."""
    customer = _customer(tenant)
    purchaser = PurchaserFactory(customer=customer, name=f"{MARKER} unit")
    contact = ContactFactory(
        customer=customer,
        purchaser=purchaser,
        name=f"{MARKER} person",
        email=f"{MARKER}-contact@business.example",
    )
    ExpectationFactory(customer=customer, title=f"{MARKER} expectation")
    ActionItemFactory(customer=customer, owner_contact=contact, title=f"{MARKER} action")
    portal = _portal_contact(tenant)
    ExpectationFactory(customer=portal.customer, title=f"{MARKER} portal sla")
    ActionItemFactory(
        customer=portal.customer, owner_contact=portal, title=f"{MARKER} portal action"
    )


# Staff pages ----------------------------------------------------------------------------------
# Create pages take the customer's id; edit, delete and the rest take the record's own.


def _staff_customer_id(tenant):
    return {"pk": related_customer(tenant)}


for _name in (
    "customers:customer_detail",
    "customers:customer_edit",
    "customers:customer_delete",
    "customers:purchaser_create",
    "customers:contact_create",
    "customers:expectation_create",
    "customers:register_item_create",
    "customers:action_item_create",
):
    register(_name)(_staff_customer_id)


@register("customers:purchaser_edit")
@register("customers:purchaser_delete")
def staff_purchaser(tenant):
    return {"pk": related_purchaser(tenant)}


@register("customers:contact_edit")
@register("customers:contact_delete")
@register("customers:contact_invite")
def staff_contact(tenant):
    return {"pk": related_contact(tenant)}


@register("customers:expectation_edit")
@register("customers:expectation_delete")
def staff_expectation(tenant):
    return {"pk": api_expectation(tenant)["id"]}


@register("customers:register_item_edit")
@register("customers:register_item_delete")
def staff_register_item(tenant):
    return {"pk": api_register_item(tenant)["id"]}


@register("customers:action_item_detail")
@register("customers:action_item_edit")
@register("customers:action_item_delete")
@register("customers:action_item_done")
def staff_action_item(tenant):
    return {"pk": api_action_item(tenant)["id"]}


@marked_rows
def customer_staff_rows(tenant):
    """A marked customer with one of each record the staff pages list (self-contained, so the
    staff lists stay covered whatever the portal's rows become); its action item is overdue and
    owned by staff, for the action items page's tabs."""
    customer = _customer(tenant)
    rm = customer.relationship_manager
    purchaser = PurchaserFactory(customer=customer, name=f"{MARKER} staff unit")
    ContactFactory(
        customer=customer,
        purchaser=purchaser,
        name=f"{MARKER} staff person",
        email=f"{MARKER}-staff-contact@business.example",
    )
    ExpectationFactory(customer=customer, title=f"{MARKER} staff expectation")
    CustomerServiceFactory(
        customer=customer, service=ServiceFactory(tenant=tenant, name=f"{MARKER} staff service")
    )
    RegisterItemFactory(customer=customer, title=f"{MARKER} risk", owner=rm)
    ActionItemFactory(
        customer=customer,
        owner_member=rm,
        title=f"{MARKER} overdue action",
        due_date=datetime.date(2020, 1, 1),
    )
