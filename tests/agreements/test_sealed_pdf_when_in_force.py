"""When a version comes into force its PDF is made once, sealed, stored on the version, and
every signer's email carries it; a retried or repeated seal job makes no second PDF."""

import base64
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from agreements import pdf, services
from agreements.models import AgreementVersion
from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_run
from brm.pdf.seal import verify_pdf
from tests.kit import assert_audited

pytestmark = pytest.mark.usefixtures("as_tenant_a", "seal_keys", "media")


def _run_seal_job(tenant, version) -> str:
    job = DueJob.objects.get(key=f"agreement-seal:{version.pk}")
    return due_job_run(tenant_id=tenant.pk, job_id=job.pk)


def _counting_renders(monkeypatch) -> list:
    calls = []
    render = pdf.version_pdf_render

    def counted(version):
        calls.append(version.pk)
        return render(version)

    monkeypatch.setattr(pdf, "version_pdf_render", counted)
    return calls


def test_the_seal_job_stores_a_sealed_pdf_on_the_version(tenant_a, in_force):
    assert _run_seal_job(tenant_a, in_force) == "done"
    version = AgreementVersion.objects.get(pk=in_force.pk)
    stored = version.sealed_pdf.read()
    assert version.sealed_pdf.name.endswith(f"agreement-{version.agreement_id}-v1-sealed.pdf")
    assert version.sealed_pdf_sha256 == hashlib.sha256(stored).hexdigest()
    check = verify_pdf(stored)
    assert check.ok, check.reason
    assert check.metadata == {
        "kind": "partnership_agreement",
        "office": tenant_a.slug,
        "office_id": tenant_a.pk,
        "agreement": version.agreement_id,
        "version": 1,
        "version_id": version.pk,
        "content_sha256": version.content_sha256,
    }
    assert_audited(tenant_a, "agreement_version.sealed", obj=version)


def test_every_signer_gets_the_sealed_pdf_attached(tenant_a, world, in_force):
    _run_seal_job(tenant_a, in_force)
    version = AgreementVersion.objects.get(pk=in_force.pk)
    mails = list(OutboxMessage.objects.filter(key__startswith="agreement-in-force:"))
    assert sorted(m.to[0] for m in mails) == sorted(m.user.email for m in world.signers.values())
    for mail in mails:
        assert version.content_sha256 in mail.text and "sealed PDF is attached" in mail.text
        (attachment,) = mail.attachments
        assert attachment["filename"] == f"agreement-{version.agreement_id}-v1.pdf"
        assert attachment["content_type"] == "application/pdf"
        content = base64.b64decode(attachment["content"])
        assert hashlib.sha256(content).hexdigest() == version.sealed_pdf_sha256


def test_sealing_again_makes_no_second_pdf_and_no_second_email(tenant_a, in_force, monkeypatch):
    renders = _counting_renders(monkeypatch)
    services.version_seal(version=in_force)
    first = AgreementVersion.objects.get(pk=in_force.pk)
    services.version_seal(version=first)
    again = AgreementVersion.objects.get(pk=in_force.pk)
    assert renders == [in_force.pk]
    assert (again.sealed_pdf.name, again.sealed_pdf_sha256) == (
        first.sealed_pdf.name,
        first.sealed_pdf_sha256,
    )
    assert OutboxMessage.objects.filter(key__startswith="agreement-in-force:").count() == 4


def test_a_retry_after_a_rolled_back_attempt_takes_up_the_file_it_stored(
    tenant_a, in_force, monkeypatch
):
    renders = _counting_renders(monkeypatch)

    class Interrupted(Exception):
        pass

    # The first attempt stores its file, then fails before its transaction commits.
    with pytest.raises(Interrupted), transaction.atomic():
        services.version_seal(version=in_force)
        raise Interrupted
    left = AgreementVersion.objects.get(pk=in_force.pk)
    assert not left.sealed_pdf
    assert not OutboxMessage.objects.filter(key__startswith="agreement-in-force:").exists()
    name = services.sealed_pdf_path(left, "")
    assert left.sealed_pdf.storage.exists(name)

    services.version_seal(version=left)
    version = AgreementVersion.objects.get(pk=in_force.pk)
    assert renders == [in_force.pk]  # the retry rendered nothing
    assert version.sealed_pdf.name == name
    stored = version.sealed_pdf.storage.listdir(name.rsplit("/", 1)[0])[1]
    assert stored == [name.rsplit("/", 1)[1]]  # one file, no "..._abc123.pdf" beside it


def test_a_leftover_file_that_does_not_verify_is_replaced(tenant_a, in_force):
    storage = in_force.sealed_pdf.storage
    name = services.sealed_pdf_path(in_force, "")
    storage.save(name, ContentFile(b"%PDF-1.7 half a file"))
    services.version_seal(version=in_force)
    version = AgreementVersion.objects.get(pk=in_force.pk)
    assert version.sealed_pdf.name == name
    assert verify_pdf(version.sealed_pdf.read()).ok


def test_the_seal_job_fails_and_retries_while_no_seal_key_is_configured(
    tenant_a, in_force, settings, tmp_path
):
    settings.BRM_SEAL_KEY_PATH = str(tmp_path / "missing.pem")
    assert _run_seal_job(tenant_a, in_force) == "retry"
    version = AgreementVersion.objects.get(pk=in_force.pk)
    assert not version.sealed_pdf
    assert version.status == AgreementVersion.Status.IN_FORCE  # the signatures stand
    assert not OutboxMessage.objects.filter(key__startswith="agreement-in-force:").exists()


def test_a_version_that_never_came_into_force_is_not_sealed(submitted):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="came into force"):
        services.version_seal(version=submitted)


def test_the_database_refuses_to_change_a_stored_seal(tenant_a, in_force):
    from django.db import DatabaseError, connection

    services.version_seal(version=in_force)
    refused = pytest.raises(DatabaseError, match="sealed PDF is set once")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_agreementversion SET sealed_pdf_sha256 = %s WHERE id = %s",
            ["0" * 64, in_force.pk],
        )


def test_the_database_refuses_a_seal_on_a_version_in_signature(tenant_a, submitted):
    from django.db import DatabaseError, connection

    refused = pytest.raises(DatabaseError, match="sealed PDF is set once")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_agreementversion SET sealed_pdf = 'x.pdf', "
            "sealed_pdf_sha256 = %s WHERE id = %s",
            ["0" * 64, submitted.pk],
        )
