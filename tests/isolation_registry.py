"""How to make, in a given tenant, the object each tenant URL names. Areas add theirs here."""

from brm.api.services import api_key_create
from brm.audit.services import audit_record
from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from tests.api.isolation import register_api, register_related
from tests.isolation import MARKER, marked_rows, register


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
