"""The portal journey: an RM sets up a customer and invites its business manager, who accepts the
emailed link, signs in, sees only her own customer, and agrees a proposed expectation."""

import re

import pytest
from django.core import mail

from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from customers import services as customer_services
from customers.models import BusinessExpectation, Customer
from tests.browser.conftest import sign_in
from tests.kit import make_member, refreshed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _another_customer(tenant, rm):
    """Sales, with a unit and a proposed expectation: Finance's manager must never see them."""
    with tenant_context(tenant):
        sales = customer_services.customer_create(
            actor=rm.user, name="Sales", relationship_manager=rm
        )
        unit = customer_services.purchaser_create(actor=rm.user, customer=sales, name="Field sales")
        expectation = customer_services.expectation_create(
            actor=rm.user, customer=sales, title="CRM never down", status="proposed"
        )
    return unit, expectation


def test_invited_business_manager_signs_in_and_sees_only_her_customer(
    live_server, browser, page, screenshot, settings
):
    settings.BRM_BASE_URL = live_server.url  # the emailed link points at this server
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email="rita@acme.example",
        password="rita-long-password",
        name="Rita Relation",
    )
    sales_unit, sales_expectation = _another_customer(tenant, rm)

    # The relationship manager sets up Finance on the staff pages.
    sign_in(page, live_server.url, "rita@acme.example", "rita-long-password")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Customers", exact=True
    ).click()
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name").fill("Finance")
    page.get_by_label("Division").fill("Corporate functions")
    page.get_by_label("Strategy and operational plans").fill("Close the books in three days.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The customer Finance was created.").is_visible()

    page.get_by_role("link", name="Add purchaser").click()
    page.get_by_label("Name").fill("Payroll")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("Name").fill("Bea Budget")
    page.get_by_label("Title").fill("CFO")
    page.get_by_label("Email").fill("bea@finance.example")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # She holds the budget: the business manager, so she is invited with the customer role.
    page.get_by_role("link", name="Edit customer").click()
    page.get_by_label("Business manager").select_option(label="Bea Budget (CFO)")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.locator("#contacts").get_by_role("row").filter(has_text="Bea Budget").get_by_role(
        "button", name="Invite to portal"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text("A portal invitation was emailed to bea@finance.example").is_visible()
    with tenant_context(tenant):
        finance = Customer.objects.get(name="Finance")
        proposed = customer_services.expectation_create(
            actor=rm.user,
            customer=finance,
            title="Payroll runs on time",
            acceptance_criteria="Salaries paid by the 25th",
            status="proposed",
        )

    # The email carries the link.
    assert [m.to for m in mail.outbox] == [["bea@finance.example"]]
    link = re.search(r"http\S+/invitation/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    # Bea, in her own browser, accepts the invitation.
    bea_context = browser.new_context(viewport={"width": 1280, "height": 800})
    bea = bea_context.new_page()
    bea.goto(link)
    assert bea.get_by_text("This invitation is for bea@finance.example").is_visible()
    bea.get_by_label("Your full name").fill("Bea Budget")
    bea.get_by_label("Choose a password").fill("bea-long-password-1")
    bea.get_by_label("Repeat the password").fill("bea-long-password-1")
    bea.screenshot(path=str(_artifact("portal-invitation-accept")), full_page=True)
    bea.get_by_role("button", name="Accept and join").click()
    bea.wait_for_load_state()
    assert bea.url == f"{live_server.url}/t/acme/portal/"

    # She signs out, and signs in again through the sign-in form: straight to the portal.
    bea.get_by_role("button", name="Bea Budget").click()
    bea.get_by_role("button", name="Sign out").click()
    bea.wait_for_load_state()
    sign_in(bea, live_server.url, "bea@finance.example", "bea-long-password-1")
    assert bea.url == f"{live_server.url}/t/acme/portal/"
    assert bea.get_by_role("heading", name="Finance").is_visible()
    assert bea.get_by_text("rita@acme.example").first.is_visible()  # her RM's card
    bea.screenshot(path=str(_artifact("portal-customer-home")), full_page=True)

    # My organisation: her customer, its purchaser and contacts; nothing of Sales.
    nav = bea.get_by_role("navigation", name="Portal navigation")
    nav.get_by_role("link", name="My organisation").click()
    assert bea.get_by_role("heading", name="Finance", exact=True).is_visible()
    assert bea.get_by_role("link", name="Payroll").is_visible()
    assert bea.get_by_role("rowheader", name="Bea Budget you").is_visible()
    body = bea.locator("main").inner_text()
    assert "Sales" not in body and "Field sales" not in body
    bea.screenshot(path=str(_artifact("portal-customer-organisation")), full_page=True)

    # She agrees the proposed expectation after reading what she agrees to.
    nav.get_by_role("link", name="Expectations").click()
    assert "CRM never down" not in bea.locator("main").inner_text()
    bea.get_by_role("link", name="Review and agree Payroll runs on time").click()
    assert bea.get_by_text("Salaries paid by the 25th").is_visible()
    bea.screenshot(path=str(_artifact("portal-expectation-confirm-agree")), full_page=True)
    bea.get_by_role("button", name="I agree to “Payroll runs on time”").click()
    bea.wait_for_load_state()
    assert bea.get_by_text("You agreed “Payroll runs on time”.").is_visible()
    assert bea.get_by_text("Agreed by Bea Budget").is_visible()
    bea.screenshot(path=str(_artifact("portal-expectation-agreed")), full_page=True)
    refreshed(proposed)
    assert proposed.status == BusinessExpectation.Status.AGREED

    # Another customer's records answer 404, like records that do not exist.
    for path in (
        f"/t/acme/portal/purchasers/{sales_unit.pk}/",
        f"/t/acme/portal/expectations/{sales_expectation.pk}/",
        f"/t/acme/portal/expectations/{sales_expectation.pk}/agree/",
    ):
        assert bea.goto(f"{live_server.url}{path}").status == 404
    bea.screenshot(path=str(_artifact("portal-other-customer-404")), full_page=True)
    # And the staff pages stay closed to her.
    assert bea.goto(f"{live_server.url}/t/acme/customers/").status == 403
    bea_context.close()
    screenshot("portal-rm-customer-page")


def _artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def test_purchaser_sees_only_their_unit_and_completes_their_action_item(live_server, page):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(tenant, Role.RELATIONSHIP_MANAGER, email="rita@acme.example", name="Rita")
    pat_member = make_member(
        tenant, Role.PURCHASER, email="pat@finance.example", password="pat-long-password"
    )
    with tenant_context(tenant):
        finance = customer_services.customer_create(
            actor=rm.user, name="Finance", relationship_manager=rm
        )
        payroll = customer_services.purchaser_create(
            actor=rm.user, customer=finance, name="Payroll"
        )
        treasury = customer_services.purchaser_create(
            actor=rm.user, customer=finance, name="Treasury"
        )
        pat = customer_services.contact_create(
            actor=rm.user,
            customer=finance,
            purchaser=payroll,
            name="Pat Payroll",
            email="pat@finance.example",
        )
        tom = customer_services.contact_create(
            actor=rm.user, customer=finance, purchaser=treasury, name="Tom Treasury"
        )
        pat.membership = pat_member  # as accepting her invitation would
        pat.save()
        customer_services.expectation_create(
            actor=rm.user, customer=finance, title="Payroll runs on time", status="proposed"
        )
        item = customer_services.action_item_create(
            actor=rm.user, customer=finance, title="Send headcount figures", owner_contact=pat
        )
        toms = customer_services.action_item_create(
            actor=rm.user, customer=finance, title="Review cash forecast", owner_contact=tom
        )

    sign_in(page, live_server.url, "pat@finance.example", "pat-long-password")
    nav = page.get_by_role("navigation", name="Portal navigation")
    nav.get_by_role("link", name="My organisation").click()
    body = page.locator("main").inner_text()
    assert "Payroll" in body and "Pat Payroll" in body
    assert "Treasury" not in body and "Tom Treasury" not in body
    page.screenshot(path=str(_artifact("portal-purchaser-organisation")), full_page=True)

    # Expectations are there to read; agreeing is the customer's.
    nav.get_by_role("link", name="Expectations").click()
    page.get_by_role("link", name="Payroll runs on time").click()
    assert page.get_by_text("waits for agreement by your customer's business manager").is_visible()
    assert page.get_by_role("link", name="Review and agree").count() == 0
    page.screenshot(path=str(_artifact("portal-purchaser-expectation")), full_page=True)

    # Her action item: a comment, then done.
    nav.get_by_role("link", name="Action items").click()
    assert page.get_by_role("link", name="Review cash forecast").count() == 0
    page.get_by_role("link", name="Send headcount figures").click()
    page.get_by_label("Your comment").fill("Figures go out on Friday.")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Figures go out on Friday.").is_visible()
    page.get_by_role("button", name="Mark as done").click()
    page.wait_for_load_state()
    assert page.get_by_text("“Send headcount figures” is marked as done.").is_visible()
    page.screenshot(path=str(_artifact("portal-purchaser-action-item-done")), full_page=True)
    refreshed(item)
    assert item.status == "done"

    # Another unit, someone else's item: not found.
    for path in (f"purchasers/{treasury.pk}/", f"action-items/{toms.pk}/"):
        assert page.goto(f"{live_server.url}/t/acme/portal/{path}").status == 404
