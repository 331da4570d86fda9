"""The three layers that keep tenants apart: scoped manager, contextvar, PostgreSQL RLS."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from brm.tenancy.context import TenantNotSet, tenant_context
from brm.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def test_tenant_owned_query_without_tenant_raises(admin_a):
    with pytest.raises(TenantNotSet):
        list(Membership.objects.all())


def test_scoped_manager_sees_only_the_current_tenant(admin_a, admin_b, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        assert list(Membership.objects.values_list("user__email", flat=True)) == [
            admin_a.user.email
        ]
    with tenant_context(tenant_b):
        assert list(Membership.objects.values_list("user__email", flat=True)) == [
            admin_b.user.email
        ]


def test_saving_a_record_into_another_tenant_is_refused(admin_a, tenant_b):
    with tenant_context(tenant_b), pytest.raises(Exception, match="another tenant"):
        admin_a.save()


def test_suite_runs_as_the_runtime_role_without_bypass():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        user, is_super, bypass = cursor.fetchone()
    assert user == settings.DATABASE_RUNTIME_USER
    assert not is_super and not bypass


def test_runtime_role_owns_no_table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone()[0] == 0


def test_postgres_shows_no_rows_when_no_tenant_is_set(admin_a, admin_b):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.tenant_id', '', true)")
        cursor.execute("SELECT count(*) FROM tenancy_membership")
        assert cursor.fetchone()[0] == 0
        # Even the explicit cross-tenant manager sees nothing: RLS stands behind it.
        assert Membership.all_tenants.count() == 0


def test_postgres_shows_only_the_set_tenants_rows(admin_a, admin_b, tenant_a):
    with tenant_context(tenant_a):
        assert Membership.all_tenants.count() == 1


def test_postgres_refuses_a_cross_tenant_insert(admin_a, tenant_a, tenant_b):
    with (
        tenant_context(tenant_a),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO tenancy_membership"
            " (tenant_id, user_id, role, is_active, created_at, updated_at)"
            " VALUES (%s, %s, 'admin', true, now(), now())",
            [tenant_b.pk, admin_a.user_id],
        )


def test_postgres_refuses_moving_a_row_to_another_tenant(admin_a, tenant_a, tenant_b):
    with (
        tenant_context(tenant_a),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        Membership.all_tenants.filter(pk=admin_a.pk).update(tenant_id=tenant_b.pk)


def test_nested_tenant_context_restores_the_outer_tenant(admin_a, admin_b, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        with tenant_context(tenant_b):
            assert Membership.all_tenants.get().pk == admin_b.pk
        assert Membership.all_tenants.get().pk == admin_a.pk


def test_a_users_own_memberships_elsewhere_are_readable_but_not_writable(
    admin_a, tenant_a, tenant_b
):
    """The tenant switcher reads a user's memberships in every tenant; it can change none."""
    from brm.tenancy.context import user_context
    from tests.conftest import make_member

    elsewhere = make_member(tenant_b, email=admin_a.user.email)
    with tenant_context(tenant_a), user_context(admin_a.user_id):
        assert set(Membership.all_tenants.values_list("pk", flat=True)) == {
            admin_a.pk,
            elsewhere.pk,
        }
        assert Membership.all_tenants.filter(pk=elsewhere.pk).update(is_active=False) == 0
        assert Membership.all_tenants.filter(pk=elsewhere.pk).delete()[0] == 0
    with tenant_context(tenant_b):
        assert Membership.objects.get(pk=elsewhere.pk).is_active
