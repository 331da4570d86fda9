"""The portal's meetings, in a browser: the customer's business manager opens a held review,
reads its published minutes, and approves the decision awaiting her after confirming it."""

import pytest

from meetings.models import Decision
from tests.agreements.conftest import make_world
from tests.browser.conftest import sign_in
from tests.kit import PASSWORD, refreshed
from tests.meetings.builders import business_decision, held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_reads_the_minutes_and_approves_a_decision_after_confirming(
    live_server, browser, page, screenshot, tenant_a, rm_a, customer_record
):
    mworld = make_world(tenant_a, rm_a, customer_record)  # Bea holds the mandate, with a login
    meeting = held(mworld, title="Quarterly initiative review", summary="The ERP move is on.")
    decision = business_decision(mworld, meeting, title="Fund the ERP move")

    sign_in(page, live_server.url, "bea@finance.example", PASSWORD)
    page.get_by_role("navigation", name="Portal navigation").get_by_role(
        "link", name="Meetings"
    ).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Quarterly initiative review").click()
    page.wait_for_load_state()
    minutes = page.get_by_role("region", name="Minutes")
    assert minutes.get_by_text("The ERP move is on.").is_visible()
    screenshot("meetings-portal-meeting")

    page.get_by_role("link", name="Approve Fund the ERP move").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Approve a decision").is_visible()
    assert refreshed(decision).status == Decision.Status.PROPOSED  # nothing until confirmed
    page.get_by_label("Note (optional)").fill("Within this year's budget.")
    page.get_by_role("button", name="I approve “Fund the ERP move”").click()
    page.wait_for_load_state()
    assert page.get_by_text("You approved “Fund the ERP move”.").is_visible()
    screenshot("meetings-portal-decision-approved")

    decision = refreshed(decision)
    assert decision.status == Decision.Status.APPROVED
    assert decision.decided_by == mworld.business_manager.user
    assert decision.decision_note == "Within this year's budget."
