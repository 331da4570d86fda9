"""A customer (business manager) on the portal sees their own customer and nothing of another."""

import pytest
from django.urls import reverse

from brm.tenancy.models import Role
from customers.models import BusinessExpectation
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    CustomerFactory,
    ExpectationFactory,
    PurchaserFactory,
)
from tests.kit import in_tenant, make_portal_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant_a, rm_a, customer_record):
    finance = customer_record
    finance.division = "Corporate functions"
    finance.strategy = "Close the books in three days"
    finance.notes = "Internal: budget cut coming"
    in_tenant(tenant_a, finance.save)
    bea = finance.business_manager
    payroll = PurchaserFactory(customer=finance, name="Payroll")
    pat = ContactFactory(customer=finance, purchaser=payroll, name="Pat Payroll")
    sales = CustomerFactory(name="Sales", relationship_manager=rm_a)
    w = {
        "finance": finance,
        "bea": bea,
        "payroll": payroll,
        "pat": pat,
        "proposed": ExpectationFactory(customer=finance, title="Payroll runs on time"),
        "draft": ExpectationFactory(
            customer=finance, title="Half-baked idea", status=BusinessExpectation.Status.DRAFT
        ),
        "mine": ActionItemFactory(customer=finance, owner_contact=bea, title="Send figures"),
        "pats": ActionItemFactory(customer=finance, owner_contact=pat, title="Pat's chore"),
        "sales": sales,
        "field": PurchaserFactory(customer=sales, name="Field sales"),
        "sam": ContactFactory(customer=sales, name="Sam Seller"),
        "sales_expectation": ExpectationFactory(customer=sales, title="CRM never down"),
    }
    w["sales_item"] = ActionItemFactory(customer=sales, owner_contact=w["sam"], title="Sales chore")
    w["member"] = make_portal_member(bea, Role.CUSTOMER)
    return w


def _get(client, tenant, name, **kwargs):
    return client.get(reverse(f"customers:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs}))


def test_customer_sees_their_profile_purchasers_contacts_and_relationship_manager(
    client, tenant_a, rm_a, world
):
    client.force_login(world["member"].user)
    page = _get(client, tenant_a, "portal_organisation").content.decode()
    for text in ("Finance", "Corporate functions", "Close the books", "Payroll", "Pat Payroll"):
        assert text in page
    assert rm_a.user.email in page  # the relationship manager's card
    assert "Internal: budget cut coming" not in page  # staff notes stay with the office
    for text in ("Sales", "Field sales", "Sam Seller"):
        assert text not in page


def test_customer_opens_a_purchaser_unit_of_their_own_customer(client, tenant_a, world):
    client.force_login(world["member"].user)
    response = _get(client, tenant_a, "portal_purchaser", pk=world["payroll"].pk)
    assert response.status_code == 200
    assert "Pat Payroll" in response.content.decode()


def test_customer_sees_proposed_expectations_but_not_the_office_drafts(client, tenant_a, world):
    client.force_login(world["member"].user)
    page = _get(client, tenant_a, "portal_expectation_list").content.decode()
    assert "Payroll runs on time" in page
    assert "Review and agree" in page
    assert "Half-baked idea" not in page
    assert "CRM never down" not in page
    assert _get(client, tenant_a, "portal_expectation", pk=world["draft"].pk).status_code == 404


def test_customer_sees_only_the_action_items_they_own(client, tenant_a, world):
    client.force_login(world["member"].user)
    page = _get(client, tenant_a, "portal_action_item_list").content.decode()
    assert "Send figures" in page
    assert "Pat&#x27;s chore" not in page and "Pat's chore" not in page
    assert "Sales chore" not in page


def test_portal_home_shows_the_customer_and_the_relationship_manager(client, tenant_a, rm_a, world):
    client.force_login(world["member"].user)
    page = client.get(f"/t/{tenant_a.slug}/portal/").content.decode()
    assert "Finance" in page
    assert rm_a.user.email in page
    assert reverse("customers:portal_expectation_list", args=[tenant_a.slug]) in page


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("portal_purchaser", "field"),
        ("portal_expectation", "sales_expectation"),
        ("portal_expectation_agree", "sales_expectation"),
        ("portal_action_item", "sales_item"),
        ("portal_action_item_done", "sales_item"),
        ("portal_action_item", "pats"),  # own customer, but owned by someone else
        ("portal_action_item_done", "pats"),
    ],
)
def test_records_of_another_customer_are_404_like_missing_ones(client, tenant_a, world, name, key):
    client.force_login(world["member"].user)
    other = reverse(f"customers:{name}", kwargs={"tenant_slug": tenant_a.slug, "pk": world[key].pk})
    missing = reverse(f"customers:{name}", kwargs={"tenant_slug": tenant_a.slug, "pk": 987654})
    for path in (other, missing):
        assert client.get(path).status_code == 404
        assert client.post(path, {"body": "hello"}).status_code == 404
