"""A relationship manager subscribes to their meetings: the user menu's Calendar feed, an
address shown once, the feed it serves, and revoking it after a confirmation; a customer does
the same on the portal (axe on each page)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.tenancy.context import tenant_context
from meetings import services
from tests.browser.conftest import sign_in
from tests.kit import PASSWORD
from tests.meetings import conftest as meetings_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

mworld = meetings_fixtures.mworld  # Finance, its RM, and Bea with a customer login


def _subscribe(page) -> str:
    page.get_by_role("link", name="Make an address").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Make the address").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your calendar feed").is_visible()
    return page.get_by_label("Calendar feed address").input_value()


def test_rm_subscribes_to_their_meetings_and_revokes_the_address(
    live_server, page, screenshot, mworld, settings
):
    settings.BRM_BASE_URL = live_server.url
    start = timezone.now() + timedelta(days=5)
    with tenant_context(mworld.customer.tenant_id):
        services.meeting_create(
            actor=mworld.rm.user,
            customer=mworld.customer,
            title="Escalation: payroll run",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            organiser=mworld.rm,
            contacts=[mworld.bea],
        )
    sign_in(page, live_server.url, mworld.rm.user.email, PASSWORD)
    page.goto(f"{live_server.url}/t/tenant-a/customers/")
    page.get_by_role("button", name=mworld.rm.user.get_full_name()).click()
    page.get_by_role("link", name="Calendar feed").click()
    page.wait_for_load_state()
    assert page.get_by_text("Escalation: payroll run").is_visible()

    url = _subscribe(page)
    screenshot("calendar-feed-created")
    feed = page.request.get(url)
    assert feed.status == 200
    assert "Escalation: payroll run" in feed.text()

    page.get_by_role("link", name="Done").click()
    page.get_by_role("link", name="Revoke the address").click()
    page.wait_for_load_state()
    assert page.get_by_text("Revoke your calendar feed address?").is_visible()
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    assert page.get_by_text("was revoked").is_visible()
    assert page.request.get(url).status == 404


def test_a_customer_subscribes_on_the_portal(live_server, page, mworld, settings):
    settings.BRM_BASE_URL = live_server.url
    sign_in(page, live_server.url, mworld.business_manager.user.email, PASSWORD)
    page.goto(f"{live_server.url}/t/tenant-a/portal/calendar-feed/")
    assert page.get_by_role("heading", name="Calendar feed").is_visible()

    url = _subscribe(page)

    assert "/portal/" not in url
    assert page.request.get(url).status == 200
