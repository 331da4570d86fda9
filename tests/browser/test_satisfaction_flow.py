"""The satisfaction journey: a relationship manager makes and schedules a campaign in the
browser, the due job opens it and the invitation is emailed, the customer's business manager
answers from the emailed link as a detractor, the follow-up action item appears for the RM,
the campaign closes, the RM publishes "you said, we did", and the business manager sees the
results in the portal. axe-core and the CSP checks run on every page visited."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brm.tenancy import services
from brm.tenancy.models import Role
from customers.models import ActionItem
from satisfaction.models import Campaign, Response
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member, make_portal_member
from tests.satisfaction.conftest import mails, run_due

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
    customer = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    bea = ContactFactory(customer=customer, name="Bea Budget", email="bea@finance.example")
    customer.business_manager = bea
    in_tenant(tenant, customer.save)
    portal = make_portal_member(bea, Role.CUSTOMER)
    portal.user.set_password(PASSWORD)
    portal.user.save()
    return tenant, rm, customer


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_campaign_is_run_answered_followed_up_published_and_seen_in_the_portal(
    live_server, browser
):
    tenant, rm, customer = _office()
    base = live_server.url
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, base, "rita@acme.example", PASSWORD)

    # The RM writes a survey of two questions.
    staff.goto(f"{base}/t/acme/satisfaction/surveys/new/")
    staff.get_by_label("Name").fill("Pulse")
    staff.get_by_role("button", name="Make the survey").click()
    for kind, text in (("nps", "How likely are you to recommend IT?"), ("text", "Why?")):
        staff.get_by_role("link", name="Add a question").click()
        staff.get_by_label("Kind").select_option(kind)
        staff.locator("#id_text").fill(text)
        staff.get_by_role("button", name="Save").click()
        staff.wait_for_load_state()

    # ... and a campaign of Finance's business managers, opening in a minute.
    staff.get_by_role("link", name="New campaign").click()
    staff.get_by_label("Name").fill("Spring pulse")
    staff.get_by_label("Survey").select_option(label="Pulse")
    staff.get_by_label("Of which customers").select_option("chosen")
    staff.get_by_label("Finance").check()
    opens = timezone.localtime(timezone.now() + timedelta(minutes=1))
    staff.get_by_label("Opens on").fill(opens.strftime("%Y-%m-%d"))
    staff.locator("#id_opens_time").fill(opens.strftime("%H:%M"))
    staff.get_by_role("button", name="Save").click()
    staff.wait_for_load_state()
    assert staff.locator("#audience").get_by_role("rowheader", name="Bea Budget").is_visible()
    staff.get_by_role("link", name="Schedule").click()
    staff.get_by_role("button", name="Schedule the campaign").click()
    staff.wait_for_load_state()
    campaign = in_tenant(tenant, lambda: Campaign.objects.get())

    # The due job opens it and the invitation is emailed with its link.
    run_due(tenant, now=timezone.now() + timedelta(minutes=2))
    assert in_tenant(tenant, lambda: Campaign.objects.get().status) == "open"
    invitation_mail = in_tenant(tenant, lambda: mails("satisfaction.")[0])
    link = re.search(r"https?://[^\s]+/s/[A-Za-z0-9_-]+/", invitation_mail.text).group(0)
    path = "/s/" + link.rsplit("/s/", 1)[1]
    assert path.startswith(reverse("survey_link:answer", kwargs={"token": "x"})[:3])

    # Bea answers from the link (no sign-in) as a detractor.
    answer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    answer.goto(f"{base}{path}")
    three = answer.get_by_role("group", name=re.compile("recommend")).get_by_label("3", exact=True)
    answer.locator(f"label[for={three.get_attribute('id')}]").click()  # the button-like label
    assert three.is_checked()
    answer.get_by_label("Why?").fill("The planning tool was down twice.")
    answer.get_by_role("button", name=re.compile("Send")).click()
    answer.wait_for_load_state()
    _shot(answer, "satisfaction-flow-answered")
    response = in_tenant(tenant, lambda: Response.objects.get())
    assert response.follow_up_id is not None

    # The follow-up is the RM's action item.
    item = in_tenant(tenant, lambda: ActionItem.objects.get(pk=response.follow_up_id))
    assert (item.source, item.owner_member_id) == ("survey", rm.pk)
    staff.goto(f"{base}/t/acme/action-items/")
    assert staff.get_by_text(item.title).first.is_visible()

    # The close, then the RM publishes the summary.
    run_due(tenant, now=campaign.closes_at + timedelta(minutes=1))
    assert in_tenant(tenant, lambda: Campaign.objects.get().status) == "closed"
    publish = reverse(
        "satisfaction:campaign_publish", kwargs={"tenant_slug": "acme", "pk": campaign.pk}
    )
    staff.goto(base + publish)
    staff.get_by_label(re.compile("you said, we did", re.I)).fill(
        "You said the planning tool failed; we moved it to a new platform."
    )
    staff.get_by_label("Publish the results to the customers and email the respondents").check()
    staff.get_by_role("button", name="Publish", exact=True).click()
    staff.wait_for_load_state()
    assert in_tenant(tenant, lambda: Campaign.objects.get().is_published)

    # Bea sees the results in the portal.
    portal = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(portal, base, "bea@finance.example", PASSWORD)
    portal.goto(base + reverse("satisfaction:portal_results", kwargs={"tenant_slug": "acme"}))
    assert portal.get_by_text("we moved it to a new platform").is_visible()
    _shot(portal, "satisfaction-flow-portal-results")
