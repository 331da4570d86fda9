"""The SLA appendix is frozen with the rest of a version: PostgreSQL refuses INSERT, UPDATE and
DELETE of the SLA lines of a version that is no longer a draft, whoever runs the statement.

The row function of migration 0002 (`agreements_refuse_frozen_row`) already does all of it for
any section table, told by its arguments which links may go to NULL: here the line's owner, a
membership Django sets to NULL when it is deleted (the line's service is PROTECTed, so it never
goes). The function is not changed, so the other sections keep exactly what 0002 gives them.
PostgreSQL only, like 0002.
"""

from django.db import migrations

from brm.db.migrations import postgresql_only

FORWARD = [
    """
    CREATE TRIGGER agreements_slaline_frozen
        BEFORE INSERT OR UPDATE OR DELETE ON agreements_slaline
        FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_row('owner_id')
    """
]

REVERSE = ["DROP TRIGGER IF EXISTS agreements_slaline_frozen ON agreements_slaline"]


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_sla_appendix")]

    operations = [postgresql_only(FORWARD, REVERSE)]
