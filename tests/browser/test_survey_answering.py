"""A customer answers a survey from the email's link with the keyboard alone, and on the
portal; axe-core checks every page (the form, its errors, the thank-you page, the portal
list), and the form works with JavaScript turned off."""

import pytest

from satisfaction.models import Answer, Response
from tests.browser.conftest import sign_in
from tests.kit import PASSWORD, in_tenant
from tests.satisfaction import conftest as satisfaction_fixtures
from tests.satisfaction.respond_kit import campaign_in, invite, link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sworld = satisfaction_fixtures.sworld  # Finance, its RM, Bea with a customer login, a survey


def _questions(sworld) -> dict:
    return in_tenant(
        sworld.customer.tenant, lambda: {q.kind: q for q in sworld.survey.questions.all()}
    )


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.tagName")


def test_answering_from_the_link_with_the_keyboard_alone(live_server, page, screenshot, sworld):
    campaign = campaign_in(sworld.survey, name="Autumn pulse")
    _invitation, token = invite(campaign, sworld.bea)
    q = _questions(sworld)
    email, payroll = sworld.services
    page.goto(live_server.url + link(token))
    assert page.get_by_role("heading", name="Autumn pulse").is_visible()
    assert page.get_by_role("group", name="How likely are you to recommend IT").is_visible()
    screenshot("survey-form")

    # Each scale's buttons are at least 24 px square (here 44 px).
    box = page.locator(f"label[for=id_q{q['nps'].pk}_0]").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24

    # Sending nothing: the errors are listed on top and beside each required question.
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    assert _focused(page) == f"id_q{q['nps'].pk}_0"
    page.get_by_role("button", name="Send my answers").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Please check your answers").is_visible()
    screenshot("survey-form-errors")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    # The summary's links come first; move on to the first question's radios.
    while _focused(page) != f"id_q{q['nps'].pk}_0":
        page.keyboard.press("Tab")
    for _ in range(9):
        page.keyboard.press("ArrowRight")  # arrows move and choose: 9
    page.keyboard.press("Tab")  # CSAT
    page.keyboard.press("Space")  # 1
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # 4
    page.keyboard.press("Tab")  # the first service's row
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # 2
    page.keyboard.press("Tab")  # the second service's row
    page.keyboard.press("ArrowLeft")  # from the first, round to "don't use / no opinion"
    page.keyboard.press("Tab")  # effort
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # choice
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # Phone
    page.keyboard.press("Tab")  # text
    page.keyboard.type("More notice before changes.")
    page.keyboard.press("Tab")
    assert _focused(page) == "BUTTON"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", name="Thank you for your answers").is_visible()
    assert page.get_by_text("You can change your answers until the survey closes").is_visible()
    screenshot("survey-thanks")

    def saved():
        response = Response.objects.get()
        return {(a.question.kind, a.service_id): a.value or a.text for a in response.answers.all()}

    assert in_tenant(sworld.customer.tenant, saved) == {
        ("nps", None): 9,
        ("csat", None): 4,
        ("service_rating", email.pk): 2,
        ("effort", None): 1,
        ("choice", None): "Phone",
        ("text", None): "More notice before changes.",
    }
    assert payroll.pk  # rated "don't use / no opinion": nothing kept

    page.get_by_role("link", name="Change my answers").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Save my changes").is_visible()
    assert page.locator(f"#id_q{q['nps'].pk}_9").is_checked()


def test_the_form_works_without_javascript(live_server, chromium, sworld):
    """The session's plain Chromium: axe-core itself needs JavaScript (the pages above run it)."""
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    q = _questions(sworld)
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + link(token))
    page.locator(f"label[for=id_q{q['nps'].pk}_3]").click()
    page.locator(f"label[for=id_q{q['csat'].pk}_1]").click()
    for service in sworld.services:
        page.get_by_role("group", name=service.name).get_by_text("Don't use").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Thank you for your answers").is_visible()
    values = in_tenant(
        sworld.customer.tenant,
        lambda: sorted(Answer.objects.exclude(value=None).values_list("value", flat=True)),
    )
    assert values == [2, 3]
    context.close()


def test_a_customer_answers_on_the_portal(live_server, page, screenshot, sworld):
    campaign = campaign_in(sworld.survey, name="Winter pulse")
    invite(campaign, sworld.bea)
    q = _questions(sworld)
    sign_in(page, live_server.url, sworld.business_manager.user.email, PASSWORD)
    page.goto(f"{live_server.url}/t/tenant-a/portal/")
    page.get_by_role("link", name="Surveys").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Surveys").is_visible()
    screenshot("portal-surveys")
    page.get_by_role("link", name="Answer: Winter pulse").click()
    page.wait_for_load_state()
    page.locator(f"label[for=id_q{q['nps'].pk}_10]").click()
    page.locator(f"label[for=id_q{q['csat'].pk}_4]").click()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Thank you for your answers").is_visible()
    page.get_by_role("link", name="Back to the surveys").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Change my answers: Winter pulse").is_visible()
