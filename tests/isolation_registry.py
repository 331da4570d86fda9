"""How to make, in a given tenant, the object each tenant URL names. Areas add theirs here."""

from brm.api.services import api_key_create
from brm.audit.services import audit_record
from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from tests.api.isolation import register_api, register_related
from tests.isolation import MARKER, marked_rows, portal_user_linker, register


def _member(tenant, role=Role.ANALYST):
    return services.member_add_with_password(
        tenant=tenant,
        email=f"{MARKER}-{role}@example.test",
        password="x-long-password",
        role=role,
        full_name=f"{MARKER} person",
    )


@register("tenancy:member_edit")
def member(tenant):
    return {"pk": _member(tenant).pk}


@register("tenancy:invitation_revoke")
def invitation(tenant):
    inv, _url = services.invitation_create(
        tenant=tenant, email=f"{MARKER}-invitee@example.test", role=Role.ANALYST, send=False
    )
    return {"pk": inv.pk}


@register("tenancy:invitation_accept")
def invitation_token(tenant):
    _inv, url = services.invitation_create(
        tenant=tenant, email=f"{MARKER}-token@example.test", role=Role.ANALYST, send=False
    )
    return {"token": url.rstrip("/").rsplit("/", 1)[1]}


@marked_rows
def tenancy_rows(tenant):
    m = _member(tenant, Role.CUSTOMER)
    services.invitation_create(
        tenant=tenant, email=f"{MARKER}-pending@example.test", role=Role.ANALYST, send=False
    )
    with tenant_context(tenant):
        audit_record(actor=m.user, action="isolation.check", obj=m, changes={"x": [MARKER, MARKER]})


# REST API: API keys (staff pages) and the members endpoint.
@register("api_keys:revoke")
def api_key(tenant):
    with tenant_context(tenant):
        key, _raw = api_key_create(name=f"{MARKER} key", scope="read")
    return {"pk": key.pk}


@marked_rows
def api_key_rows(tenant):
    api_key(tenant)


@register_api("/api/v1/members/{id}/")
def api_member(tenant):
    return {"id": _member(tenant).pk}


@register_related("tenancy.membership")
def related_member(tenant):
    return _member(tenant).pk


# Customers API --------------------------------------------------------------------------------


def _customer(tenant):
    from tests.factories import CustomerFactory

    rm = services.member_add_with_password(
        tenant=tenant,
        email=f"{MARKER}-rm-{tenant.slug}@example.test",
        password="x-long-password",
        role=Role.RELATIONSHIP_MANAGER,
        full_name=f"{MARKER} rm",
    )
    with tenant_context(tenant):
        return CustomerFactory(
            name=f"{MARKER} customer {CUSTOMER_SEQ.pop()}", relationship_manager=rm
        )


CUSTOMER_SEQ = list(range(10_000))


def _in(tenant, factory, **kwargs):
    with tenant_context(tenant):
        return factory(**kwargs)


@register_related("customers.customer")
def related_customer(tenant):
    return _customer(tenant).pk


@register_api("/api/v1/customers/{id}/")
def api_customer(tenant):
    return {"id": related_customer(tenant)}


@register_related("customers.purchaser")
def related_purchaser(tenant):
    from tests.factories import PurchaserFactory

    return _in(tenant, PurchaserFactory, customer=_customer(tenant), name=f"{MARKER} unit").pk


@register_api("/api/v1/purchasers/{id}/")
def api_purchaser(tenant):
    return {"id": related_purchaser(tenant)}


@register_related("customers.contact")
def related_contact(tenant):
    from tests.factories import ContactFactory

    return _in(tenant, ContactFactory, customer=_customer(tenant), name=f"{MARKER} person").pk


@register_api("/api/v1/contacts/{id}/")
def api_contact(tenant):
    return {"id": related_contact(tenant)}


@register_api("/api/v1/expectations/{id}/")
def api_expectation(tenant):
    from tests.factories import ExpectationFactory

    return {
        "id": _in(
            tenant, ExpectationFactory, customer=_customer(tenant), title=f"{MARKER} expectation"
        ).pk
    }


@register_api("/api/v1/register-items/{id}/")
def api_register_item(tenant):
    from tests.factories import RegisterItemFactory

    return {
        "id": _in(
            tenant, RegisterItemFactory, customer=_customer(tenant), title=f"{MARKER} risk"
        ).pk
    }


@register_api("/api/v1/action-items/{id}/")
def api_action_item(tenant):
    from tests.factories import ActionItemFactory

    return {
        "id": _in(
            tenant, ActionItemFactory, customer=_customer(tenant), title=f"{MARKER} action"
        ).pk
    }


# Customers portal -----------------------------------------------------------------------------
# The harness's portal user (a customer-role member) is linked to the business manager of one
# customer per tenant; the portal object factories make their objects under that customer.
PORTAL_CONTACT_EMAIL = "harness-portal-contact@business.example"


