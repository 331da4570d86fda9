"""Defence in depth, like row-level security: PostgreSQL itself refuses to change a frozen
agreement version, its section rows, or a signed or declined signature, whoever runs the
statement. The services never try; this stops a bug, a shell or a stray UPDATE.

What may still happen to a frozen version: its status moves in_signature -> in_force ->
superseded, or in_signature -> withdrawn, with the time (and reason) of that move. A signed
signature may only be voided while its version is still in signature (a withdrawal), every
recorded fact kept. A foreign key that Django sets to NULL because the linked record (a contact,
a user, an action item) was deleted may go to NULL: the row keeps its copy of the values.
PostgreSQL only: the SQLite of `make run` has no triggers here (brm.db.migrations).
"""

from django.db import migrations

from brm.db.migrations import postgresql_only

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION agreements_without(j jsonb, cols text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$ SELECT j - cols $$;

-- The columns of `cols` that the update sets to NULL are taken out of both sides.
CREATE OR REPLACE FUNCTION agreements_nulled(old_j jsonb, new_j jsonb, cols text[])
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(c), '{}') FROM unnest(cols) AS c
    WHERE new_j -> c = 'null'::jsonb
$$;

CREATE OR REPLACE FUNCTION agreements_refuse_frozen_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    lifecycle text[] := ARRAY['status', 'in_force_at', 'superseded_at', 'withdrawn_at',
                              'withdrawn_reason', 'updated_at'];
    nulled text[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'draft' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'agreement version % is frozen (%): it cannot be deleted', OLD.id, OLD.status;
    END IF;
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        (OLD.status = 'in_signature' AND NEW.status IN ('in_force', 'withdrawn'))
        OR (OLD.status = 'in_force' AND NEW.status = 'superseded')
    ) THEN
        RAISE EXCEPTION 'agreement version % is frozen: % cannot become %',
            OLD.id, OLD.status, NEW.status;
    END IF;
    nulled := agreements_nulled(to_jsonb(OLD), to_jsonb(NEW), ARRAY['submitted_by_id']);
    IF agreements_without(to_jsonb(NEW), lifecycle || nulled)
       IS DISTINCT FROM agreements_without(to_jsonb(OLD), lifecycle || nulled) THEN
        RAISE EXCEPTION 'agreement version % is frozen (%): its content cannot change',
            OLD.id, OLD.status;
    END IF;
    RETURN NEW;
END $$;

-- Section rows: TG_ARGV holds the row's nullable links.
CREATE OR REPLACE FUNCTION agreements_refuse_frozen_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    version_status text;
    nulled text[];
BEGIN
    SELECT status INTO version_status FROM agreements_agreementversion
    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END;
    IF TG_OP = 'UPDATE' AND NEW.version_id IS DISTINCT FROM OLD.version_id THEN
        RAISE EXCEPTION 'a section row does not move to another version';
    END IF;
    IF version_status IS NULL OR version_status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        nulled := agreements_nulled(to_jsonb(OLD), to_jsonb(NEW), TG_ARGV::text[]);
        IF agreements_without(to_jsonb(NEW), nulled)
           = agreements_without(to_jsonb(OLD), nulled) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'agreement version % is frozen (%): its sections cannot change (% on %)',
        CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END,
        version_status, TG_OP, TG_TABLE_NAME;
END $$;

CREATE OR REPLACE FUNCTION agreements_refuse_given_signature() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    version_status text;
    nulled text[];
BEGIN
    IF OLD.status = 'pending' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        nulled := agreements_nulled(to_jsonb(OLD), to_jsonb(NEW), ARRAY['user_id']);
        IF agreements_without(to_jsonb(NEW), nulled) = agreements_without(to_jsonb(OLD), nulled)
        THEN
            RETURN NEW;
        END IF;
        SELECT status INTO version_status FROM agreements_agreementversion WHERE id = OLD.version_id;
        IF OLD.status = 'signed' AND NEW.status = 'voided' AND version_status = 'in_signature'
           AND agreements_without(to_jsonb(NEW), ARRAY['status', 'voided_at'] || nulled)
               = agreements_without(to_jsonb(OLD), ARRAY['status', 'voided_at'] || nulled) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'signature % is % and cannot change (%)', OLD.id, OLD.status, TG_OP;
END $$;

CREATE TRIGGER agreements_version_frozen
    BEFORE UPDATE OR DELETE ON agreements_agreementversion
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_version();

CREATE TRIGGER agreements_partnerplanrow_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON agreements_partnerplanrow
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_row('contact_id', 'member_id');

CREATE TRIGGER agreements_engagementrow_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON agreements_engagementrow
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_row();

CREATE TRIGGER agreements_objectiverow_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON agreements_objectiverow
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_row('owner_member_id');

CREATE TRIGGER agreements_actionplanrow_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON agreements_actionplanrow
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_row('action_item_id');

CREATE TRIGGER agreements_signature_given
    BEFORE UPDATE OR DELETE ON agreements_signature
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_given_signature();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS agreements_signature_given ON agreements_signature;

DROP TRIGGER IF EXISTS agreements_actionplanrow_frozen ON agreements_actionplanrow;

DROP TRIGGER IF EXISTS agreements_objectiverow_frozen ON agreements_objectiverow;

DROP TRIGGER IF EXISTS agreements_engagementrow_frozen ON agreements_engagementrow;

DROP TRIGGER IF EXISTS agreements_partnerplanrow_frozen ON agreements_partnerplanrow;

DROP TRIGGER IF EXISTS agreements_version_frozen ON agreements_agreementversion;

DROP FUNCTION IF EXISTS agreements_refuse_given_signature();

DROP FUNCTION IF EXISTS agreements_refuse_frozen_row();

DROP FUNCTION IF EXISTS agreements_refuse_frozen_version();

DROP FUNCTION IF EXISTS agreements_nulled(jsonb, jsonb, text[]);

DROP FUNCTION IF EXISTS agreements_without(jsonb, text[]);
"""


def _statements(sql: str) -> list[str]:
    """The statements, one per blank-line-separated block (no body above has a blank line)."""
    return [block.strip() for block in sql.split("\n\n") if block.strip()]


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [postgresql_only(_statements(FUNCTIONS), _statements(REVERSE))]
