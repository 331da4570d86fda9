"""The results of a closed campaign: the relationship manager reads them (figures, charts with
their tables, the small customer held back), publishes them with a summary, and the customer's
business manager reads them in the portal."""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.browser.conftest import sign_in
from tests.factories import ContactFactory, CustomerFactory, survey_with_questions
from tests.kit import in_tenant, make_member, make_portal_member
from tests.satisfaction.results_kit import WORKED_NPS, closed_campaign, respond

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
    finance = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    bea = ContactFactory(customer=finance, name="Bea Budget", email="bea@finance.example")
    finance.business_manager = bea
    in_tenant(tenant, finance.save)
    member = make_portal_member(bea, Role.CUSTOMER)
    member.user.set_password(PASSWORD)
    member.user.save()
    logistics = CustomerFactory(tenant=tenant, name="Logistics", relationship_manager=rm)
    survey = survey_with_questions(tenant=tenant, kinds=("nps", "csat", "effort", "text"))
    campaign = closed_campaign(survey, name="Spring survey")
    for n, score in enumerate(WORKED_NPS):
        respond(
            campaign,
            finance,
            nps=score,
            csat=4 if n % 3 else 2,
            effort=2 + n % 3,
            text="Faster answers, please" if n == 0 else "",
            contact=bea if n == 0 else None,
        )
    respond(campaign, logistics, nps=9, csat=5)
    return tenant, campaign


def test_results_are_read_published_and_seen_in_the_portal(live_server, browser):
    tenant, campaign = _office()
    base = live_server.url

    rm = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(rm, base, "rita@acme.example", PASSWORD)
    rm.goto(f"{base}/t/acme/satisfaction/campaigns/{campaign.pk}/results/")
    assert rm.get_by_role("heading", name="Results: Spring survey").is_visible()
    assert rm.get_by_role("img", name="NPS per customer").is_visible()
    assert rm.locator("td", has_text="fewer than 5 answers").first.is_visible()
    rm.screenshot(path="test-artifacts/satisfaction-results.png", full_page=True)

    rm.get_by_role("link", name="Publish the results").click()
    rm.get_by_label("You said, we did").fill("You said answers were slow. We added a second line.")
    rm.get_by_label("Publish the results to the customers and email the respondents").check()
    rm.get_by_role("button", name="Publish").click()
    rm.wait_for_load_state()
    assert rm.get_by_text("The results are published.").is_visible()

    rm.goto(f"{base}/t/acme/satisfaction/results/")
    assert rm.get_by_role("img", name="NPS per closed campaign").is_visible()
    rm.screenshot(path="test-artifacts/satisfaction-overview.png", full_page=True)

    bea = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(bea, base, "bea@finance.example", PASSWORD)
    bea.get_by_role("navigation", name="Portal navigation").get_by_role(
        "link", name="Surveys"
    ).click()
    bea.wait_for_load_state()
    bea.get_by_role("link", name="Published results").click()
    bea.wait_for_load_state()
    assert bea.get_by_text("We added a second line.").is_visible()
    assert bea.get_by_role("heading", name="Spring survey").is_visible()
    assert "Logistics" not in bea.content()
    bea.screenshot(path="test-artifacts/satisfaction-portal-results.png", full_page=True)
