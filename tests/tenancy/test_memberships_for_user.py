"""The one read that crosses tenants: a user's own active memberships, for the office switcher."""

import pytest
from django.db import connection, transaction

from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role
from brm.tenancy.selectors import memberships_for_user
from tests.kit import make_member

pytestmark = pytest.mark.django_db


def test_a_user_gets_their_active_memberships_in_active_offices_by_office_name(tenant_a, tenant_b):
    zeta = services.tenant_create(slug="zeta", name="Zeta IT", mfa_policy="optional")
    closed = services.tenant_create(slug="closed", name="Closed IT", mfa_policy="optional")
    gone = services.tenant_create(slug="gone", name="Gone IT", mfa_policy="optional")
    in_a = make_member(tenant_a, Role.ADMIN, email="pat@example.test")
    in_zeta = make_member(zeta, Role.ANALYST, email="pat@example.test")
    make_member(closed, Role.ANALYST, email="pat@example.test")
    left = make_member(gone, Role.ANALYST, email="pat@example.test")
    make_member(tenant_b, Role.ADMIN, email="someone-else@example.test")
    closed.is_active = False
    closed.save()
    with tenant_context(gone):
        Membership.objects.filter(pk=left.pk).update(is_active=False)

    found = memberships_for_user(in_a.user)

    assert [(m.pk, m.tenant.name, m.role) for m in found] == [
        (in_a.pk, "Tenant A", Role.ADMIN),
        (in_zeta.pk, "Zeta IT", Role.ANALYST),
    ]
    assert all(m.user is in_a.user for m in found)


def test_the_read_leaves_no_other_office_visible_afterwards(tenant_a, tenant_b):
    here = make_member(tenant_a, Role.ADMIN, email="pat@example.test")
    make_member(tenant_b, Role.ADMIN, email="pat@example.test")
    with transaction.atomic():  # as inside a page's transaction
        assert len(memberships_for_user(here.user)) == 2
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.user_id', true)")
            assert cursor.fetchone()[0] in ("", None)
            cursor.execute("SELECT count(*) FROM tenancy_membership")
            assert cursor.fetchone()[0] == 0  # no tenant, no user: RLS shows nothing


def test_anonymous_users_have_no_memberships():
    from django.contrib.auth.models import AnonymousUser

    assert memberships_for_user(AnonymousUser()) == []
