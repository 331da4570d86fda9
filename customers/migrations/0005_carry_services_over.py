"""Carries each customer's free-text "services consumed" over to the service catalogue."""

import re

from django.db import migrations

# A longer item is a sentence, not a service name: the text is kept in the notes.
MAX_NAME = 60
MAX_WORDS = 5


def _is_name(item):
    return len(item) <= MAX_NAME and len(item.split()) <= MAX_WORDS


def split_services(text):
    """The catalogue names in a free-text list and the rest.

    Lines and semicolons separate entries; commas separate names within an entry, unless a part
    of it is a sentence: then the whole entry is a sentence ("set up years ago, mostly by email"
    names no service called "mostly by email").
    """
    names, rest = [], []
    for entry in re.split(r"[;\n]", text or ""):
        items = [part.strip().rstrip(".").strip() for part in entry.split(",")]
        items = [item for item in items if item]
        if not items:
            continue
        if all(_is_name(item) for item in items):
            names += items
        else:
            rest.append(entry.strip().rstrip(".").strip())
    return names, rest


def _as_tenant(schema_editor, tenant_id):
    # Row-level security is forced on the customers table, for the owner too.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_id', %s, true)", [str(tenant_id)])


def _has_old_text(schema_editor) -> bool:
    # A database that ran the first form of 0004 (tables, carry-over and removal in one) has
    # carried its text over already.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "customers_customer")
    return any(column.name == "services_consumed" for column in columns)


def carry_services_over(apps, schema_editor):
    """Each customer's "services consumed" text becomes links to catalogue services (created as
    live services, matched without regard to case); what is not a name is kept in the notes."""
    if not _has_old_text(schema_editor):
        return
    Tenant = apps.get_model("tenancy", "Tenant")
    Customer = apps.get_model("customers", "Customer")
    Service = apps.get_model("customers", "Service")
    CustomerService = apps.get_model("customers", "CustomerService")
    for tenant_id in Tenant.objects.values_list("pk", flat=True):
        _as_tenant(schema_editor, tenant_id)
        catalogue = {}
        customers = Customer._base_manager.filter(tenant_id=tenant_id).exclude(services_consumed="")
        for customer in customers:
            names, rest = split_services(customer.services_consumed)
            for name in names:
                service = catalogue.get(name.casefold())
                if service is None:
                    service = Service.objects.create(tenant_id=tenant_id, name=name, status="live")
                    catalogue[name.casefold()] = service
                CustomerService.objects.get_or_create(
                    tenant_id=tenant_id, customer=customer, service=service
                )
            if rest:  # the whole text as written: a sentence cut at its commas would lose sense
                kept = "Services consumed (as written before the catalogue): " + (
                    customer.services_consumed.strip()
                )
                customer.notes = f"{customer.notes}\n\n{kept}" if customer.notes else kept
                customer.save(update_fields=["notes"])
    _as_tenant(schema_editor, "")


def carry_services_back(apps, schema_editor):
    Tenant = apps.get_model("tenancy", "Tenant")
    Customer = apps.get_model("customers", "Customer")
    CustomerService = apps.get_model("customers", "CustomerService")
    for tenant_id in Tenant.objects.values_list("pk", flat=True):
        _as_tenant(schema_editor, tenant_id)
        for customer in Customer._base_manager.filter(tenant_id=tenant_id):
            names = (
                CustomerService.objects.filter(customer=customer)
                .order_by("service__name")
                .values_list("service__name", flat=True)
            )
            if names:
                customer.services_consumed = ", ".join(names)
                customer.save(update_fields=["services_consumed"])
    _as_tenant(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_service_catalogue"),
    ]

    operations = [
        migrations.RunPython(carry_services_over, carry_services_back),
    ]
