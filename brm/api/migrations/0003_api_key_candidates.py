"""brm_api_key_candidates(prefix): the keys with this prefix, in one statement (PostgreSQL only).

It sets the prefix that the row-level security read policy of api_apikey looks for, reads the
rows, and clears the prefix again, all inside the one statement. It runs as the caller (no
SECURITY DEFINER), so the policy decides what it shows, as it did for the separate statements
it replaces.
"""

from django.db import migrations

from brm.db.migrations import postgresql_only

CREATE = """
CREATE OR REPLACE FUNCTION brm_api_key_candidates(key_prefix text)
RETURNS SETOF api_apikey
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM set_config('app.api_key_prefix', key_prefix, true);
    RETURN QUERY SELECT * FROM api_apikey WHERE prefix = key_prefix;
    PERFORM set_config('app.api_key_prefix', '', true);
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS brm_api_key_candidates(text)"


class Migration(migrations.Migration):
    dependencies = [("api", "0002_alter_apikey_tenant")]

    operations = [postgresql_only(CREATE, DROP)]
