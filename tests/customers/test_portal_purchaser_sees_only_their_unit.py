"""A purchaser on the portal sees only their own purchaser unit, its contacts and their items."""

import pytest
from django.urls import reverse

from brm.tenancy.models import Role
from tests.factories import ActionItemFactory, ContactFactory, PurchaserFactory
from tests.kit import in_tenant, make_portal_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant_a, customer_record):
    customer_record.strategy = "Close the books in three days"
    in_tenant(tenant_a, customer_record.save)
    payroll = PurchaserFactory(customer=customer_record, name="Payroll")
    treasury = PurchaserFactory(customer=customer_record, name="Treasury")
    pat = ContactFactory(customer=customer_record, purchaser=payroll, name="Pat Payroll")
    w = {
        "payroll": payroll,
        "treasury": treasury,
        "pat": pat,
        "pia": ContactFactory(customer=customer_record, purchaser=payroll, name="Pia Pay"),
        "tom": ContactFactory(customer=customer_record, purchaser=treasury, name="Tom Treas"),
        "pats": ActionItemFactory(customer=customer_record, owner_contact=pat, title="Order"),
        "beas": ActionItemFactory(
            customer=customer_record,
            owner_contact=customer_record.business_manager,
            title="Approve budget",
        ),
    }
    w["member"] = make_portal_member(pat, Role.PURCHASER)
    return w


def _url(tenant, name, **kwargs):
    return reverse(f"customers:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def test_purchaser_sees_their_unit_its_contacts_and_the_relationship_manager(
    client, tenant_a, rm_a, world
):
    client.force_login(world["member"].user)
    page = client.get(_url(tenant_a, "portal_organisation")).content.decode()
    for text in ("Payroll", "Pat Payroll", "Pia Pay", rm_a.user.email):
        assert text in page
    for text in ("Treasury", "Tom Treas", "Bea Budget", "Close the books"):
        assert text not in page


def test_purchaser_gets_404_for_another_unit_of_the_same_customer(client, tenant_a, world):
    client.force_login(world["member"].user)
    own = client.get(_url(tenant_a, "portal_purchaser", pk=world["payroll"].pk))
    assert own.status_code == 200
    other = _url(tenant_a, "portal_purchaser", pk=world["treasury"].pk)
    assert client.get(other).status_code == 404


def test_purchaser_sees_and_opens_only_their_own_action_items(client, tenant_a, world):
    client.force_login(world["member"].user)
    page = client.get(_url(tenant_a, "portal_action_item_list")).content.decode()
    assert "Order" in page and "Approve budget" not in page
    assert client.get(_url(tenant_a, "portal_action_item", pk=world["pats"].pk)).status_code == 200
    assert client.get(_url(tenant_a, "portal_action_item", pk=world["beas"].pk)).status_code == 404
