"""Reads PostgreSQL's catalog: every table with a tenant_id has FORCE RLS and a policy."""

import pytest
from django.db import connection

from brm.tenancy.rls import tenant_owned_models

pytestmark = pytest.mark.django_db


def _tables_with_tenant_id():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a
              ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            """
        )
        return cursor.fetchall()


def test_every_table_with_tenant_id_has_forced_rls_and_a_policy():
    rows = _tables_with_tenant_id()
    assert rows, "expected tenant-owned tables"
    unprotected = [
        name for name, enabled, forced, policies in rows if not (enabled and forced and policies)
    ]
    assert unprotected == []


def test_every_tenant_owned_model_has_a_tenant_id_table():
    tables = {row[0] for row in _tables_with_tenant_id()}
    models = {m._meta.db_table for m in tenant_owned_models()}
    assert models <= tables
    assert {"tenancy_membership", "tenancy_invitation", "audit_auditevent"} <= models


def test_only_the_tenant_condition_lets_rows_be_written():
    """Policies other than the tenant's own are read-only (FOR SELECT)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies"
            " WHERE schemaname = 'public'"
        )
        policies = cursor.fetchall()
    assert policies
    writable = [p for p in policies if p[2] != "SELECT"]
    for table, name, _cmd, qual, with_check in writable:
        for condition in (qual, with_check):
            assert condition and "app.tenant_id" in condition, (table, name)
            assert " OR " not in condition.upper(), (table, name)
    tables = {p[0] for p in policies}
    assert tables == {p[0] for p in writable}, "every table has a tenant policy for writes"


def test_migrate_takes_truncate_from_the_runtime_role():
    """TRUNCATE ignores RLS. Only the test database grants it (to flush between tests); every
    `migrate` revokes it, also where an older version had granted it."""
    from brm.tenancy.rls import runtime_grant_statements

    statements = runtime_grant_statements('"brm_app"')
    assert 'REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM "brm_app"' in statements
    assert not [s for s in statements if s.startswith("GRANT") and "TRUNCATE" in s]
