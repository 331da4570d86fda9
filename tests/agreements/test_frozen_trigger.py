"""PostgreSQL refuses to change a frozen version, its sections, or a given signature, whoever
runs the statement: here the raw SQL of the runtime role, past every service."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from agreements import services
from agreements.models import AgreementVersion, PartnerPlanRow, Signature, SlaLine
from tests.agreements.conftest import sign, sign_all

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _run(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _refused(sql, params=()):
    with pytest.raises(DatabaseError, match="frozen|cannot change"), transaction.atomic():
        _run(sql, params)


@pytest.fixture
def submitted(world, draft):
    return services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)


def test_the_statements_run_as_the_runtime_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "brm_app"


def test_a_drafts_content_and_rows_may_change(draft):
    table = AgreementVersion._meta.db_table
    assert _run(f"UPDATE {table} SET relationship_philosophy = 'x' WHERE id = %s", [draft.pk])
    assert _run("UPDATE agreements_partnerplanrow SET role = 'x' WHERE version_id = %s", [draft.pk])
    assert _run("UPDATE agreements_slaline SET target_value = 99 WHERE version_id = %s", [draft.pk])
    assert _run("DELETE FROM agreements_slaline WHERE version_id = %s", [draft.pk])


def test_a_frozen_sla_lines_target_period_and_key_cannot_change(submitted):
    for change in ("target_value = 50", "period = 'quarter'", "key = 'other'", "metric = 'x'"):
        _refused(f"UPDATE agreements_slaline SET {change} WHERE version_id = %s", [submitted.pk])
    assert SlaLine.objects.get(version=submitted).target_value == Decimal("99.5")


def test_a_frozen_sla_lines_owner_only_goes_to_null_as_when_the_member_is_deleted(world, draft):
    line = SlaLine.objects.get(version=draft)
    services.section_row_update(row=line, actor=world.rm.user, owner=world.rm)
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    _refused(
        "UPDATE agreements_slaline SET owner_id = %s WHERE id = %s", [world.it_manager.pk, line.pk]
    )
    assert _run("UPDATE agreements_slaline SET owner_id = NULL WHERE id = %s", [line.pk])


def test_a_frozen_versions_content_cannot_be_updated(submitted):
    for column, value in (
        ("relationship_philosophy", "'Changed'"),
        ("content_sha256", "repeat('0', 64)"),
        ("affirmation_text", "'Other words'"),
        ("number", "99"),
    ):
        _refused(
            f"UPDATE agreements_agreementversion SET {column} = {value} WHERE id = %s",
            [submitted.pk],
        )
    submitted.refresh_from_db()
    assert submitted.relationship_philosophy == "Partners, not suppliers."


def test_a_frozen_version_cannot_go_back_to_draft_or_be_deleted(submitted):
    _refused(
        "UPDATE agreements_agreementversion SET status = 'draft' WHERE id = %s", [submitted.pk]
    )
    _refused("DELETE FROM agreements_agreementversion WHERE id = %s", [submitted.pk])


def test_a_frozen_versions_status_still_moves_forward(submitted):
    assert _run(
        "UPDATE agreements_agreementversion SET status = 'in_force', in_force_at = now() "
        "WHERE id = %s",
        [submitted.pk],
    )
    assert _run(
        "UPDATE agreements_agreementversion SET status = 'superseded' WHERE id = %s",
        [submitted.pk],
    )
    _refused(
        "UPDATE agreements_agreementversion SET status = 'in_force' WHERE id = %s", [submitted.pk]
    )


@pytest.mark.parametrize(
    "table", ["partnerplanrow", "engagementrow", "objectiverow", "actionplanrow", "slaline"]
)
def test_a_frozen_versions_rows_cannot_be_updated_deleted_or_added(submitted, table):
    _refused(f"UPDATE agreements_{table} SET position = 7 WHERE version_id = %s", [submitted.pk])
    _refused(f"DELETE FROM agreements_{table} WHERE version_id = %s", [submitted.pk])
    _refused(
        f"INSERT INTO agreements_{table} SELECT (r).* FROM (SELECT r FROM agreements_{table} r "
        "WHERE version_id = %s) s",
        [submitted.pk],
    )


def test_deleting_a_contact_named_in_a_frozen_version_keeps_the_rows_copy(world, submitted):
    row = PartnerPlanRow.objects.get(version=submitted)
    world.bea.delete()  # Django sets the row's contact to NULL: the one change allowed
    row.refresh_from_db()
    assert row.contact_id is None and row.name == "Bea Budget"


def test_a_signed_signature_cannot_be_updated_or_deleted(world, submitted):
    signature = sign(Signature.objects.get(version=submitted, role="it_manager"), world.it_manager)
    for change in ("signer_name = 'Someone else'", "status = 'pending'", "ip_address = NULL"):
        _refused(f"UPDATE agreements_signature SET {change} WHERE id = %s", [signature.pk])
    _refused("DELETE FROM agreements_signature WHERE id = %s", [signature.pk])


def test_a_declined_signature_cannot_be_updated_or_deleted(world, submitted):
    signature = Signature.objects.get(version=submitted, role="business_manager")
    services.signature_decline(signature=signature, user=world.business_manager.user, reason="No")
    _refused("UPDATE agreements_signature SET decline_reason = '' WHERE id = %s", [signature.pk])
    _refused("UPDATE agreements_signature SET status = 'signed' WHERE id = %s", [signature.pk])
    _refused("DELETE FROM agreements_signature WHERE id = %s", [signature.pk])


def test_a_signature_of_a_version_in_force_cannot_be_voided(world, submitted):
    sign_all(submitted, world)
    _refused(
        "UPDATE agreements_signature SET status = 'voided', voided_at = now() "
        "WHERE version_id = %s",
        [submitted.pk],
    )


def test_voiding_a_signed_signature_in_signature_keeps_every_fact(world, submitted):
    signature = sign(Signature.objects.get(version=submitted, role="it_manager"), world.it_manager)
    _refused(
        "UPDATE agreements_signature SET status = 'voided', signer_email = 'x@example.test' "
        "WHERE id = %s",
        [signature.pk],
    )
    assert _run(
        "UPDATE agreements_signature SET status = 'voided', voided_at = now() WHERE id = %s",
        [signature.pk],
    )


def test_a_customer_whose_agreement_left_draft_cannot_be_deleted(world, submitted):
    from customers import services as customer_services
    from customers.models import Customer

    with pytest.raises(ValidationError, match="cannot be deleted. Make it dormant instead"):
        customer_services.customer_delete(customer=world.customer, actor=world.rm.user)
    assert Customer.objects.filter(pk=world.customer.pk).exists()
    assert AgreementVersion.objects.filter(pk=submitted.pk).exists()


def test_a_customer_with_a_draft_agreement_is_deleted_with_it(world, draft):
    from customers import services as customer_services

    customer_services.customer_delete(customer=world.customer, actor=world.rm.user)
    assert not AgreementVersion.objects.filter(pk=draft.pk).exists()
    assert not SlaLine.objects.exists()


def test_a_refusal_is_an_integrity_error_a_caller_can_answer(submitted):
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        _run("DELETE FROM agreements_agreementversion WHERE id = %s", [submitted.pk])
