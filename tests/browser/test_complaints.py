"""The complaints journey: a purchaser raises a complaint in the portal, the relationship
manager acknowledges it, the resolve target breaches (the clock's due jobs run at a later
`now`) and it escalates to the IT manager, who resolves it, and the purchaser confirms."""

from datetime import timedelta

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from complaints.models import Complaint
from customers.models import Contact
from tests.browser.conftest import sign_in
from tests.complaints.conftest import run_due
from tests.factories import ContactFactory, CustomerFactory, PurchaserFactory
from tests.kit import in_tenant, make_member, make_portal_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-password"


def _office():
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email="rita@acme.example",
        password=PASSWORD,
        name="Rita Relation",
    )
    it_manager = make_member(
        tenant, Role.IT_MANAGER, email="ivo@acme.example", password=PASSWORD, name="Ivo IT"
    )
    customer = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    bea = ContactFactory(customer=customer, name="Bea Budget", email="bea@finance.example")
    customer.business_manager = bea
    in_tenant(tenant, customer.save)
    payroll = PurchaserFactory(customer=customer, name="Payroll")
    paul = ContactFactory(
        customer=customer, purchaser=payroll, name="Paul Payroll", email="paul@finance.example"
    )
    purchaser = make_portal_member(paul, Role.PURCHASER)
    purchaser.user.set_password(PASSWORD)
    purchaser.user.save()
    assert in_tenant(tenant, lambda: Contact.objects.get(pk=paul.pk).membership_id)
    make_member(tenant, Role.ADMIN, email="ada@acme.example", password=PASSWORD, name="Ada Admin")
    return tenant, rm, it_manager


def _person(browser, base, email):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, email, PASSWORD)
    return page


def _shot(page, name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_purchasers_complaint_escalates_on_breach_is_resolved_and_confirmed(live_server, browser):
    tenant, rm, it_manager = _office()
    base = live_server.url

    # Paul raises it in the portal.
    paul = _person(browser, base, "paul@finance.example")
    paul.get_by_role("navigation", name="Portal navigation").get_by_role(
        "link", name="Complaints", exact=True
    ).click()
    paul.get_by_role("link", name="Raise a complaint").click()
    paul.get_by_label("Subject").fill("Payslips were not sent")
    paul.get_by_label("What happened").fill("Nobody in Payroll got a payslip this month.")
    paul.get_by_label("Severity").select_option("critical")
    paul.get_by_role("button", name="Send the complaint").click()
    paul.wait_for_load_state()
    assert paul.get_by_text("Your complaint is received as").is_visible()
    _shot(paul, "complaints-portal-raised")
    complaint = in_tenant(tenant, lambda: Complaint.objects.get())

    # Rita acknowledges it.
    rita = _person(browser, base, "rita@acme.example")
    rita.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Complaints", exact=True
    ).click()
    _shot(rita, "complaints-staff-list")
    rita.get_by_role("link", name=complaint.reference).click()
    rita.get_by_role("link", name="Acknowledge").click()
    rita.get_by_role("button", name="Acknowledge the complaint").click()
    rita.wait_for_load_state()
    assert rita.get_by_text("Acknowledged: the raiser is told").is_visible()

    # Nobody resolves it in time: the breach escalates it to the IT managers.
    complaint = in_tenant(tenant, lambda: Complaint.objects.get())
    run_due(tenant, complaint.resolve_due_at + timedelta(minutes=1))
    complaint = in_tenant(tenant, lambda: Complaint.objects.get())
    assert complaint.level == 2 and complaint.resolve_breached

    # Ivo resolves it.
    ivo = _person(browser, base, "ivo@acme.example")
    ivo.goto(f"{base}/t/acme/complaints/{complaint.pk}/")
    assert ivo.get_by_text("Target breached").first.is_visible()
    _shot(ivo, "complaints-staff-escalated")
    ivo.get_by_role("link", name="Resolve", exact=True).click()
    ivo.locator("select[name=root_cause_category]").select_option("process")
    ivo.get_by_label("Root cause (details)").fill("The payslip job was not rescheduled.")
    ivo.locator("textarea[name=resolution]").fill("Payslips sent; the job is scheduled again.")
    ivo.get_by_role("button", name="Resolve the complaint").click()
    ivo.wait_for_load_state()
    assert ivo.get_by_text("Resolved: the raiser is asked to confirm.").is_visible()

    # Paul confirms, with a rating.
    paul.goto(f"{base}/t/acme/portal/complaints/{complaint.pk}/")
    _shot(paul, "complaints-portal-resolved")
    paul.get_by_role("link", name="Confirm the resolution").click()
    paul.get_by_label("How was it handled? (optional)").select_option("4")
    paul.get_by_role("button", name="Yes, it is resolved").click()
    paul.wait_for_load_state()
    assert paul.get_by_text("Thank you: the complaint is closed.").is_visible()
    _shot(paul, "complaints-portal-confirmed")
    complaint = in_tenant(tenant, lambda: Complaint.objects.get())
    assert (complaint.status, complaint.rating) == (Complaint.Status.CLOSED_CONFIRMED, 4)

    # The office's other complaint pages pass the same checks: the steering group's view, the
    # policy, the categories, recording a complaint, the customer page's panel, the procedure.
    ada = _person(browser, base, "ada@acme.example")
    for path in (
        "complaints/steering/",
        "complaints/policy/",
        "complaints/categories/",
        "complaints/categories/new/",
        "complaints/new/",
        f"customers/{complaint.customer_id}/",
    ):
        ada.goto(f"{base}/t/acme/{path}")
        assert ada.get_by_role("heading", level=1).is_visible(), path
    _shot(ada, "complaints-customer-panel")
    paul.goto(f"{base}/t/acme/portal/complaints/procedure/")
    _shot(paul, "complaints-portal-procedure")