def _portal_contact(tenant):
    from customers.models import Contact
    from tests.factories import ContactFactory, CustomerFactory

    with tenant_context(tenant):
        contact = Contact.objects.filter(email=PORTAL_CONTACT_EMAIL).first()
        if contact is not None:
            return contact
    rm = services.member_add_with_password(
        tenant=tenant,
        email=f"harness-rm@{tenant.slug}.example.test",
        password="x-long-password",
        role=Role.RELATIONSHIP_MANAGER,
        full_name="Harness RM",
    )
    with tenant_context(tenant):
        customer = CustomerFactory(name="Harness portal customer", relationship_manager=rm)
        contact = ContactFactory(
            customer=customer, name="Harness portal contact", email=PORTAL_CONTACT_EMAIL
        )
        customer.business_manager = contact
        customer.save()
    return contact


@portal_user_linker
def link_portal_contact(membership):
    from customers.models import Contact

    contact = _portal_contact(membership.tenant)
    with tenant_context(membership.tenant):
        Contact.objects.filter(pk=contact.pk).update(membership=membership)


@register("customers:portal_purchaser")
def portal_purchaser(tenant):
    from tests.factories import PurchaserFactory

    customer = _portal_contact(tenant).customer
    return {"pk": _in(tenant, PurchaserFactory, customer=customer, name="Harness unit").pk}


@register("customers:portal_expectation")
@register("customers:portal_expectation_agree")
def portal_expectation(tenant):
    from tests.factories import ExpectationFactory

    customer = _portal_contact(tenant).customer
    return {"pk": _in(tenant, ExpectationFactory, customer=customer, title="Harness SLA").pk}


@register("customers:portal_action_item")
@register("customers:portal_action_item_done")
def portal_action_item(tenant):
    from tests.factories import ActionItemFactory

    contact = _portal_contact(tenant)
    return {
        "pk": _in(
            tenant,
            ActionItemFactory,
            customer=contact.customer,
            owner_contact=contact,
            title="Harness action",
        ).pk
    }


@marked_rows
def customer_rows(tenant):
    """A marked customer with everything under it, and marked items for the portal's contact."""
    from tests.factories import (
        ActionItemFactory,
        ContactFactory,
        ExpectationFactory,
        PurchaserFactory,
    )

    customer = _customer(tenant)
    purchaser = _in(tenant, PurchaserFactory, customer=customer, name=f"{MARKER} unit")
    contact = _in(
        tenant,
        ContactFactory,
        customer=customer,
        purchaser=purchaser,
        name=f"{MARKER} person",
        email=f"{MARKER}-contact@business.example",
    )
    _in(tenant, ExpectationFactory, customer=customer, title=f"{MARKER} expectation")
    _in(
        tenant,
        ActionItemFactory,
        customer=customer,
        owner_contact=contact,
        title=f"{MARKER} action",
    )
    portal = _portal_contact(tenant)
    _in(tenant, ExpectationFactory, customer=portal.customer, title=f"{MARKER} portal sla")
    _in(
        tenant,
        ActionItemFactory,
        customer=portal.customer,
        owner_contact=portal,
        title=f"{MARKER} portal action",
    )


# Customers staff pages ------------------------------------------------------------------------
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
    import datetime

    from tests.factories import (
        ActionItemFactory,
        ContactFactory,
        ExpectationFactory,
        PurchaserFactory,
        RegisterItemFactory,
    )

    customer = _customer(tenant)
    rm = customer.relationship_manager
    purchaser = _in(tenant, PurchaserFactory, customer=customer, name=f"{MARKER} staff unit")
    _in(
        tenant,
        ContactFactory,
        customer=customer,
        purchaser=purchaser,
        name=f"{MARKER} staff person",
        email=f"{MARKER}-staff-contact@business.example",
    )
    _in(tenant, ExpectationFactory, customer=customer, title=f"{MARKER} staff expectation")
    _in(tenant, RegisterItemFactory, customer=customer, title=f"{MARKER} risk", owner=rm)
    _in(
        tenant,
        ActionItemFactory,
        customer=customer,
        owner_member=rm,
        title=f"{MARKER} overdue action",
        due_date=datetime.date(2020, 1, 1),
    )


# Outbox ---------------------------------------------------------------------------------------
def _outbox_message(tenant, key, status="failed"):
    from brm.outbox.models import OutboxMessage
    from brm.outbox.services import outbox_enqueue

    with tenant_context(tenant):
        message = outbox_enqueue(
            key=f"{MARKER}-{key}",
            to=[f"{MARKER}@example.test"],
            subject=f"{MARKER} subject",
            text=f"{MARKER} body",
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status, last_error=f"550 {MARKER} reason"
        )
    return message


@register("outbox:message_detail")
def outbox_message(tenant):
    return {"pk": _outbox_message(tenant, "detail").pk}


@register("outbox:message_retry")
def outbox_failed_message(tenant):
    return {"pk": _outbox_message(tenant, "retry").pk}


@marked_rows
def outbox_rows(tenant):
    _outbox_message(tenant, "row")
