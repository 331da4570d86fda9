"""Removes the free-text "services consumed" once the catalogue holds it (0005)."""

from django.db import migrations


def _columns(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, "customers_customer"
            )
        }


def drop_old_text(apps, schema_editor):
    # Gone already where the first form of 0004 removed it.
    if "services_consumed" in _columns(schema_editor):
        Customer = apps.get_model("customers", "Customer")
        schema_editor.remove_field(Customer, Customer._meta.get_field("services_consumed"))


def restore_old_text(apps, schema_editor):
    if "services_consumed" not in _columns(schema_editor):
        Customer = apps.get_model("customers", "Customer")
        schema_editor.add_field(Customer, Customer._meta.get_field("services_consumed"))


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_carry_services_over"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_old_text, restore_old_text)],
            state_operations=[
                migrations.RemoveField(model_name="customer", name="services_consumed"),
            ],
        ),
    ]
