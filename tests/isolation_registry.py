"""How to make, in a given tenant, the object each tenant URL names. Areas add theirs here."""

from brm.audit.services import audit_record
from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
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
