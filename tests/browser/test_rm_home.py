"""A relationship manager signs in and lands on their working day: the panels with their
customer's records and the empty states, then follows a row to the action item it names.
Every page gets the axe check."""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.browser.conftest import sign_in
from tests.kit import make_member
from tests.reports.home_world import customer_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-password"


def test_an_rm_sees_their_working_day_and_follows_an_overdue_item(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(
        tenant, Role.RELATIONSHIP_MANAGER, email="rita@acme.example", password=PASSWORD
    )
    customer_day(tenant, rm, "Finance")
    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    page.goto(f"{live_server.url}/t/acme/")
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="My working day").is_visible()
    customers = page.get_by_role("region", name="My customers")
    assert customers.get_by_role("link", name="Finance").is_visible()
    complaints = page.get_by_role("region", name="Complaints near or past a target")
    assert complaints.get_by_text("Past target").is_visible()
    screenshot("rm-home")

    overdue = page.get_by_role("region", name="Overdue action items")
    overdue.get_by_role("link", name="Overdue item Finance").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Overdue item Finance").is_visible()


def test_an_rm_without_customers_sees_the_empty_states(live_server, page):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    make_member(tenant, Role.RELATIONSHIP_MANAGER, email="rita@acme.example", password=PASSWORD)
    sign_in(page, live_server.url, "rita@acme.example", PASSWORD)
    page.goto(f"{live_server.url}/t/acme/")
    page.wait_for_load_state()
    overdue = page.get_by_role("region", name="Overdue action items")
    assert overdue.get_by_text("Nothing overdue").is_visible()
