"""A staff user and a portal user each sign in through the real form and land on their shell."""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.browser.conftest import sign_in
from tests.kit import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_user_signs_in_and_lands_on_the_staff_shell(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    make_member(
        tenant, Role.RELATIONSHIP_MANAGER, email="rm@acme.example", password="rm-long-password"
    )
    sign_in(page, live_server.url, "rm@acme.example", "rm-long-password")
    assert page.url == f"{live_server.url}/t/acme/"
    assert page.locator("body.shell-staff").count() == 1
    # A relationship manager's home is their working day (reports/home.py).
    assert page.get_by_role("heading", name="My working day").is_visible()
    assert page.get_by_text("Acme IT").first.is_visible()
    screenshot("staff-home")
    # The portal is closed to staff.
    response = page.goto(f"{live_server.url}/t/acme/portal/")
    assert response.status == 403
    screenshot("staff-on-portal-403")


def test_portal_user_signs_in_and_lands_on_the_portal_shell(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="required")
    make_member(
        tenant, Role.CUSTOMER, email="carla@business.example", password="carla-long-password"
    )
    sign_in(page, live_server.url, "carla@business.example", "carla-long-password")
    assert page.url == f"{live_server.url}/t/acme/portal/"
    assert page.locator("body.shell-portal").count() == 1
    assert page.get_by_text("You hold the budget mandate").is_visible()
    screenshot("portal-home")
    response = page.goto(f"{live_server.url}/t/acme/")
    assert response.status == 403


def test_staff_of_an_mfa_office_is_taken_to_two_factor_setup(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT")
    make_member(tenant, Role.IT_MANAGER, email="itm@acme.example", password="itm-long-password")
    sign_in(page, live_server.url, "itm@acme.example", "itm-long-password")
    # Setting up a second factor asks for the password once more (allauth's reauthentication).
    assert "/accounts/reauthenticate/" in page.url
    assert page.get_by_text("requires two-factor authentication for staff").is_visible()
    page.get_by_label("Password").fill("itm-long-password")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url
    screenshot("staff-mfa-setup")
