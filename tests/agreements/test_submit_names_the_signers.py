"""Submitting names the four signers, who must hold the mandate, and freezes the version."""

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import AgreementVersion, Signature
from brm.tenancy.models import Role
from customers.models import Contact
from tests.factories import ContactFactory
from tests.kit import assert_audited, make_member, make_portal_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _submit(world, draft, **changed):
    signers = {**world.signers, **changed}
    return services.version_submit(version=draft, actor=world.rm.user, signers=signers)


def test_submitting_freezes_the_hash_and_asks_the_four_signers(tenant_a, world, draft):
    version = _submit(world, draft)
    assert version.status == AgreementVersion.Status.IN_SIGNATURE
    assert version.content_sha256 == services.content_sha256(version)
    assert version.content_sha256 in version.affirmation_text
    assert "Finance" in version.affirmation_text
    assert version.submitted_by == world.rm.user and version.submitted_at is not None
    signatures = {s.role: s for s in Signature.objects.filter(version=version)}
    assert {role: s.membership for role, s in signatures.items()} == world.signers
    assert {s.status for s in signatures.values()} == {Signature.Status.PENDING}
    assert_audited(tenant_a, "agreement_version.submitted", obj=version, actor=world.rm.user)


def test_a_version_is_submitted_once(world, draft):
    _submit(world, draft)
    with pytest.raises(ValidationError, match="only a draft"):
        _submit(world, draft)


def test_all_four_signers_must_be_named(world, draft):
    with pytest.raises(ValidationError) as refused:
        _submit(world, draft, it_manager=None)
    assert "it_manager" in refused.value.message_dict


def test_a_purchaser_can_never_be_named_to_sign(world, draft):
    with pytest.raises(ValidationError, match="purchaser has no budget mandate"):
        _submit(world, draft, business_line_manager=world.purchaser)
    draft.refresh_from_db()
    assert draft.status == AgreementVersion.Status.DRAFT
    assert not Signature.objects.exists()


def test_a_contact_without_the_mandate_cannot_be_named_even_with_a_customer_login(world, draft):
    carl = ContactFactory(customer=world.customer, authority=Contact.Authority.RECOMMENDS)
    login = make_portal_member(carl, Role.CUSTOMER)
    with pytest.raises(ValidationError, match="does not hold the budget mandate"):
        _submit(world, draft, business_line_manager=login)


def test_the_business_manager_signer_is_the_customers_business_manager(world, draft):
    with pytest.raises(ValidationError, match="not the business manager"):
        _submit(world, draft, business_manager=world.line_manager, business_line_manager=None)


def test_the_relationship_manager_signer_is_the_customers_current_rm(tenant_a, world, draft):
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="other-rm@example.test")
    with pytest.raises(ValidationError, match="customer's current one"):
        _submit(world, draft, relationship_manager=other_rm)


def test_the_it_manager_signer_has_the_it_manager_role(world, draft, admin_a):
    with pytest.raises(ValidationError, match="IT manager role"):
        _submit(world, draft, it_manager=admin_a)


def test_a_staff_member_cannot_sign_for_the_customer(world, draft):
    with pytest.raises(ValidationError, match="contacts of Finance"):
        _submit(world, draft, business_line_manager=world.it_manager)


def test_an_inactive_login_cannot_be_named(world, draft):
    world.line_manager.is_active = False
    world.line_manager.save()
    with pytest.raises(ValidationError, match="active member"):
        _submit(world, draft)


def test_the_four_signers_are_four_different_people(world, draft):
    # The RM is also the IT manager? Not possible by role; the two customer-side signers can
    # only be the same person if the business manager is named twice.
    world.customer.business_manager = world.lina
    world.customer.save()
    with pytest.raises(ValidationError, match="four different people"):
        _submit(world, draft, business_manager=world.line_manager)


def test_a_member_of_another_office_cannot_be_named(tenant_b, world, draft):
    outsider = make_member(tenant_b, Role.IT_MANAGER, email="itm-b@example.test")
    with pytest.raises(ValidationError, match="active member of the office"):
        _submit(world, draft, it_manager=outsider)
