"""A portal login follows its contact's current post: visibility and mandate are one rule
(speaks_for_customer), the stored role moves with the post, and a contact that leaves the portal
takes its login and pending invitation with it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Invitation, Membership, Role
from customers import selectors, services
from customers.mandate import speaks_for_customer
from customers.models import BusinessExpectation
from tests.factories import ContactFactory, ExpectationFactory, PurchaserFactory
from tests.kit import assert_audited, make_member

pytestmark = pytest.mark.django_db


def _portal_member(tenant, contact, role):
    member = make_member(tenant, role, email=contact.email)
    with tenant_context(tenant):
        contact.membership = member
        contact.save(update_fields=["membership"])
        return Membership.objects.get(pk=member.pk)


def _fresh(tenant, membership):
    with tenant_context(tenant):
        return Membership.objects.select_related("user").get(pk=membership.pk)


@pytest.fixture
def world(tenant_a, customer_record):
    """Bea (business manager, in the Payroll unit) has a portal login; Cleo will take over."""
    with tenant_context(tenant_a):
        payroll = PurchaserFactory(customer=customer_record, name="Payroll")
        bea = customer_record.business_manager
        bea.purchaser = payroll
        bea.save(update_fields=["purchaser"])
        cleo = ContactFactory(customer=customer_record, name="Cleo", email="cleo@finance.example")
        sales = PurchaserFactory(customer=customer_record, name="Sales office")
        sally = ContactFactory(customer=customer_record, purchaser=sales, name="Sally Sales")
        expectation = ExpectationFactory(customer=customer_record, title="Payroll on time")
    return {
        "customer": customer_record,
        "bea": bea,
        "bea_login": _portal_member(tenant_a, bea, Role.CUSTOMER),
        "cleo": cleo,
        "cleo_login": _portal_member(tenant_a, cleo, Role.PURCHASER),
        "payroll": payroll,
        "sally": sally,
        "expectation": expectation,
    }


def _hand_over(tenant, actor, world):
    with tenant_context(tenant):
        services.customer_update(
            customer=world["customer"], actor=actor.user, business_manager=world["cleo"]
        )


def test_a_former_business_manager_sees_only_their_unit(client, tenant_a, admin_a, world):
    _hand_over(tenant_a, admin_a, world)

    bea_login = _fresh(tenant_a, world["bea_login"])
    assert bea_login.role == Role.PURCHASER and bea_login.is_active
    assert_audited(
        tenant_a,
        "membership.updated",
        obj=bea_login,
        actor=admin_a.user,
        changes={"role": [Role.CUSTOMER, Role.PURCHASER]},
    )
    client.force_login(bea_login.user)
    page = client.get(reverse("customers:portal_organisation", args=[tenant_a.slug]))
    body = page.content.decode()
    assert "Payroll" in body
    assert "Sales office" not in body and "Sally Sales" not in body
    sales = reverse(
        "customers:portal_purchaser",
        kwargs={"tenant_slug": tenant_a.slug, "pk": world["sally"].purchaser_id},
    )
    assert client.get(sales).status_code == 404


def test_a_former_business_manager_cannot_agree_and_the_new_one_can(tenant_a, admin_a, world):
    _hand_over(tenant_a, admin_a, world)
    with tenant_context(tenant_a):
        with pytest.raises(PermissionDenied):
            services.expectation_agree(
                expectation=world["expectation"], membership=_fresh(tenant_a, world["bea_login"])
            )
        agreed = services.expectation_agree(
            expectation=world["expectation"], membership=_fresh(tenant_a, world["cleo_login"])
        )
    assert agreed.status == BusinessExpectation.Status.AGREED
    assert agreed.agreed_by_business_id == world["cleo"].pk
    assert _fresh(tenant_a, world["cleo_login"]).role == Role.CUSTOMER


def test_the_new_business_manager_sees_the_whole_customer(client, tenant_a, admin_a, world):
    _hand_over(tenant_a, admin_a, world)
    client.force_login(world["cleo_login"].user)
    body = client.get(reverse("customers:portal_organisation", args=[tenant_a.slug])).content
    assert b"Sales office" in body and b"Sally Sales" in body


def test_visibility_reads_the_post_not_the_stored_role(tenant_a, world):
    # A login whose stored role says "customer" (made before the rule) while its contact no
    # longer holds the post: the post decides, for seeing and for agreeing alike.
    with tenant_context(tenant_a):
        world["customer"].business_manager = None
        world["customer"].save()
        login = _fresh(tenant_a, world["bea_login"])
        assert login.role == Role.CUSTOMER
        scope = selectors.portal_scope(login)
        assert scope is not None and not scope.whole_customer
        assert not speaks_for_customer(scope.contact)
        assert not services.expectation_can_agree(
            expectation=world["expectation"], membership=login
        )
        with pytest.raises(PermissionDenied):
            services.expectation_agree(expectation=world["expectation"], membership=login)


def test_a_former_business_manager_outside_any_unit_loses_the_portal(
    client, tenant_a, admin_a, world
):
    with tenant_context(tenant_a):
        services.contact_update(contact=world["bea"], actor=admin_a.user, purchaser=None)
    _hand_over(tenant_a, admin_a, world)

    bea_login = _fresh(tenant_a, world["bea_login"])
    assert not bea_login.is_active
    assert_audited(
        tenant_a,
        "membership.updated",
        obj=bea_login,
        actor=admin_a.user,
        changes={"is_active": [True, False]},
    )
    client.force_login(bea_login.user)
    assert client.get(f"/t/{tenant_a.slug}/portal/").status_code == 404


def test_a_purchaser_contact_taken_out_of_its_unit_loses_the_portal(tenant_a, admin_a, world):
    sally_login = _portal_member(tenant_a, world["sally"], Role.PURCHASER)
    with tenant_context(tenant_a):
        services.contact_update(contact=world["sally"], actor=admin_a.user, purchaser=None)
    assert not _fresh(tenant_a, sally_login).is_active


def test_a_contact_made_business_manager_is_moved_to_the_customer_role(tenant_a, admin_a, world):
    sally_login = _portal_member(tenant_a, world["sally"], Role.PURCHASER)
    with tenant_context(tenant_a):
        services.customer_update(
            customer=world["customer"], actor=admin_a.user, counterpart=world["sally"]
        )
    assert _fresh(tenant_a, sally_login).role == Role.CUSTOMER


def test_deleting_a_contact_revokes_its_pending_invitation(tenant_a, admin_a, customer_record):
    with tenant_context(tenant_a):
        unit = PurchaserFactory(customer=customer_record)
        pat = ContactFactory(customer=customer_record, purchaser=unit, email="pat@finance.example")
        invitation, _url = services.contact_invite(contact=pat, actor=admin_a.user)
        services.contact_delete(contact=pat, actor=admin_a.user)
        invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.revoked_at is not None
    assert_audited(tenant_a, "invitation.revoked", obj=invitation, actor=admin_a.user)


def test_deleting_a_contact_deactivates_its_portal_login(tenant_a, admin_a, world):
    with tenant_context(tenant_a):
        services.contact_delete(contact=world["cleo"], actor=admin_a.user)
    assert not _fresh(tenant_a, world["cleo_login"]).is_active


def test_a_pending_invitation_for_a_post_given_up_is_revoked(tenant_a, admin_a, world):
    with tenant_context(tenant_a):
        dan = ContactFactory(customer=world["customer"], name="Dan", email="dan@finance.example")
        services.customer_update(customer=world["customer"], actor=admin_a.user, counterpart=dan)
        dan.refresh_from_db()
        invitation, _url = services.contact_invite(contact=dan, actor=admin_a.user)
        assert invitation.role == Role.CUSTOMER
        services.customer_update(customer=world["customer"], actor=admin_a.user, counterpart=None)
        invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.revoked_at is not None
