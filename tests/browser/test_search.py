"""A relationship manager types a customer's name in the search box of the staff navigation,
reads the results grouped by kind and follows a hit to the customer's page; then a customer's
portal user searches the portal for their meeting. Every page gets the axe check."""

from types import SimpleNamespace

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member, make_portal_member
from tests.meetings.builders import one_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-password"


def test_an_rm_searches_from_the_navigation_and_opens_a_customer(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(
        tenant, Role.RELATIONSHIP_MANAGER, email="rita@acme.example", password=PASSWORD
    )
    finance = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    ContactFactory(customer=finance, name="Bea Budget", email="bea@finance.example")
    CustomerFactory(tenant=tenant, name="Sales", relationship_manager=rm)
    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)

    box = page.get_by_role("search", name="Site search")
    box.get_by_label("Search the office").fill("finance")
    box.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Search", exact=True).is_visible()
    customers = page.get_by_role("region", name="Customers")
    contacts = page.get_by_role("region", name="Contacts")
    assert contacts.get_by_role("link", name="Bea Budget").is_visible()
    assert page.get_by_role("region", name="Sales").count() == 0
    screenshot("search-results")

    customers.get_by_role("link", name="Finance").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Finance").is_visible()

    # Too short a query: a message, no results.
    page.get_by_role("search", name="Site search").get_by_label("Search the office").fill("f")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_text("Type at least 2 characters to search.").is_visible()


def test_a_portal_user_finds_their_meeting(live_server, page):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(tenant, Role.RELATIONSHIP_MANAGER, email="rita@acme.example")
    finance = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    bea = ContactFactory(customer=finance, name="Bea Budget", email="bea@finance.example")
    finance.business_manager = bea
    in_tenant(tenant, finance.save)
    member = make_portal_member(bea, Role.CUSTOMER)
    member.user.set_password(PASSWORD)
    member.user.save()
    world = SimpleNamespace(customer=finance, rm=rm, bea=bea)  # what one_off reads
    one_off(world, title="Quarterly roadmap review")
    sign_in(page, live_server.url, "bea@finance.example", PASSWORD)

    box = page.get_by_role("search", name="Portal search")
    box.get_by_label("Search the office").fill("roadmap")
    box.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    meetings = page.get_by_role("region", name="Meetings")
    meetings.get_by_role("link", name="Quarterly roadmap review").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Quarterly roadmap review").is_visible()
