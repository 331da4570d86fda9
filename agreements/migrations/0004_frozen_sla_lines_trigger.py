"""The SLA appendix is frozen with the rest of a version: PostgreSQL refuses INSERT, UPDATE and
DELETE of the SLA lines of a version that is no longer a draft, whoever runs the statement.

The row function of migration 0002 (`agreements_refuse_frozen_row`) does it for any section
table, told by its arguments which links may go to NULL: here the line's owner, a membership
Django sets to NULL when it is deleted (the line's service is PROTECTed, so it never goes).

The three functions of 0002 are replaced, keeping all they do, so that each refusal carries
SQLSTATE restrict_violation: Django reads it as an IntegrityError, so deleting a customer whose
agreement has a version that left draft (its rows, signatures and versions are refused, in
whatever order Django deletes them) is answered by the customers service as a refusal, where
the plain exception (P0001) was a server error. The reverse restores 0002's functions.
PostgreSQL only, like 0002.
"""

from django.db import migrations

from brm.db.migrations import postgresql_only

# The functions of 0002, each RAISE with USING ERRCODE = 'restrict_violation'.
FUNCTIONS = [
    r"""
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
        RAISE EXCEPTION 'agreement version % is frozen (%): it cannot be deleted', OLD.id, OLD.status
        USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        (OLD.status = 'in_signature' AND NEW.status IN ('in_force', 'withdrawn'))
        OR (OLD.status = 'in_force' AND NEW.status = 'superseded')
    ) THEN
        RAISE EXCEPTION 'agreement version % is frozen: % cannot become %',
            OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'restrict_violation';
    END IF;
    nulled := agreements_nulled(to_jsonb(OLD), to_jsonb(NEW), ARRAY['submitted_by_id']);
    IF agreements_without(to_jsonb(NEW), lifecycle || nulled)
       IS DISTINCT FROM agreements_without(to_jsonb(OLD), lifecycle || nulled) THEN
        RAISE EXCEPTION 'agreement version % is frozen (%): its content cannot change',
            OLD.id, OLD.status
        USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
""",
    r"""
CREATE OR REPLACE FUNCTION agreements_refuse_frozen_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    version_status text;
    nulled text[];
BEGIN
    SELECT status INTO version_status FROM agreements_agreementversion
    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END;
    IF TG_OP = 'UPDATE' AND NEW.version_id IS DISTINCT FROM OLD.version_id THEN
        RAISE EXCEPTION 'a section row does not move to another version'
        USING ERRCODE = 'restrict_violation';
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
        version_status, TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
""",
    r"""
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
    RAISE EXCEPTION 'signature % is % and cannot change (%)', OLD.id, OLD.status, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
""",
]

FUNCTIONS_0002 = [
    r"""
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
""",
    r"""
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
""",
    r"""
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
""",
]

FORWARD = [
    *FUNCTIONS,
    """
    CREATE TRIGGER agreements_slaline_frozen
        BEFORE INSERT OR UPDATE OR DELETE ON agreements_slaline
        FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_row('owner_id')
    """,
]

REVERSE = [
    "DROP TRIGGER IF EXISTS agreements_slaline_frozen ON agreements_slaline",
    *FUNCTIONS_0002,
]


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_sla_appendix")]

    operations = [postgresql_only(FORWARD, REVERSE)]
