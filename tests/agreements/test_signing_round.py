"""Signing: the named signer signs the exact version with the evidence recorded; declining or
withdrawing stops the round; the fourth signature puts the version in force."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import AgreementVersion, Signature
from brm.outbox.models import DueJob, OutboxMessage
from customers.models import Contact
from tests.agreements.conftest import sign, sign_all
from tests.kit import assert_audited

pytestmark = pytest.mark.usefixtures("as_tenant_a")

Status = AgreementVersion.Status


@pytest.fixture
def submitted(world, draft):
    return services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)


def _signature(version, role):
    return Signature.objects.select_related("membership__user").get(version=version, role=role)


def test_a_signature_records_who_how_when_and_what(tenant_a, world, submitted):
    signature = sign(
        _signature(submitted, "business_manager"), world.business_manager, auth_method="totp"
    )
    signature.refresh_from_db()
    user = world.business_manager.user
    assert signature.status == Signature.Status.SIGNED
    assert (signature.signer_name, signature.signer_email) == (user.get_full_name(), user.email)
    assert signature.signed_at.tzinfo is not None
    assert abs(signature.signed_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert (signature.ip_address, signature.user_agent) == ("192.0.2.10", "Test browser")
    assert signature.auth_method == Signature.AuthMethod.TOTP
    assert signature.mandate_checked and "authority: decides" in signature.mandate_source
    assert signature.content_sha256 == submitted.content_sha256
    assert signature.affirmation_text == submitted.affirmation_text
    assert (
        signature.affirmation_sha256
        == hashlib.sha256(submitted.affirmation_text.encode()).hexdigest()
    )
    assert_audited(tenant_a, "signature.signed", obj=signature, actor=user)


def test_only_the_named_signer_can_sign(world, submitted):
    with pytest.raises(ValidationError, match="Only the person named"):
        sign(_signature(submitted, "business_manager"), world.line_manager)


def test_a_purchaser_cannot_sign(world, submitted):
    with pytest.raises(ValidationError, match="Only the person named"):
        sign(_signature(submitted, "business_line_manager"), world.purchaser)


def test_a_signer_who_lost_the_mandate_cannot_sign(world, submitted):
    world.lina.authority = Contact.Authority.RECOMMENDS
    world.lina.save()
    with pytest.raises(ValidationError, match="budget mandate"):
        sign(_signature(submitted, "business_line_manager"), world.line_manager)


def test_a_signature_is_given_once(world, submitted):
    signature = _signature(submitted, "it_manager")
    sign(signature, world.it_manager)
    with pytest.raises(ValidationError, match="signed already"):
        sign(signature, world.it_manager)


def test_signing_needs_the_affirmation_and_a_confirmed_identity(world, submitted):
    signature = _signature(submitted, "it_manager")
    with pytest.raises(ValidationError, match="Tick the affirmation"):
        sign(signature, world.it_manager, affirmation_checked=False)
    with pytest.raises(ValidationError, match="password or second factor"):
        sign(signature, world.it_manager, auth_method="")


def test_a_version_whose_content_no_longer_matches_its_hash_cannot_be_signed(
    world, submitted, monkeypatch
):
    # The trigger keeps the stored content from changing; what could still differ is how the
    # content is read (a changed format). Signing recomputes it and compares.
    monkeypatch.setattr(services, "canonical_content", lambda version: "something else")
    with pytest.raises(ValidationError, match="no longer matches"):
        sign(_signature(submitted, "it_manager"), world.it_manager)


def test_the_fourth_signature_puts_the_version_in_force_and_schedules_its_seal(world, submitted):
    sign_all(submitted, world)
    submitted.refresh_from_db()
    agreement = submitted.agreement
    agreement.refresh_from_db()
    assert submitted.status == Status.IN_FORCE and submitted.in_force_at is not None
    assert agreement.review_due == services.add_months(timezone.localdate(), 12)
    # The signers' emails carry the sealed PDF, so the seal job sends them (test_sealed_pdf).
    job = DueJob.objects.get(key=f"agreement-seal:{submitted.pk}")
    assert (job.handler, job.object_id) == (services.SEAL_JOB, str(submitted.pk))
    assert not OutboxMessage.objects.filter(key__startswith="agreement-in-force:").exists()


def test_three_signatures_leave_the_version_in_signature(world, submitted):
    for role in ("relationship_manager", "it_manager", "business_manager"):
        signature = _signature(submitted, role)
        sign(signature, signature.membership)
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_SIGNATURE


def test_the_review_is_due_after_the_offices_review_period(world, submitted):
    services.agreement_settings_update(actor=world.rm.user, review_period_months=6)
    sign_all(submitted, world)
    submitted.agreement.refresh_from_db()
    assert submitted.agreement.review_due == services.add_months(timezone.localdate(), 6)


def test_a_revision_in_force_supersedes_the_version_before(world, submitted):
    sign_all(submitted, world)
    revision = services.version_revise(version=submitted, actor=world.rm.user)
    assert (revision.number, revision.status) == (2, Status.DRAFT)
    services.version_update(
        version=revision, actor=world.rm.user, relationship_philosophy="Partners for growth."
    )
    services.version_submit(version=revision, actor=world.rm.user, signers=world.signers)
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_FORCE  # until the revision is signed
    sign_all(revision, world)
    submitted.refresh_from_db()
    revision.refresh_from_db()
    assert (submitted.status, revision.status) == (Status.SUPERSEDED, Status.IN_FORCE)


def test_only_the_version_in_force_is_revised_and_once_at_a_time(world, submitted):
    with pytest.raises(ValidationError, match="Only the version in force"):
        services.version_revise(version=submitted, actor=world.rm.user)
    sign_all(submitted, world)
    services.version_revise(version=submitted, actor=world.rm.user)
    with pytest.raises(ValidationError, match="in progress already"):
        services.version_revise(version=submitted, actor=world.rm.user)


def test_withdrawing_voids_the_signatures_keeps_them_and_makes_a_draft_copy(world, submitted):
    sign(_signature(submitted, "relationship_manager"), world.rm)
    draft = services.version_withdraw(version=submitted, actor=world.rm.user, reason="Typo")
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN and submitted.withdrawn_reason == "Typo"
    kept = Signature.objects.filter(version=submitted)
    assert kept.count() == 4 and {s.status for s in kept} == {Signature.Status.VOIDED}
    rm_signature = kept.get(role="relationship_manager")
    assert rm_signature.signed_at is not None and rm_signature.content_sha256
    assert (draft.number, draft.status) == (2, Status.DRAFT)
    assert draft.relationship_philosophy == submitted.relationship_philosophy
    for section in services.SECTIONS:
        assert services.section_rows(draft, section).count() == 1


def test_a_withdrawn_version_cannot_be_signed(world, submitted):
    services.version_withdraw(version=submitted, actor=world.rm.user)
    with pytest.raises(ValidationError, match="not in signature"):
        sign(_signature(submitted, "it_manager"), world.it_manager)


def test_declining_stops_the_round_and_tells_the_rm(tenant_a, world, submitted):
    sign(_signature(submitted, "it_manager"), world.it_manager)
    signature = _signature(submitted, "business_manager")
    draft = services.signature_decline(
        signature=signature, user=world.business_manager.user, reason="Budget not approved"
    )
    signature.refresh_from_db()
    submitted.refresh_from_db()
    assert signature.status == Signature.Status.DECLINED
    assert signature.decline_reason == "Budget not approved" and signature.declined_at
    assert submitted.status == Status.WITHDRAWN
    assert "Budget not approved" in submitted.withdrawn_reason
    others = Signature.objects.filter(version=submitted).exclude(pk=signature.pk)
    assert {s.status for s in others} == {Signature.Status.VOIDED}
    assert draft.status == Status.DRAFT and draft.number == 2
    mail = OutboxMessage.objects.get(key=f"agreement-declined:{signature.pk}")
    assert mail.to == [world.rm.user.email] and "Budget not approved" in mail.text
    assert_audited(tenant_a, "signature.declined", obj=signature, actor=world.business_manager.user)


def test_declining_needs_a_reason_and_the_named_signer(world, submitted):
    signature = _signature(submitted, "business_manager")
    with pytest.raises(ValidationError, match="Say why"):
        services.signature_decline(signature=signature, user=world.business_manager.user, reason="")
    with pytest.raises(ValidationError, match="Only the person named"):
        services.signature_decline(signature=signature, user=world.purchaser.user, reason="No")


def test_adding_twelve_months_keeps_the_day_or_takes_the_months_last():
    assert services.add_months(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 15)
    assert services.add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert services.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_voiding_the_round_is_audited_per_signature(tenant_a, world, submitted):
    signature = sign(_signature(submitted, "relationship_manager"), world.rm)
    services.version_withdraw(version=submitted, actor=world.rm.user)
    assert_audited(
        tenant_a,
        "signature.voided",
        obj=signature,
        actor=world.rm.user,
        changes={"status": ["signed", "voided"]},
    )
