"""The tenant foreign key has no index of its own: every index leads with tenant_id."""

from django.conf import settings
from django.db import migrations, models

from brm.db.migrations import tenant_field_without_index


class Migration(migrations.Migration):
    # DROP INDEX CONCURRENTLY on PostgreSQL: writes go on while the index goes.
    atomic = False

    dependencies = [
        ('customers', '0002_action_item_due_indexes'),
        ('tenancy', '0002_alter_invitation_tenant_alter_membership_tenant'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="customer", name="customers_c_tenant__5b0286_idx"),
        migrations.RemoveIndex(model_name="purchaser", name="customers_p_tenant__114bab_idx"),
        migrations.AddIndex(
            model_name="actionitemcomment",
            index=models.Index(
                fields=["tenant", "action_item", "created_at"], name="customers_a_tenant__1d0524_idx"
            ),
        ),
        tenant_field_without_index("customers", "actionitem"),
        tenant_field_without_index("customers", "actionitemcomment"),
        tenant_field_without_index("customers", "businessexpectation"),
        tenant_field_without_index("customers", "contact"),
        tenant_field_without_index("customers", "customer"),
        tenant_field_without_index("customers", "purchaser"),
        tenant_field_without_index("customers", "registeritem"),
        tenant_field_without_index("customers", "relationshipmanagerassignment"),
    ]
