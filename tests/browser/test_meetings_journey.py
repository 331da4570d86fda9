"""The meetings journey, end to end in a browser: the relationship manager makes the cadences
from Finance's agreement in force, opens the monthly service review's next meeting, invites the
business manager, moves the meeting into the past (the test is about the pages, not about
waiting), marks it held with attendance, writes the minutes, records a business decision with
the business manager accountable and publishes the minutes after confirming. The business
manager reads them in the portal and approves the decision after confirming; the relationship
manager sees it approved on the decision log. The published-minutes email reached her with the
portal link. axe-core runs on every page visited (the fixtures)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import OutboxMessage
from brm.tenancy import services as tenancy_services
from meetings.models import Cadence, Decision, Meeting, Minutes
from tests.agreements.builders import customer_with_rm, in_force
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.kit import PASSWORD, in_tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = "Europe/Amsterdam"


def _office():
    tenant = tenancy_services.tenant_create(
        slug="acme", name="Acme IT", mfa_policy="optional", time_zone=ZONE
    )
    finance = customer_with_rm(tenant, name="Finance")
    agreement = in_force(finance)  # its engagement rows hold a monthly service review
    return tenant, agreement


def _shooter(page):
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _click(page, locator):
    locator.click()
    page.wait_for_load_state()


def test_a_review_is_made_from_the_agreement_held_minuted_and_its_decision_approved_in_the_portal(
    live_server, browser, page, screenshot
):
    base = live_server.url
    tenant, agreement = _office()
    finance = agreement.customer
    rm_email = in_tenant(tenant, lambda: finance.relationship_manager.user.email)
    bm = agreement.signers["business_manager"]
    bm_email, bm_name = in_tenant(tenant, lambda: (bm.user.email, bm.contact.name))

    # The relationship manager opens Finance's agreement and makes its cadences.
    sign_in(page, base, rm_email, PASSWORD)
    nav = page.get_by_role("navigation", name="Main navigation")
    _click(page, nav.get_by_role("link", name="Agreements"))
    _click(page, page.get_by_role("link", name="Finance"))
    screenshot("meetings-journey-01-agreement")
    _click(page, page.get_by_role("link", name="Make cadences from the agreement"))
    heading = page.get_by_role("heading", name="Make cadences from the agreement with Finance")
    assert heading.is_visible()
    assert in_tenant(tenant, lambda: Cadence.objects.filter(customer=finance).count()) == 0
    screenshot("meetings-journey-02-make-cadences-confirm")
    _click(page, page.get_by_role("button", name="Make the cadences"))
    assert page.get_by_text("Made: Monthly service review.").is_visible()
    screenshot("meetings-journey-03-cadences-made")

    # The cadence, and its next meeting.
    _click(page, page.locator("main").get_by_role("link", name="Monthly service review"))
    assert page.get_by_role("heading", name="Upcoming occurrences").is_visible()
    screenshot("meetings-journey-04-cadence")
    _click(
        page,
        page.get_by_role("region", name="Upcoming occurrences").get_by_role("link").first,
    )
    assert page.get_by_role("heading", name="Monthly service review").is_visible()
    meeting = in_tenant(
        tenant,
        lambda: Meeting.objects.filter(customer=finance).order_by("starts_at").first(),
    )
    assert meeting.starts_at > timezone.now()
    assert page.get_by_role("link", name="Mark as held").count() == 0  # not started yet
    screenshot("meetings-journey-05-meeting-planned")

    # The business manager is invited.
    _click(page, page.get_by_role("link", name="Invite people"))
    page.get_by_label(bm_name).check()
    screenshot("meetings-journey-06-invite")
    _click(page, page.get_by_role("button", name="Invite"))
    assert page.locator("#attendees").get_by_role("rowheader", name=bm_name).is_visible()

    # The meeting took place yesterday: moved there through its Change form.
    yesterday = timezone.localtime(timezone.now(), tenant.zone).date()
    yesterday -= timedelta(days=1)
    _click(page, page.get_by_role("link", name="Move or change"))
    page.get_by_label("Date").fill(yesterday.isoformat())
    screenshot("meetings-journey-07-move")
    _click(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("The meeting was saved; calendars get the change.").is_visible()

    # Held, with who attended.
    _click(page, page.get_by_role("link", name="Mark as held"))
    rm_name = in_tenant(tenant, lambda: finance.relationship_manager.user.get_full_name())
    page.get_by_role("group", name=rm_name).get_by_label("Attended").check()
    page.get_by_role("group", name=bm_name).get_by_label("Attended").check()
    screenshot("meetings-journey-08-held")
    _click(page, page.get_by_role("button", name="Mark as held"))
    assert page.get_by_text("The meeting was held: write its minutes.").is_visible()

    # The minutes, as a draft.
    _click(page, page.get_by_role("link", name="Write the minutes"))
    page.get_by_label("Overall minutes").fill("Service levels were met; the close moves to day 3.")
    screenshot("meetings-journey-09-minutes")
    _click(page, page.get_by_role("button", name="Save the draft"))
    assert page.get_by_text("The draft minutes were saved.").is_visible()

    # A business decision, the business manager accountable.
    _click(page, page.get_by_role("link", name="Record a decision"))
    page.get_by_label("Kind").select_option(label="Business decision")
    page.get_by_label("Title").fill("Fund the faster close")
    page.get_by_label("Description").fill("Two extra weeks of the integration team.")
    page.get_by_label("Accountable (business decision)").select_option(label=bm_name)
    screenshot("meetings-journey-10-decision")
    _click(page, page.get_by_role("button", name="Save"))
    assert page.locator("#decisions").get_by_role("link", name="Fund the faster close").is_visible()

    # Published, after the confirmation step.
    _click(page, page.locator("#minutes").get_by_role("link", name="Publish"))
    assert page.get_by_role("heading", name="Publish the minutes of").is_visible()
    minutes = in_tenant(tenant, lambda: Minutes.objects.get(meeting=meeting))
    assert minutes.status == Minutes.Status.DRAFT  # nothing until confirmed
    screenshot("meetings-journey-11-publish-confirm")
    _click(page, page.get_by_role("button", name="Publish"))
    assert page.get_by_text("The minutes are published; the attendees are emailed.").is_visible()
    screenshot("meetings-journey-12-published")
    history = page.get_by_role("region", name="Change history")
    assert history.get_by_text("Meeting attendees added").is_visible()  # in words, not a code

    # The published-minutes email reached the business manager with the portal link.
    emails = in_tenant(
        tenant,
        lambda: [
            m
            for m in OutboxMessage.objects.filter(subject__icontains="minutes")
            if bm_email in m.to
        ],
    )
    assert len(emails) == 1
    assert f"/portal/meetings/{meeting.pk}/" in emails[0].text
    assert "Service levels were met" in emails[0].text

    # The business manager reads the minutes in the portal and approves the decision.
    portal = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    portal_shot = _shooter(portal)
    sign_in(portal, base, bm_email, PASSWORD)
    _click(
        portal,
        portal.get_by_role("navigation", name="Portal navigation").get_by_role(
            "link", name="Meetings"
        ),
    )
    portal_shot("meetings-journey-13-portal-meetings")
    # Each occurrence's link also says its date, to a screen reader (the titles are the same).
    past = portal.get_by_role("region", name="Past and cancelled")
    held_on = f"{yesterday.day} {yesterday:%B %Y}"
    _click(portal, past.get_by_role("link", name=held_on))
    assert portal.get_by_text(f"({ZONE})").is_visible()
    minutes_region = portal.get_by_role("region", name="Minutes")
    assert minutes_region.get_by_text("Service levels were met").is_visible()
    portal_shot("meetings-journey-14-portal-meeting")
    _click(portal, portal.get_by_role("link", name="Fund the faster close", exact=True))
    assert portal.get_by_role("heading", name="Fund the faster close").is_visible()
    portal_shot("meetings-journey-15-portal-decision")
    _click(portal, portal.get_by_role("link", name="Approve Fund the faster close"))
    assert portal.get_by_role("heading", name="Approve a decision").is_visible()
    decision = in_tenant(tenant, lambda: Decision.objects.get(meeting=meeting))
    assert decision.status == Decision.Status.PROPOSED  # nothing until confirmed
    portal_shot("meetings-journey-16-portal-approve-confirm")
    _click(portal, portal.get_by_role("button", name="I approve “Fund the faster close”"))
    assert portal.get_by_text("You approved “Fund the faster close”.").is_visible()
    portal_shot("meetings-journey-17-portal-approved")

    # The relationship manager sees it approved on Finance's decision log.
    _click(page, page.get_by_role("link", name="Finance").first)
    _click(page, page.locator("#meetings").get_by_role("link", name="Decision log"))
    assert page.get_by_role("heading", name="Decision log of Finance").is_visible()
    row = page.get_by_role("row").filter(has_text="Fund the faster close")
    assert row.get_by_text("Approved").is_visible()
    screenshot("meetings-journey-18-decision-log")

    decision = in_tenant(tenant, lambda: Decision.objects.get(pk=decision.pk))
    assert decision.status == Decision.Status.APPROVED
    assert decision.decided_by_id == bm.user_id
