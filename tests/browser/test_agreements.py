"""The agreement journey: an RM drafts Finance's agreement, adds its rows and submits it with the
four signers; the RM and the IT manager sign on the staff side, the business manager and the line
manager in the portal, each confirming their password first; version 1 is in force. A revision
then shows its change in compare. axe-core runs on every page visited (the fixtures)."""

import pytest

from agreements import services as agreement_services
from agreements.models import AgreementVersion
from brm.tenancy import services
from brm.tenancy.models import Role
from tests.agreements.builders import customer_with_rm, draft_for, in_signature, signers_for
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.kit import PASSWORD, in_tenant, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shooter(page):
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign(page, base, email, *, start, screenshot, name):
    """Sign in, open the version awaiting this person, confirm the password, tick, sign."""
    sign_in(page, base, email, PASSWORD)
    page.goto(f"{base}{start}")
    page.get_by_role("link", name="Read and sign version 1").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Confirm it is you").click()
    page.wait_for_load_state()
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert "You confirmed who you are (Password)." in page.locator("main").inner_text()
    page.get_by_role("checkbox").check()
    screenshot(f"agreement-sign-{name}")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("You signed version 1").is_visible()


def test_an_agreement_is_drafted_signed_by_four_and_revised(live_server, browser, page, screenshot):
    base = live_server.url
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    finance = customer_with_rm(tenant, name="Finance")
    signers = signers_for(finance)
    emails = {role: in_tenant(tenant, lambda m=m: m.user.email) for role, m in signers.items()}
    make_member(tenant, Role.PURCHASER, email="paul@finance.example")

    # The relationship manager drafts the agreement.
    sign_in(page, base, emails["relationship_manager"], PASSWORD)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Agreements"
    ).click()
    page.wait_for_load_state()
    screenshot("agreement-list-empty")
    page.get_by_role("link", name="Start an agreement").click()
    page.get_by_label("Customer").select_option(label="Finance")
    page.get_by_label("Relationship philosophy").fill("Partners, not suppliers.")
    page.get_by_role("button", name="Start the draft").click()
    page.wait_for_load_state()
    assert page.get_by_text("Version 1 of the agreement is a draft").is_visible()

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Contact of the customer").select_option(index=1)
    page.get_by_label("Role in the agreement").fill("Business manager")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add a meeting").click()
    page.get_by_label("Meeting").select_option(label="Monthly service review")
    page.get_by_label("Purpose").fill("Service levels and incidents")
    page.get_by_label("Frequency").select_option(label="Monthly")
    page.get_by_label("Weekday", exact=True).select_option(label="Tuesday")
    page.get_by_label("Week of the month").select_option(label="Second")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("Objective").fill("Close the books in 3 days")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Title").fill("Map the close process")
    page.get_by_label("Due date").fill("2027-03-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Monthly, on the second Tuesday" in main and "Map the close process" in main
    screenshot("agreement-draft")

    # Submitted with the four signers, offered among the eligible only.
    page.get_by_role("link", name="Submit for signature").click()
    page.wait_for_load_state()
    assert "paul@finance.example" not in page.locator("main").inner_text()
    for role in ("it_manager", "business_manager", "business_line_manager"):
        page.locator(f'select[name="{role}"]').select_option(
            str(in_tenant(tenant, lambda r=role: signers[r].pk))
        )
    screenshot("agreement-submit")
    page.get_by_role("button", name="Submit for signature").click()
    page.wait_for_load_state()
    assert page.get_by_text("Version 1 is in signature").is_visible()
    version_url = page.url.split("#")[0].removeprefix(base)

    # The RM signs first, on the staff side.
    page.get_by_role("link", name="Read and sign version 1").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Confirm it is you").click()
    page.wait_for_load_state()
    screenshot("agreement-reauthenticate")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("You signed version 1").is_visible()

    # The IT manager, the business manager (portal) and the line manager (portal).
    for role, start, name in (
        ("it_manager", version_url, "it-manager"),
        ("business_manager", "/t/acme/portal/agreement/", "business-manager"),
        ("business_line_manager", "/t/acme/portal/agreement/", "line-manager"),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        other = context.new_page()
        _sign(other, base, emails[role], start=start, screenshot=_shooter(other), name=name)
        if role == "business_line_manager":
            other.goto(f"{base}/t/acme/portal/agreement/")
            assert "in force since" in other.locator("main").inner_text()
            _shooter(other)("agreement-portal-in-force")
        context.close()

    version = in_tenant(tenant, lambda: AgreementVersion.objects.get(number=1))
    assert version.status == AgreementVersion.Status.IN_FORCE

    # A revision: version 2 rewords the objective, and compare shows it.
    page.goto(f"{base}{version_url}")
    assert page.get_by_text("In force", exact=True).first.is_visible()
    page.get_by_role("link", name="Revise").click()
    page.get_by_role("button", name="Make the new draft").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Open version 2").click()
    page.wait_for_load_state()
    page.locator("#objectives").get_by_role("link", name="Edit").click()
    page.get_by_label("Objective").fill("Close the books in 2 days")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Compare versions").click()
    page.wait_for_load_state()
    compare = page.locator("main")
    assert compare.locator("del", has_text="Close the books in 3 days").is_visible()
    assert compare.locator("ins", has_text="Close the books in 2 days").is_visible()
    assert "1 change." in compare.inner_text()
    screenshot("agreement-compare")


def test_the_other_agreement_pages_pass_the_checks(live_server, browser, page, screenshot):
    """The pages the journey above does not open: the filled list, reordering, a confirmed
    delete, withdrawing, declining (staff and portal) and the portal's compare."""
    base = live_server.url
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    draft = draft_for(customer_with_rm(tenant, name="Sales"))
    round_ = in_signature(customer_with_rm(tenant, name="Finance"))
    with in_tenant(tenant):
        agreement_services.section_row_add(
            version=draft, section="objectives", actor=None, objective="Grow the pipeline"
        )
        row = agreement_services.section_rows(draft, "objectives").first()
        rm_email = round_.customer.relationship_manager.user.email
        it_email = round_.signers["it_manager"].user.email
        bm_email = round_.signers["business_manager"].user.email
        it_signature = round_.signature("it_manager").pk
        bm_signature = round_.signature("business_manager").pk

    sign_in(page, base, rm_email, PASSWORD)
    page.goto(f"{base}/t/acme/agreements/")
    assert page.get_by_role("link", name="Finance").is_visible()
    screenshot("agreement-list")
    page.goto(f"{base}/t/acme/agreements/versions/{draft.pk}/objectives/reorder/")
    page.get_by_role("button", name="Move down: Close in 3 days").click()
    page.wait_for_load_state()
    assert page.get_by_text("The row was moved.").is_visible()
    screenshot("agreement-reorder")
    page.goto(f"{base}/t/acme/agreements/rows/objectives/{row.pk}/delete/")
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state()
    page.goto(f"{base}/t/acme/agreements/versions/{round_.version.pk}/withdraw/")
    screenshot("agreement-withdraw")

    it_context = browser.new_context(viewport={"width": 1280, "height": 800})
    it_page = it_context.new_page()
    sign_in(it_page, base, it_email, PASSWORD)
    it_page.goto(f"{base}/t/acme/agreements/signatures/{it_signature}/decline/")
    assert it_page.get_by_role("button", name="Decline to sign").is_visible()
    it_context.close()

    bm_context = browser.new_context(viewport={"width": 1280, "height": 800})
    bm_page = bm_context.new_page()
    sign_in(bm_page, base, bm_email, PASSWORD)
    bm_page.goto(f"{base}/t/acme/portal/agreement/signatures/{bm_signature}/decline/")
    bm_page.get_by_label("Why do you decline?").fill("The budget is not agreed yet")
    bm_page.get_by_role("button", name="Decline to sign").click()
    bm_page.wait_for_load_state()
    assert bm_page.get_by_text("You declined version 1").is_visible()
    bm_page.goto(f"{base}/t/acme/portal/agreement/compare/")
    assert "Compare versions of the agreement" in bm_page.locator("main").inner_text()
    _shooter(bm_page)("agreement-portal-compare")
    bm_context.close()
    assert in_tenant(tenant, lambda: AgreementVersion.objects.get(pk=round_.version.pk).status) == (
        AgreementVersion.Status.WITHDRAWN
    )
