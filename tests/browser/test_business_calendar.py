"""An admin sets the office's working week, seeds its country's public holidays and takes one
off the list, in the browser; every page visited passes axe-core and the CSP."""

import pytest

from brm.hours.models import BusinessCalendar, Holiday
from brm.tenancy import services
from brm.tenancy.models import Role
from tests.browser.conftest import sign_in
from tests.kit import in_tenant, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_sets_the_working_week_and_seeds_the_public_holidays(live_server, page, screenshot):
    tenant = services.tenant_create(
        slug="acme", name="Acme IT", mfa_policy="optional", time_zone="Europe/Amsterdam"
    )
    make_member(tenant, Role.ADMIN, email="ada@acme.example", password="ada-long-password")
    sign_in(page, live_server.url, "ada@acme.example", "ada-long-password")

    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Business calendar").last.click()
    assert page.get_by_role("heading", name="Business calendar").is_visible()
    page.get_by_role("checkbox", name="Friday").uncheck()
    page.get_by_label("Opens").fill("08:00")
    page.get_by_label("Country").select_option("NL")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The business calendar was saved.").is_visible()
    screenshot("business-calendar")

    page.get_by_role("link", name="The holidays").click()
    assert page.get_by_text("The office has no holidays yet.").is_visible()
    page.get_by_role("link", name="Seed from the country's public holidays").click()
    assert page.get_by_text("Netherlands").is_visible()
    page.get_by_role("button", name="Seed").click()
    page.wait_for_load_state()
    assert page.get_by_text("holidays were added.").is_visible()
    screenshot("holidays")

    first = in_tenant(tenant, lambda: Holiday.objects.order_by("date").first())
    page.get_by_role("link", name=f"Delete {first}").click()
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state()
    assert page.get_by_text("was deleted.").is_visible()

    with in_tenant(tenant):
        calendar = BusinessCalendar.objects.get()
        assert (calendar.weekdays, calendar.country) == ("0123", "NL")
        assert calendar.opens.hour == 8
        assert not Holiday.objects.filter(pk=first.pk).exists()
