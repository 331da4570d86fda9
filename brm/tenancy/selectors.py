"""Reads for tenants and memberships."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from .context import user_context
from .models import Invitation, Membership, Tenant


def memberships_for_user(user) -> list[Membership]:
    """The user's active memberships in active tenants, by tenant name: the one read that
    crosses tenants.

    Row-level security lets it through only for the user's own rows (app.user_id). On
    PostgreSQL one statement sets that, reads and clears it (brm_user_memberships, tenancy
    migration 0003), and the tenants are read by id: two round trips on every page instead of a
    savepoint and four statements.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    if connection.vendor != "postgresql":
        with user_context(user.pk):
            memberships = list(Membership.all_tenants.filter(user=user, is_active=True))
    else:
        memberships = list(
            Membership.all_tenants.raw("SELECT * FROM brm_user_memberships(%s)", [user.pk])
        )
    by_tenant = {m.tenant_id: m for m in memberships}  # one membership a tenant (a constraint)
    found = []
    # By the database's collation, as the office switcher always listed them.
    for tenant in Tenant.objects.filter(is_active=True, pk__in=by_tenant).order_by("name", "pk"):
        membership = by_tenant[tenant.pk]
        membership.tenant = tenant
        membership.user = user
        found.append(membership)
    return found


MEMBER_ORDERINGS = {
    "email": "user__email",
    "-email": "-user__email",
    "name": "user__full_name",
    "-name": "-user__full_name",
    "role": "role",
    "-role": "-role",
    "joined": "created_at",
    "-joined": "-created_at",
}


def membership_list(*, search: str = "", role: str = "", status: str = "", ordering: str = "email"):
    qs: QuerySet[Membership] = Membership.objects.select_related("user")
    if search:
        qs = qs.filter(Q(user__email__icontains=search) | Q(user__full_name__icontains=search))
    if role:
        qs = qs.filter(role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.order_by(MEMBER_ORDERINGS.get(ordering, "user__email"), "pk")


def invitation_list(*, status: str = "") -> QuerySet[Invitation]:
    qs = Invitation.objects.select_related("invited_by", "accepted_by")
    if status == "pending":
        qs = qs.pending()
    return qs.order_by("-created_at", "-pk")
