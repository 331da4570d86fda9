"""The agreement PDF: a title page, every section, the acceptance, a footer with the agreement,
version, status and content hash on every page, and for a version in force a certificate page."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from agreements import pdf, services
from agreements.models import AgreementVersion
from tests.agreements.conftest import pdf_texts, record

pytestmark = pytest.mark.usefixtures("as_tenant_a")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "agreement-pdf"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pngs(data: bytes, name: str) -> list[Path]:
    """The pages as PNG images (pdftoppm), kept in test-artifacts/ to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(data)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(source), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_a_draft_prints_every_section_and_says_draft_with_its_current_hash(draft, tmp_path):
    data = pdf.version_pdf_render(draft)
    assert data.startswith(b"%PDF-")
    pages = pdf_texts(data, tmp_path)
    text = _flat(" ".join(pages))
    for heading in (
        "Partnership Agreement",
        "1. Relationship philosophy",
        "2. Partner plan staff",
        "3. Engagement strategy",
        "4. Shared objectives and initiatives",
        "5. Action plan",
        "6. Acceptance",
    ):
        assert heading in text
    assert "Partners, not suppliers." in text
    assert "Bea Budget" in text and "Business manager" in text
    assert "Monthly on the 2nd Tuesday" in text
    assert "Close the books in 3 days" in text and "CFO office" in text
    assert "Map the close process" in text
    assert "Not submitted for signature yet" in text
    assert "Certificate of signature" not in text
    current = services.content_sha256(draft)
    for page in pages:
        footer = _flat(page)
        assert "DRAFT" in footer and "Version 1" in footer and "Draft" in footer
        assert current in footer.replace(" ", "")


def test_a_version_in_signature_lists_its_four_signers_as_pending(submitted, tmp_path):
    text = _flat(" ".join(pdf_texts(pdf.version_pdf_render(submitted), tmp_path)))
    assert text.count("Pending") == 4
    for role in ("Relationship manager", "IT manager", "Business line manager"):
        assert role in text
    assert "DRAFT" not in text
    assert "In signature" in text
    assert "Certificate of signature" not in text


def test_a_version_in_force_ends_with_a_certificate_of_each_signature(tenant_a, in_force, tmp_path):
    tenant_a.time_zone = "Europe/Amsterdam"
    tenant_a.save()
    version = AgreementVersion.objects.get(pk=in_force.pk)
    pages = pdf_texts(pdf.version_pdf_render(version), tmp_path)
    text = _flat(" ".join(pages))
    certificate = text[text.index("Certificate of signature") :]
    assert certificate.count("Authenticated by Password") == 4
    assert "Business manager of Finance, authority: decides" in certificate
    assert "Signed (UTC)" in certificate
    assert certificate.replace(" ", "").count("Signed(officetime,Europe/Amsterdam)") == 4
    signed = version.signatures.get(role="business_manager").signed_at
    assert signed.strftime("%Y-%m-%d %H:%M:%S") in certificate
    office_time = signed.astimezone(tenant_a.zone).strftime("%Y-%m-%d %H:%M:%S %Z")
    assert office_time in certificate and re.search(r"CES?T", office_time)
    # Once above the signatures, and once per signature.
    assert certificate.replace(" ", "").count(version.content_sha256) >= 5
    for page in pages:
        footer = _flat(page).replace(" ", "")
        assert "Version1·Inforce·ContentSHA-256" in footer
        assert in_force.content_sha256 in footer


def test_the_sla_appendix_prints_each_line_and_the_latest_results(world, in_force, tmp_path):
    from agreements.models import SlaLine

    line = SlaLine.objects.get(version=in_force)
    record(world, line, 1, "99.71")
    record(world, line, 2, "99.20")
    text = _flat(" ".join(pdf_texts(pdf.version_pdf_render(in_force), tmp_path)))
    appendix = text[text.index("Appendix: service levels") : text.index("Certificate of signature")]
    assert "ERP: Availability" in appendix and "erp-availability" in appendix
    assert "Up to 400 concurrent users" in appendix
    assert "Planned maintenance announced 5 days ahead" in appendix
    assert "99.71 met" in appendix and "99.2 NOT met" in appendix
    assert "100.0 % (1 of 1)" in appendix and "0.0 % (0 of 1)" in appendix
    assert "not part of the signed content" in appendix


def test_a_version_without_service_levels_says_so(world, tmp_path):
    version = services.agreement_draft_create(customer=world.customer, actor=world.rm.user)
    text = _flat(" ".join(pdf_texts(pdf.version_pdf_render(version), tmp_path)))
    assert "No service levels in this version." in text


def test_the_sla_appendix_block_sits_after_the_acceptance_and_before_the_certificate(
    in_force, tmp_path
):
    from django.template import engines

    from brm.pdf.render import BASE_URL, static_only_fetcher

    filled = engines["django"].from_string(
        '{% extends "pdf/agreement.html" %}'
        "{% block sla_appendix %}<h2>Appendix marker</h2>{% endblock %}"
    )
    from weasyprint import HTML

    html = filled.render(pdf.version_pdf_context(in_force))
    data = HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).write_pdf()
    text = _flat(" ".join(pdf_texts(data, tmp_path)))
    assert text.index("6. Acceptance") < text.index("Appendix marker")
    assert text.index("Appendix marker") < text.index("Certificate of signature")


def test_the_pages_turn_into_images_to_look_at(in_force):
    images = _pngs(pdf.version_pdf_render(in_force), "in-force")
    assert len(images) >= 3  # title, sections and acceptance, certificate
    assert all(os.path.getsize(p) > 2000 for p in images)
    revised = services.version_revise(version=in_force, actor=None)
    assert len(_pngs(pdf.version_pdf_render(revised), "draft")) >= 2


def test_the_file_name_says_which_version_and_whether_it_is_a_draft(draft, in_force):
    assert pdf.pdf_filename(in_force) == f"agreement-{in_force.agreement_id}-v1.pdf"
    revised = services.version_revise(version=in_force, actor=None)
    assert revised.status == AgreementVersion.Status.DRAFT
    assert pdf.pdf_filename(revised) == f"agreement-{in_force.agreement_id}-v2-draft.pdf"
