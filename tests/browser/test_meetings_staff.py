"""A relationship manager finds their meetings, opens a held review with its minutes and
decision, the cadence it belongs to, and the customer's decision log; every page passes axe."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from brm.tenancy import services as tenancy_services
from brm.tenancy.models import Role
from customers.models import Contact
from meetings import services
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member

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
    itm = make_member(tenant, Role.IT_MANAGER, email="ivo@acme.example", name="Ivo IT")
    customer = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    bea = ContactFactory(
        customer=customer,
        name="Bea Budget",
        email="bea@finance.example",
        authority=Contact.Authority.DECIDES,
    )
    with in_tenant(tenant):
        cadence = services.cadence_create(
            actor=rm.user,
            customer=customer,
            meeting_type="service_review",
            name="Monthly service review",
            frequency="monthly",
            weekday=1,
            week_of_month=2,
            starts_on=timezone.localdate(),
            time_of_day=time(10),
            organiser=rm,
            contacts=[bea],
            members=[rm],
            agenda_template="Welcome\nService levels",
        )
        start = timezone.now() - timedelta(days=2)
        review = services.meeting_create(
            actor=rm.user,
            customer=customer,
            kind="escalation",
            title="Payroll escalation",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            organiser=rm,
            location="Room 4",
            contacts=[bea],
            members=[rm, itm],
        )
        services.agenda_item_add(meeting=review, actor=rm.user, title="Root cause")
        services.meeting_mark_held(meeting=review, actor=rm.user)
        services.minutes_save(meeting=review, actor=rm.user, summary="The root cause is known.")
        services.minutes_publish(meeting=review, actor=rm.user)
        services.decision_create(
            actor=rm.user,
            customer=customer,
            meeting=review,
            title="Add a second payroll run",
            kind="it",
            accountable_member=itm,
        )
    return tenant, customer, cadence


def test_rm_walks_the_meetings_list_a_meeting_a_cadence_and_the_decision_log(
    live_server, page, screenshot
):
    _tenant, customer, _cadence = _office()
    sign_in(page, live_server.url, "rita@acme.example", "rita-long-password")
    nav = page.get_by_role("navigation", name="Main navigation")

    nav.get_by_role("link", name="Meetings", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Meetings", exact=True).is_visible()
    assert page.get_by_role("link", name="Monthly service review").first.is_visible()
    screenshot("meetings-staff-list")

    page.get_by_role("link", name="Held", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Payroll escalation").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Payroll escalation").is_visible()
    assert page.locator("#minutes").get_by_text("The root cause is known.").is_visible()
    assert page.get_by_text("(Europe/Amsterdam)").first.is_visible()
    decisions = page.locator("#decisions")
    assert decisions.get_by_role("link", name="Add a second payroll run").is_visible()
    screenshot("meetings-staff-meeting")

    page.get_by_role("link", name="Meetings", exact=True).first.click()
    page.get_by_role("link", name="Cadences", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Monthly on the 2nd Tuesday at 10:00").is_visible()
    page.get_by_role("link", name="Monthly service review").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Upcoming occurrences").is_visible()
    screenshot("meetings-staff-cadence")

    page.get_by_role("link", name="Finance").first.click()
    page.wait_for_load_state()
    panel = page.locator("#meetings")
    assert panel.get_by_text("Payroll escalation").is_visible()
    screenshot("meetings-staff-customer-panel")
    panel.get_by_role("link", name="Decision log").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"Decision log of {customer.name}").is_visible()
    assert page.get_by_role("link", name="Add a second payroll run").is_visible()
    screenshot("meetings-staff-decision-log")
