"""The tenant foreign key has no index of its own: every index leads with tenant_id."""

from django.db import migrations

from brm.db.migrations import tenant_field_without_index


class Migration(migrations.Migration):
    # DROP INDEX CONCURRENTLY on PostgreSQL: writes go on while the index goes.
    atomic = False

    dependencies = [
        ('tenancy', '0001_initial'),
    ]

    operations = [
        tenant_field_without_index("tenancy", "invitation"),
        tenant_field_without_index("tenancy", "membership"),
    ]
