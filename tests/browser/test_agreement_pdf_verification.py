"""A relationship manager checks copies of an agreement on the verification page: the sealed PDF
the office stored is verified with its version, a copy with one changed byte is not."""

import pytest

from brm.pdf.keys import SealFiles, generate_seal_files
from brm.tenancy import services
from tests.agreements.conftest import sealed_agreement_of
from tests.browser.conftest import sign_in
from tests.kit import PASSWORD
from tests.pdf.conftest import use_seal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rm_verifies_the_sealed_pdf_and_sees_a_changed_copy_refused(
    live_server, page, screenshot, settings, tmp_path
):
    files = SealFiles.under(tmp_path / "seal")
    generate_seal_files(files)
    use_seal(settings, files)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    sealed = sealed_agreement_of(tenant)
    genuine = tmp_path / "agreement.pdf"
    genuine.write_bytes(sealed)
    changed = bytearray(sealed)
    changed[changed.index(b"stream") + 200] ^= 0x01
    altered = tmp_path / "agreement-altered.pdf"
    altered.write_bytes(bytes(changed))

    sign_in(page, live_server.url, "rm-seal@acme.example", PASSWORD)
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Verify a PDF").click()
    assert page.get_by_role("heading", name="What is checked").is_visible()

    page.get_by_label("Agreement PDF").set_input_files(str(genuine))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    result = page.get_by_role("region", name="Result")
    assert result.get_by_text("Verified.").is_visible()
    assert result.get_by_role("link", name="Partnership Agreement with Finance").is_visible()
    version_link = result.get_by_role("link", name="Version 1")
    download = page.request.get(live_server.url + version_link.get_attribute("href"))
    assert download.ok and download.body() == sealed  # served exactly as stored
    screenshot("agreement-pdf-verified")

    page.get_by_label("Agreement PDF").set_input_files(str(altered))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").get_by_text("has been altered").is_visible()
    screenshot("agreement-pdf-altered")
