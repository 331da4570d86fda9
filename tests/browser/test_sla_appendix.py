"""A relationship manager measures an agreement's SLA appendix: enters a month, imports two
more from a CSV after its preview, and reads met / not met and the attainment (axe on each
page)."""

import pytest

from tests.agreements import conftest as agreements_fixtures
from tests.agreements.conftest import agreement_in_force, months_ago
from tests.browser.conftest import sign_in
from tests.kit import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

world = agreements_fixtures.world  # Finance and the four people who may sign its agreement


def test_rm_enters_and_imports_measurements_and_reads_the_attainment(
    live_server, page, screenshot, tmp_path, world
):
    line = agreement_in_force(world)
    sign_in(page, live_server.url, world.rm.user.email, PASSWORD)
    page.goto(f"{live_server.url}/t/tenant-a/agreements/{line.version.agreement_id}/sla/")
    assert page.get_by_role("heading", name="SLA appendix: Finance").is_visible()
    assert page.get_by_text("Missing").count() == 6

    last_month = months_ago(1)[0].isoformat()
    page.get_by_role("link", name=f"Enter erp-availability {last_month}").click()
    page.locator("#id_actual_value").fill("99.8")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("is saved").is_visible()
    assert page.get_by_text("Met", exact=True).count() == 1

    csv = tmp_path / "sla.csv"
    csv.write_text(
        "line,period_start,actual_value\n"
        f"erp-availability,{months_ago(2)[0].isoformat()},98\n"
        f"erp-availability,{months_ago(3)[0].isoformat()},99.9\n"
    )
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_load_state()
    assert page.get_by_text("New measurements: 2").is_visible()
    screenshot("sla-import-preview")
    page.get_by_role("button", name="3. Confirm and save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The import is saved.").is_visible()
    assert page.get_by_text("Not met", exact=True).count() == 1
    assert page.get_by_text("Met", exact=True).count() == 2
    screenshot("sla-appendix")
