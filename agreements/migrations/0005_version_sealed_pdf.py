"""The sealed PDF of a version in force, stored on the version with the SHA-256 of the file.

The frozen-version trigger (0002, its refusals marked restrict_violation by 0004) compares every column but the lifecycle ones, so the two new
columns would be frozen from the start. Its function is replaced by one that lets them be set
once, both together, on a version in force (or superseded, should the seal job run late), and
never changed after.
"""

import importlib

from django.db import migrations, models

import agreements.models
from brm.db.migrations import postgresql_only

VERSION_FUNCTION = r"""
CREATE OR REPLACE FUNCTION agreements_refuse_frozen_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    lifecycle text[] := ARRAY['status', 'in_force_at', 'superseded_at', 'withdrawn_at',
                              'withdrawn_reason', 'updated_at'];
    sealing text[] := ARRAY['sealed_pdf', 'sealed_pdf_sha256'];
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
    IF (NEW.sealed_pdf, NEW.sealed_pdf_sha256) IS DISTINCT FROM
       (OLD.sealed_pdf, OLD.sealed_pdf_sha256) THEN
        IF OLD.sealed_pdf <> '' OR OLD.sealed_pdf_sha256 <> ''
           OR NEW.status NOT IN ('in_force', 'superseded')
           OR NEW.sealed_pdf = '' OR NEW.sealed_pdf_sha256 !~ '^[0-9a-f]{64}$' THEN
            RAISE EXCEPTION 'agreement version %: its sealed PDF is set once, in force, never changed',
                OLD.id
            USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    nulled := agreements_nulled(to_jsonb(OLD), to_jsonb(NEW), ARRAY['submitted_by_id']);
    IF agreements_without(to_jsonb(NEW), lifecycle || sealing || nulled)
       IS DISTINCT FROM agreements_without(to_jsonb(OLD), lifecycle || sealing || nulled) THEN
        RAISE EXCEPTION 'agreement version % is frozen (%): its content cannot change',
            OLD.id, OLD.status
        USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
"""


def _previous_function() -> str:
    """0004's version of the function, to put back when this migration is reversed."""
    previous = importlib.import_module("agreements.migrations.0004_frozen_sla_lines_trigger")
    return next(f.strip() for f in previous.FUNCTIONS if "agreements_refuse_frozen_version()" in f)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_frozen_sla_lines_trigger")]

    operations = [
        migrations.AddField(
            model_name="agreementversion",
            name="sealed_pdf",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=agreements.models.sealed_pdf_path,
                verbose_name="sealed PDF",
            ),
        ),
        migrations.AddField(
            model_name="agreementversion",
            name="sealed_pdf_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="sealed PDF SHA-256"),
        ),
        postgresql_only([VERSION_FUNCTION.strip()], [_previous_function()]),
    ]
