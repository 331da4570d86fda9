"""The portal role follows the budget mandate: a contact with authority "decides" is invited
with the customer role, and a login moves with the contact's authority."""

import pytest

from brm.tenancy.models import Membership, Role
from customers import services
from customers.mandate import portal_role_for
from customers.models import Contact
from tests.factories import ContactFactory, PurchaserFactory
from tests.kit import make_portal_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_a_contact_with_the_budget_mandate_is_invited_as_the_customer(admin_a, customer_record):
    lina = ContactFactory(
        customer=customer_record, email="lina@finance.example", authority=Contact.Authority.DECIDES
    )
    invitation, _url = services.contact_invite(contact=lina, actor=admin_a.user)
    assert invitation.role == Role.CUSTOMER


def test_a_contact_without_post_or_mandate_still_has_no_portal(customer_record):
    carl = ContactFactory(customer=customer_record, authority=Contact.Authority.RECOMMENDS)
    assert portal_role_for(carl) is None


def test_a_purchasers_contact_given_the_mandate_moves_to_the_customer_role_and_back(
    admin_a, customer_record
):
    payroll = PurchaserFactory(customer=customer_record)
    paul = ContactFactory(customer=customer_record, purchaser=payroll)
    login = make_portal_member(paul, Role.PURCHASER)

    services.contact_update(contact=paul, actor=admin_a.user, authority=Contact.Authority.DECIDES)
    assert Membership.objects.get(pk=login.pk).role == Role.CUSTOMER

    services.contact_update(
        contact=paul, actor=admin_a.user, authority=Contact.Authority.RECOMMENDS
    )
    assert Membership.objects.get(pk=login.pk).role == Role.PURCHASER
