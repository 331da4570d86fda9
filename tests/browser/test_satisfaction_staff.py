"""The satisfaction staff pages in the browser: a relationship manager writes a survey with its
questions, makes a campaign for their customers, reads the audience preview (who is invited and
who a rule holds back, and why) and schedules it; the survey is then frozen and the page offers
a new version. axe-core and the CSP checks run on every page visited (tests/browser/conftest.py).
"""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from satisfaction.models import Campaign, Survey, SurveyOptOut
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-password"


def _office():
    tenant = services.tenant_create(
        slug="acme", name="Acme IT", mfa_policy="optional", time_zone="Europe/Amsterdam"
    )
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email="rita@acme.example",
        password=PASSWORD,
        name="Rita Relation",
    )
    for name, manager, email in (
        ("Finance", "Bea Budget", "bea@finance.example"),
        ("Sales", "Sam Seller", "sam@sales.example"),
    ):
        customer = CustomerFactory(tenant=tenant, name=name, relationship_manager=rm)
        customer.business_manager = ContactFactory(customer=customer, name=manager, email=email)
        in_tenant(tenant, customer.save)
    in_tenant(tenant, lambda: SurveyOptOut.objects.create(email="sam@sales.example"))
    return tenant


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_rm_writes_a_survey_and_schedules_a_campaign_after_the_preview(live_server, page):
    tenant = _office()
    base = live_server.url
    sign_in(page, base, "rita@acme.example", PASSWORD)
    page.get_by_role("link", name="Satisfaction", exact=True).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Satisfaction campaigns").is_visible()
    page.get_by_role("link", name="Surveys", exact=True).last.click()
    page.get_by_role("link", name="Make the first one").click()
    page.get_by_label("Name").fill("Quarterly pulse")
    page.get_by_role("button", name="Make the survey").click()
    page.wait_for_load_state()

    for kind, text, options in (
        ("nps", "How likely are you to recommend IT?", ""),
        ("choice", "How do you reach IT?", "Phone"),  # one option: refused, then fixed
    ):
        page.get_by_role("link", name="Add a question").click()
        page.get_by_label("Kind").select_option(kind)
        page.locator("#id_text").fill(text)
        if options:
            page.get_by_label("Options (single choice)").fill(options)
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
    assert page.get_by_text("A single choice has 2 to 10 options.").is_visible()
    _shot(page, "satisfaction-question-refused")
    page.get_by_label("Options (single choice)").fill("Phone\nPortal\nEmail")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Single choice").is_visible()
    page.get_by_role("button", name="Up How do you reach IT?").click()
    page.wait_for_load_state()
    first_question = page.locator("#questions tbody tr").first
    assert "How do you reach IT?" in first_question.inner_text()
    _shot(page, "satisfaction-survey")

    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Name").fill("Spring pulse")
    page.get_by_label("Survey").select_option(label="Quarterly pulse")
    page.get_by_label("Of which customers").select_option("relationship_manager")
    page.get_by_label("Relationship manager").select_option(label="Rita Relation")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    preview = page.locator("#audience")
    assert preview.get_by_role("rowheader", name="Bea Budget").is_visible()
    assert preview.get_by_role("cell", name="Opted out of surveys", exact=True).is_visible()
    _shot(page, "satisfaction-campaign-preview")

    page.get_by_role("link", name="Schedule").click()
    assert page.get_by_text("to 1 contacts").is_visible()
    page.get_by_role("button", name="Schedule the campaign").click()
    page.wait_for_load_state()
    assert page.get_by_text("The campaign is scheduled; its survey is frozen.").is_visible()
    campaign = in_tenant(tenant, lambda: Campaign.objects.get())
    assert campaign.status == "scheduled"
    assert in_tenant(tenant, lambda: Survey.objects.get().is_frozen)

    page.get_by_role("link", name="Quarterly pulse").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Add a question").count() == 0
    page.get_by_role("link", name="Make a new version").click()
    page.get_by_role("button", name="Make a new version").click()
    page.wait_for_load_state()
    assert page.get_by_text("version 2").first.is_visible()
    assert page.get_by_role("link", name="Add a question").is_visible()
    _shot(page, "satisfaction-new-version")
