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
