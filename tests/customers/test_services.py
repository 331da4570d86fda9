"""The customers area's rules, written once in services and enforced for every caller."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brm.audit.history import history_for
from brm.audit.models import AuditEvent
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from brm.tenancy.services import invitation_accept
from customers import selectors, services
from customers.models import BusinessExpectation, Customer, RelationshipManagerAssignment
from tests.factories import ContactFactory, CustomerFactory, ExpectationFactory, PurchaserFactory
from tests.kit import in_tenant, make_member, make_portal_member

# The services run as office A, as a request or a task of that office calls them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("as_tenant_a")]


def test_customer_needs_an_active_relationship_manager(tenant_a, admin_a, customer_a):
    with pytest.raises(ValidationError) as exc:
        services.customer_create(actor=admin_a.user, name="HR", relationship_manager=None)
    assert "relationship_manager" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.customer_create(actor=admin_a.user, name="HR", relationship_manager=customer_a)


def test_changing_the_rm_keeps_a_history_of_assignments(tenant_a, admin_a, rm_a):
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm2@a.example")
    customer = services.customer_create(actor=admin_a.user, name="HR", relationship_manager=rm_a)
    services.customer_update(customer=customer, actor=admin_a.user, relationship_manager=other_rm)
    history = list(RelationshipManagerAssignment.objects.filter(customer=customer).order_by("pk"))
    assert [h.relationship_manager_id for h in history] == [rm_a.pk, other_rm.pk]
    assert history[0].ended_at is not None and history[1].ended_at is None


def test_customer_changes_are_recorded_with_who_and_what(tenant_a, admin_a, rm_a):
    customer = services.customer_create(actor=admin_a.user, name="HR", relationship_manager=rm_a)
    services.customer_update(customer=customer, actor=admin_a.user, division="People")
    events = list(history_for([customer]))
    assert [e.action for e in events] == ["customer.updated", "customer.created"]
    assert events[0].changes == {"division": ["", "People"]}
    assert events[0].actor == admin_a.user


def test_duplicate_customer_name_is_a_field_error(tenant_a, admin_a, rm_a):
    services.customer_create(actor=admin_a.user, name="HR", relationship_manager=rm_a)
    with pytest.raises(ValidationError) as exc:
        services.customer_create(actor=admin_a.user, name="HR", relationship_manager=rm_a)
    assert "name" in exc.value.message_dict or "__all__" in exc.value.message_dict


def test_contact_of_another_customer_cannot_be_the_counterpart(tenant_a, admin_a, rm_a):
    a = CustomerFactory(relationship_manager=rm_a)
    b = CustomerFactory(relationship_manager=rm_a)
    stranger = ContactFactory(customer=b)
    with pytest.raises(ValidationError) as exc:
        services.customer_update(customer=a, actor=admin_a.user, counterpart=stranger)
    assert "counterpart" in exc.value.message_dict


def test_contact_purchaser_must_belong_to_the_same_customer(tenant_a, admin_a, rm_a):
    a = CustomerFactory(relationship_manager=rm_a)
    other_purchaser = PurchaserFactory(customer=CustomerFactory(relationship_manager=rm_a))
    with pytest.raises(ValidationError) as exc:
        services.contact_create(actor=admin_a.user, customer=a, purchaser=other_purchaser, name="X")
    assert "purchaser" in exc.value.message_dict


def test_business_manager_is_invited_as_customer_and_linked_on_acceptance(
    tenant_a, admin_a, customer_record
):
    manager = customer_record.business_manager
    invitation, url = services.contact_invite(contact=manager, actor=admin_a.user)
    assert invitation.role == Role.CUSTOMER
    token = url.rstrip("/").rsplit("/", 1)[1]
    membership = invitation_accept(raw_token=token, full_name="Bea", password="long-pass-phrase-1")
    manager.refresh_from_db()
    assert manager.membership_id == membership.pk


def test_purchaser_contact_is_invited_as_purchaser(tenant_a, admin_a, customer_record):
    purchaser = PurchaserFactory(customer=customer_record)
    contact = ContactFactory(customer=customer_record, purchaser=purchaser)
    invitation, _url = services.contact_invite(contact=contact, actor=admin_a.user)
    assert invitation.role == Role.PURCHASER


def test_other_contacts_cannot_be_invited(tenant_a, admin_a, customer_record):
    contact = ContactFactory(customer=customer_record)
    with pytest.raises(ValidationError):
        services.contact_invite(contact=contact, actor=admin_a.user)


def test_customer_agrees_a_proposed_expectation(tenant_a, customer_record):
    member = make_portal_member(customer_record.business_manager, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record)
    agreed = services.expectation_agree(expectation=expectation, membership=member)
    assert agreed.status == BusinessExpectation.Status.AGREED
    assert agreed.agreed_by_business == customer_record.business_manager
    assert agreed.agreed_by_it == customer_record.relationship_manager


def test_purchaser_cannot_agree_an_expectation(tenant_a, customer_record):
    purchaser = PurchaserFactory(customer=customer_record)
    contact = ContactFactory(customer=customer_record, purchaser=purchaser)
    member = make_portal_member(contact, Role.PURCHASER)
    expectation = ExpectationFactory(customer=customer_record)
    with pytest.raises(PermissionDenied):
        services.expectation_agree(expectation=expectation, membership=member)


def test_customer_of_another_business_unit_cannot_agree(tenant_a, rm_a, customer_record):
    other = CustomerFactory(relationship_manager=rm_a)
    other_manager = ContactFactory(customer=other)
    member = make_portal_member(other_manager, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record)
    with pytest.raises(PermissionDenied):
        services.expectation_agree(expectation=expectation, membership=member)


def test_editing_an_agreed_expectation_sends_it_back_for_agreement(
    tenant_a, admin_a, customer_record
):
    member = make_portal_member(customer_record.business_manager, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record)
    services.expectation_agree(expectation=expectation, membership=member)
    expectation.refresh_from_db()
    services.expectation_update(expectation=expectation, actor=admin_a.user, metrics="99.9%")
    expectation.refresh_from_db()
    assert expectation.status == BusinessExpectation.Status.PROPOSED
    assert expectation.agreed_at is None


def test_a_replaced_business_manager_can_no_longer_agree(tenant_a, admin_a, customer_record):
    former = customer_record.business_manager
    member = make_portal_member(former, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record)
    successor = ContactFactory(customer=customer_record, email="new@finance.example")
    services.customer_update(
        customer=customer_record, actor=admin_a.user, business_manager=successor
    )
    expectation.refresh_from_db()
    assert not services.expectation_can_agree(expectation=expectation, membership=member)
    with pytest.raises(PermissionDenied):
        services.expectation_agree(expectation=expectation, membership=member)


def test_moving_an_agreed_expectation_back_to_draft_drops_the_agreement(
    tenant_a, admin_a, customer_record
):
    member = make_portal_member(customer_record.business_manager, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record)
    services.expectation_agree(expectation=expectation, membership=member)
    expectation.refresh_from_db()
    services.expectation_update(expectation=expectation, actor=admin_a.user, status="draft")
    expectation.refresh_from_db()
    assert expectation.agreed_at is None and expectation.agreed_by_business is None
    assert expectation.agreed_by_it is None


def test_a_retired_expectation_keeps_its_agreement_until_it_is_proposed_again(
    tenant_a, admin_a, customer_record
):
    member = make_portal_member(customer_record.business_manager, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record)
    services.expectation_agree(expectation=expectation, membership=member)
    expectation.refresh_from_db()
    services.expectation_update(expectation=expectation, actor=admin_a.user, status="retired")
    expectation.refresh_from_db()
    assert expectation.agreed_at is not None
    services.expectation_update(expectation=expectation, actor=admin_a.user, status="proposed")
    expectation.refresh_from_db()
    assert expectation.agreed_at is None and expectation.agreed_by_business is None


def test_changing_a_contacts_email_revokes_the_pending_portal_invitation(
    tenant_a, admin_a, customer_record
):
    from brm.tenancy.services import InvitationInvalid

    manager = customer_record.business_manager
    invitation, url = services.contact_invite(contact=manager, actor=admin_a.user)
    services.contact_update(contact=manager, actor=admin_a.user, email="b2@finance.example")
    invitation.refresh_from_db()
    manager.refresh_from_db()
    assert invitation.revoked_at is not None
    assert manager.portal_invitation_id is None
    token = url.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(InvitationInvalid):
        invitation_accept(raw_token=token, full_name="Old", password="long-pass-phrase-1")
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_a_portal_login_belongs_to_one_contact_at_the_invited_address(
    tenant_a, admin_a, customer_record
):
    manager = customer_record.business_manager
    invitation, _url = services.contact_invite(contact=manager, actor=admin_a.user)
    member = make_member(tenant_a, Role.CUSTOMER, email=manager.email)
    earlier = ContactFactory(customer=customer_record, membership=member)
    services.contact_link_membership(invitation=invitation, membership=member)
    manager.refresh_from_db()
    earlier.refresh_from_db()
    assert manager.membership_id == member.pk
    assert earlier.membership_id is None
    # A login for some other address links no contact.
    stranger = make_member(tenant_a, Role.CUSTOMER, email="someone@else.example")
    manager.membership = None
    manager.save()
    services.contact_link_membership(invitation=invitation, membership=stranger)
    manager.refresh_from_db()
    assert manager.membership_id is None


def test_status_agreed_cannot_be_set_by_staff(tenant_a, admin_a, customer_record):
    with pytest.raises(ValidationError):
        services.expectation_create(
            actor=admin_a.user, customer=customer_record, title="T", status="agreed"
        )


def test_coverage_counts_and_percentages(tenant_a, admin_a, rm_a):
    a = CustomerFactory(relationship_manager=rm_a)
    b = CustomerFactory(relationship_manager=rm_a)
    CustomerFactory(relationship_manager=rm_a, status="dormant")  # not counted
    a.counterpart = ContactFactory(customer=a)
    a.save()
    PurchaserFactory(customer=a, it_contact=rm_a)
    PurchaserFactory(customer=b)
    cov = selectors.coverage()
    assert (cov.customers, cov.customers_with_rm, cov.customers_with_counterpart) == (2, 2, 1)
    assert cov.customers_with_counterpart_pct == 50.0
    assert (cov.purchasers, cov.purchasers_with_it_contact) == (2, 1)
    assert cov.purchasers_with_it_contact_pct == 50.0


def test_audit_events_stay_in_their_tenant(tenant_a, tenant_b, admin_a, rm_a):
    with tenant_context(tenant_a):
        services.customer_create(actor=admin_a.user, name="HR", relationship_manager=rm_a)
    assert in_tenant(
        tenant_b, lambda: not AuditEvent.objects.filter(object_type="customers.customer").exists()
    )


def test_divisions_are_the_offices_distinct_non_empty_divisions_in_order(tenant_a, tenant_b, rm_a):
    rm_b = make_member(tenant_b, Role.RELATIONSHIP_MANAGER)
    with tenant_context(tenant_a):
        for division in ["Operations", "", "Corporate", "Operations", "Árbol", "corporate"]:
            CustomerFactory(relationship_manager=rm_a, division=division)
        expected = list(
            Customer.objects.exclude(division="")
            .order_by("division")
            .values_list("division", flat=True)
            .distinct()
        )
    with tenant_context(tenant_b):
        CustomerFactory(relationship_manager=rm_b, division="Elsewhere")
        assert selectors.customer_divisions() == ["Elsewhere"]
    with tenant_context(tenant_a):
        assert selectors.customer_divisions() == expected
        assert len(expected) == 4 and "Elsewhere" not in expected
