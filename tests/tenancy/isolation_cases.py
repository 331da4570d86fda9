"""Isolation cases of the core pages: members, invitations, the audit log, API keys.

How to make, in a given tenant, the object each of these URLs (and API paths) names; the harnesses
of tests/isolation.py and tests/api/isolation.py pick this module up by its name.
"""

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
