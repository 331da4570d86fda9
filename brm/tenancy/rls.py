"""PostgreSQL row-level security for every tenant-owned table.

Applied after every `migrate` (post_migrate), so a new TenantOwnedModel is covered without anyone
remembering to write a migration for it; tests/tenancy/test_rls_catalog.py reads the catalog and
fails if a table with a tenant_id column lacks FORCE and a policy. Statements are idempotent.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections

POLICY_NAME = "tenant_isolation"
READ_POLICY_NAME = "tenant_isolation_extra_read"
TENANT_CONDITION = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"


def tenant_owned_models():
    from .models import TenantOwnedModel

    return [
        m
        for m in apps.get_models()
        if issubclass(m, TenantOwnedModel) and not m._meta.proxy and m._meta.managed
    ]


def rls_statements(model) -> list[str]:
    """FORCE RLS and one policy for every command on the current tenant's rows.

    A model may name an extra condition under which rows are readable (a user's own
    memberships, an API key found by its prefix): that is a separate SELECT-only policy, so it
    never lets an UPDATE or a DELETE reach another tenant's rows.
    """
    table = connections["default"].ops.quote_name(model._meta.db_table)
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}",
        f"DROP POLICY IF EXISTS {READ_POLICY_NAME} ON {table}",
        f"CREATE POLICY {POLICY_NAME} ON {table} "
        f"USING ({TENANT_CONDITION}) WITH CHECK ({TENANT_CONDITION})",
    ]
    if model.rls_extra_read_condition:
        statements.append(
            f"CREATE POLICY {READ_POLICY_NAME} ON {table} FOR SELECT "
            f"USING ({model.rls_extra_read_condition})"
        )
    return statements


def apply_row_level_security(using: str = "default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    runtime = settings.DATABASE_RUNTIME_USER
    if connection.settings_dict["USER"] == runtime:
        # `flush` (test teardown) also sends post_migrate; the runtime role owns nothing to alter.
        return
    with connection.cursor() as cursor:
        # `migrate app 000N` leaves later tables unmade: those get their policies when they are.
        existing = set(connection.introspection.table_names(cursor))
        for model in tenant_owned_models():
            if model._meta.db_table not in existing:
                continue
            for statement in rls_statements(model):
                cursor.execute(statement)
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [runtime])
        if cursor.fetchone() and runtime != connection.settings_dict["USER"]:
            for statement in runtime_grant_statements(connection.ops.quote_name(runtime)):
                cursor.execute(statement)


def runtime_grant_statements(role: str) -> list[str]:
    """What the runtime role may do: DML (under RLS) and sequences; never TRUNCATE, which
    ignores row-level security (databases migrated by older versions had it granted)."""
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
