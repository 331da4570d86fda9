"""A relationship manager builds the service catalogue and links a customer to its services."""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from customers import services as customer_services
from tests.browser.conftest import sign_in
from tests.kit import in_tenant, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rm_adds_services_and_links_a_customer_to_them(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email="rita@acme.example",
        password="rita-long-password",
        name="Rita Relation",
    )
    with in_tenant(tenant):
        customer_services.customer_create(
            actor=rm.user, name="Finance", status="active", relationship_manager=rm
        )
    sign_in(page, live_server.url, "rita@acme.example", "rita-long-password")

    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Services").click()
    assert page.get_by_text("The catalogue is empty.").is_visible()
    for name in ("ERP", "CRM"):
        page.get_by_role("link", name="New service").first.click()
        page.get_by_label("Name").fill(name)
        page.get_by_label("Service owner").select_option(str(rm.pk))
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name=name).is_visible()
        nav.get_by_role("link", name="Services").click()
    screenshot("service-catalogue")

    nav.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name="Finance").click()
    page.get_by_role("link", name="Change services").click()
    page.get_by_role("checkbox", name="ERP").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    services_panel = page.get_by_role("region", name="Services consumed")
    assert services_panel.get_by_role("link", name="ERP").is_visible()
    screenshot("customer-with-services")

    services_panel.get_by_role("link", name="ERP").click()
    assert page.get_by_role("link", name="Finance").is_visible()
    screenshot("service-page")
