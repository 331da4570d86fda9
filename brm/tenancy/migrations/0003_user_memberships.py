"""brm_user_memberships(user_id): a user's active memberships in every tenant, in one statement.

The office switcher and the tenant middleware read them on every page. The function sets the
user setting that the membership table's read policy looks for, reads the rows and clears the
setting again, inside the one statement (PostgreSQL only). It runs as the caller, so the
row-level security policy decides what it shows.
"""

from django.db import migrations

from brm.db.migrations import postgresql_only

CREATE = """
CREATE OR REPLACE FUNCTION brm_user_memberships(member_user_id bigint)
RETURNS SETOF tenancy_membership
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM set_config('app.user_id', member_user_id::text, true);
    RETURN QUERY SELECT * FROM tenancy_membership
        WHERE user_id = member_user_id AND is_active;
    PERFORM set_config('app.user_id', '', true);
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS brm_user_memberships(bigint)"


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0002_alter_invitation_tenant_alter_membership_tenant")]

    operations = [postgresql_only(CREATE, DROP)]
