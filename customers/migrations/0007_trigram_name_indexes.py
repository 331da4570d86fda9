"""GIN trigram indexes on the names and emails the search matches most (a contains or a
similarity on them reads the index, not every row of the office's customers and contacts).

PostgreSQL only: SQLite (`make run`) has no GIN and searches with a plain contains, so the
indexes are made in SQL on PostgreSQL and nothing is done elsewhere; they are not model
indexes (`GinIndex` would fail to migrate on SQLite)."""

from django.db import migrations

INDEXES = (
    ("customer_name_trgm", "customers_customer", "name"),
    ("contact_name_trgm", "customers_contact", "name"),
    ("contact_email_trgm", "customers_contact", "email"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0006_remove_customer_services_consumed"),
        ("search", "0001_trigram_extension"),
    ]

    operations = [migrations.RunPython(create, drop)]
