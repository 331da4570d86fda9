"""A relationship manager sets up a customer in the browser and invites a contact to the portal."""

import pytest
from django.core import mail

from brm.tenancy import services
from brm.tenancy.models import Role
from customers.models import Contact, Customer
from tests.browser.conftest import sign_in
from tests.kit import in_tenant, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rm_creates_a_customer_adds_a_purchaser_and_contact_and_invites_the_contact(
    live_server, page, screenshot
):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email="rita@acme.example",
        password="rita-long-password",
        name="Rita Relation",
    )
    sign_in(page, live_server.url, "rita@acme.example", "rita-long-password")

    nav = page.get_by_role("navigation", name="Main navigation")
    # The customer, from the list.
    nav.get_by_role("link", name="Customers", exact=True).click()
    assert page.get_by_text("No customers yet.").is_visible()
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name").fill("Finance")
    page.get_by_label("Division").fill("Corporate")
    page.get_by_label("Status").select_option("active")
    # The signed-in relationship manager is chosen already.
    assert page.get_by_label("Relationship manager").input_value() == str(rm.pk)
    page.get_by_label("Business drivers").fill("Month-end close in three days.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Finance").is_visible()
    assert page.get_by_text("The customer Finance was created.").is_visible()

    # A purchaser under it.
    page.get_by_role("link", name="Add purchaser").click()
    page.get_by_label("Name").fill("Accounts payable")
    page.get_by_label("Designated IT contact").select_option(label="Rita Relation")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    purchasers = page.locator("#purchasers")
    assert purchasers.get_by_role("rowheader", name="Accounts payable").is_visible()

    # A contact: the purchaser's manager-to-be, on the purchaser.
    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("Name").fill("Paula Payable")
    page.get_by_label("Title").fill("Head of accounts payable")
    page.get_by_label("Email").fill("Paula@Finance.example")
    page.get_by_label("Purchaser").select_option(label="Accounts payable")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    contacts = page.locator("#contacts")
    row = contacts.get_by_role("row").filter(has_text="Paula Payable")
    assert row.get_by_text("No login").is_visible()

    # Invite her to the portal: she gets an email, the page says so and shows her as invited.
    row.get_by_role("button", name="Invite to portal").click()
    page.wait_for_load_state()
    assert page.get_by_text("A portal invitation was emailed to paula@finance.example").is_visible()
    row = page.locator("#contacts").get_by_role("row").filter(has_text="Paula Payable")
    assert row.get_by_text("Invited").is_visible()
    assert [m.to for m in mail.outbox] == [["paula@finance.example"]]
    assert "/t/acme/invitation/" in mail.outbox[0].body
    assert in_tenant(
        tenant,
        lambda: (
            Contact.objects.get(email="paula@finance.example").portal_invitation.role
            == (Role.PURCHASER)
        ),
    )
    screenshot("customers-staff-customer-page")

    # The list shows the new customer.
    nav.get_by_role("link", name="Customers", exact=True).click()
    assert page.get_by_role("link", name="Finance").is_visible()
    assert page.get_by_role("cell", name="Rita Relation").is_visible()
    screenshot("customers-staff-customer-list")
    assert in_tenant(tenant, lambda: Customer.objects.get().relationship_manager == rm)
