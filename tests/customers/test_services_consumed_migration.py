"""The service catalogue migration on PostgreSQL, with data, as an existing office would run it.

A scratch database is migrated to the state before the catalogue, given customers whose "services
consumed" was free text, and then migrated forward in a separate process, as `manage.py migrate`
runs in a deployment (row-level security forced on the tables, the owner role migrating).
"""

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "0003_remove_customer_customers_c_tenant__5b0286_idx_and_more"

SCRIPT = textwrap.dedent(
    f"""
    import django, json, sys
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "customers", "{BEFORE}", verbosity=0)
    state = MigrationExecutor(connection).loader.project_state(("customers", "{BEFORE}"))
    apps = state.apps
    Tenant = apps.get_model("tenancy", "Tenant")
    Customer = apps.get_model("customers", "Customer")
    Membership = apps.get_model("tenancy", "Membership")
    User = apps.get_model("accounts", "User")
    rows = json.loads(sys.argv[1])
    for slug, customers in rows.items():
        tenant = Tenant.objects.create(name=slug.title(), slug=slug)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_id', %s, false)", [str(tenant.pk)])
        user = User.objects.create(email=f"rm@{{slug}}.example", full_name="Rita RM")
        rm = Membership._base_manager.create(
            tenant_id=tenant.pk, user=user, role="relationship_manager"
        )
        for name, text, notes in customers:
            Customer._base_manager.create(
                tenant_id=tenant.pk,
                name=name,
                relationship_manager=rm,
                services_consumed=text,
                notes=notes,
            )
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.tenant_id', '', false)")
    call_command("migrate", verbosity=0)
    """
)

DATA = {
    "north": [
        ["Finance", "ERP, Payroll; Service Desk", ""],
        ["Sales", "erp\nCRM", "Key account."],
        [
            "Legal",
            "We use whatever the contracts team set up years ago, mostly by email",
            "",
        ],
        ["Empty", "", ""],
    ],
    "south": [["Finance", "ERP", ""]],
}


@pytest.fixture(scope="module")
def migrated():
    """A scratch database migrated forward from before the catalogue, with data."""
    admin_url = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    # The owning role of DATABASE_URL migrates, as in a deployment (the tests themselves run as
    # the runtime role, which owns nothing).
    owner_url = urlsplit(os.environ.get("DATABASE_URL", "postgres://brm_owner@127.0.0.1:5432/brm"))
    name = f"brm_migration_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" OWNER "{owner_url.username}"')
    url = urlunsplit(owner_url._replace(path=f"/{name}"))
    try:
        _migrate_with_data(url)
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate_with_data(url: str) -> None:
    import json

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "brm.settings.base",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": "memory://",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(DATA)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.tenant_id', '', false)")
        # The owner is subject to the forced policies: read each office in turn.
        tenants = conn.execute("SELECT id, slug FROM tenancy_tenant ORDER BY slug").fetchall()
        out = []
        for tenant_id, slug in tenants:
            conn.execute("SELECT set_config('app.tenant_id', %s, false)", [str(tenant_id)])
            out += [(slug, *row) for row in conn.execute(sql).fetchall()]
        return out


def test_existing_services_consumed_text_becomes_catalogue_links_on_postgresql(migrated):
    scratch_database = migrated
    services = _rows(scratch_database, "SELECT name, status FROM customers_service ORDER BY name")
    assert services == [
        ("north", "CRM", "live"),
        ("north", "ERP", "live"),
        ("north", "Payroll", "live"),
        ("north", "Service Desk", "live"),
        ("south", "ERP", "live"),
    ]
    links = _rows(
        scratch_database,
        "SELECT c.name, s.name FROM customers_customerservice l "
        "JOIN customers_customer c ON c.id = l.customer_id "
        "JOIN customers_service s ON s.id = l.service_id ORDER BY c.name, s.name",
    )
    assert links == [
        ("north", "Finance", "ERP"),
        ("north", "Finance", "Payroll"),
        ("north", "Finance", "Service Desk"),
        ("north", "Sales", "CRM"),
        ("north", "Sales", "ERP"),
        ("south", "Finance", "ERP"),
    ]
    notes = {
        name: notes
        for _, name, notes in _rows(
            scratch_database, "SELECT name, notes FROM customers_customer ORDER BY name"
        )
    }
    assert notes["Legal"] == (
        "Services consumed (as written before the catalogue): "
        "We use whatever the contracts team set up years ago, mostly by email"
    )
    assert notes["Sales"] == "Key account."
    assert notes["Empty"] == ""
    columns = _rows(
        scratch_database,
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'customers_customer' AND column_name = 'services_consumed'",
    )
    assert columns == []


def test_the_new_tables_get_row_level_security_after_the_migration(migrated):
    scratch_database = migrated
    forced = _rows(
        scratch_database,
        "SELECT relname, relforcerowsecurity FROM pg_class "
        "WHERE relname IN ('customers_service', 'customers_customerservice') ORDER BY relname",
    )
    assert [(slug, name, force) for slug, name, force in forced if slug == "north"] == [
        ("north", "customers_customerservice", True),
        ("north", "customers_service", True),
    ]
