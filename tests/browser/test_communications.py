"""Communications in a browser: a relationship manager composes a planned maintenance for two
customers, checks who receives it and why, sends it after confirming, and the first customer's
business manager reads it under News from IT; every page passes axe."""

import pytest

from brm.tenancy import services as tenancy_services
from brm.tenancy.models import Role
from meetings import communications
from meetings.models import Notice
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import PASSWORD, in_tenant, make_member, make_portal_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _office():
    tenant = tenancy_services.tenant_create(
        slug="acme", name="Acme IT", mfa_policy="optional", time_zone="Europe/Amsterdam"
    )
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email="rita@acme.example",
        password="rita-long-password",
        name="Rita Relation",
    )
    for name, person, email in (
        ("Finance", "Bea Budget", "bea@finance.example"),
        ("Sales", "Sam Seller", "sam@sales.example"),
    ):
        customer = CustomerFactory(tenant=tenant, name=name, relationship_manager=rm)
        contact = ContactFactory(customer=customer, name=person, email=email)
        customer.business_manager = contact
        in_tenant(tenant, customer.save)
        if name == "Finance":
            make_portal_member(contact, Role.CUSTOMER)
    return tenant


def test_an_rm_sends_a_maintenance_to_two_customers_and_the_customer_reads_it(
    live_server, browser, page, screenshot
):
    tenant = _office()
    sign_in(page, live_server.url, "rita@acme.example", "rita-long-password")
    page.goto(f"{live_server.url}/t/acme/")
    page.get_by_role("link", name="Communications").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Compose a notice").click()
    page.wait_for_load_state()
    page.get_by_label("Kind").select_option(label="Planned maintenance")
    page.get_by_label("Subject").fill("Network upgrade")
    page.get_by_label("Body").fill("The core network is **upgraded**.\n\n- Save your work first")
    page.get_by_label("Maintenance starts").fill("2027-03-02T20:00")
    page.get_by_label("Maintenance ends").fill("2027-03-02T22:00")
    page.get_by_label("Customers").select_option(label=["Finance", "Sales"])
    page.get_by_label("By role").check()
    page.get_by_label("Business manager").check()
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()
    preview = page.get_by_role("region", name="Who will receive it, and why")
    assert preview.get_by_text("bea@finance.example").is_visible()
    assert preview.get_by_text("sam@sales.example").is_visible()
    screenshot("communications-preview")

    page.get_by_role("link", name="Send", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("2 people of 2 customers receive it by email now.").is_visible()
    page.get_by_role("button", name="Send now").click()
    page.wait_for_load_state()
    assert page.get_by_text("The notice is being sent.").is_visible()
    with in_tenant(tenant):
        notice = Notice.objects.get(subject="Network upgrade")
        assert notice.status == Notice.Status.SENT
        communications.notice_fanout(notice)  # the send job a worker runs
    page.reload()
    assert page.get_by_role("region", name="Delivery").get_by_text("sam@sales.example").is_visible()
    screenshot("communications-delivery")

    reader = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(reader, live_server.url, "bea@finance.example", PASSWORD)
    reader.get_by_role("navigation", name="Portal navigation").get_by_role(
        "link", name="News from IT"
    ).click()
    reader.wait_for_load_state()
    reader.get_by_role("link", name="Network upgrade").click()
    reader.wait_for_load_state()
    assert reader.get_by_text("upgraded").is_visible()
    assert reader.get_by_role("link", name="Add to my calendar").is_visible()
    reader.screenshot(path="test-artifacts/communications-portal-news.png", full_page=True)
