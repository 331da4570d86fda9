"""The staff verification page: upload a PDF and learn whether it is an unaltered sealed agreement
of this office and which version, or why not (altered, another office's, not sealed, not a PDF)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements import pdf
from agreements.models import AgreementVersion
from brm.pdf.render import render_pdf
from brm.pdf.seal import seal_pdf
from brm.tenancy.models import Role
from tests.agreements.conftest import sealed_agreement_of
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


def _url(tenant):
    return reverse("agreement_pdf:verify", kwargs={"tenant_slug": tenant.slug})


def _staff(tenant, role=Role.ANALYST) -> Client:
    client = Client()
    client.force_login(make_member(tenant, role, email=f"verifier-{tenant.slug}@example.test").user)
    return client


def _upload(client, tenant, data: bytes, name="agreement.pdf", content_type="application/pdf"):
    return client.post(
        _url(tenant), {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def _stored(tenant, version) -> bytes:
    return in_tenant(tenant, lambda: AgreementVersion.objects.get(pk=version.pk).sealed_pdf.read())


def test_the_page_explains_what_is_checked(tenant_a):
    response = _staff(tenant_a).get(_url(tenant_a))
    assert response.status_code == 200
    assert "What is checked" in response.content.decode()


def test_the_stored_sealed_pdf_is_verified_with_its_agreement_and_version(tenant_a, history):
    response = _upload(_staff(tenant_a), tenant_a, _stored(tenant_a, history.in_force))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Verified." in page
    assert "An unaltered agreement of this office, sealed when version 1 came into force." in page
    assert "Partnership Agreement with Finance" in page
    assert history.in_force.content_sha256 in page
    assert "Identical, byte for byte" in page
    version_link = reverse(
        "agreement_pdf:version_pdf",
        kwargs={"tenant_slug": tenant_a.slug, "pk": history.in_force.pk},
    )
    assert f'href="{version_link}"' in page


def test_a_changed_byte_fails_the_check(tenant_a, history):
    data = bytearray(_stored(tenant_a, history.in_force))
    data[data.index(b"stream") + 200] ^= 0x01
    page = _upload(_staff(tenant_a), tenant_a, bytes(data)).content.decode()
    assert "Not verified" in page and "altered" in page
    assert "Verified." not in page


def test_another_offices_sealed_agreement_is_not_of_this_office(tenant_a, tenant_b, history):
    """Office B's agreement carries the same installation seal, valid: its office is not A."""
    foreign = sealed_agreement_of(tenant_b)
    page = _upload(_staff(tenant_a), tenant_a, foreign).content.decode()
    assert "Not verified" in page
    assert "It is a sealed agreement, but not one of this office." in page
    # In its own office the same file verifies.
    assert "Verified." in _upload(_staff(tenant_b), tenant_b, foreign).content.decode()


def test_an_unsealed_agreement_pdf_is_not_a_sealed_document(tenant_a, history):
    unsealed = in_tenant(tenant_a, lambda: pdf.version_pdf_render(history.in_signature))
    page = _upload(_staff(tenant_a), tenant_a, unsealed).content.decode()
    assert "Not verified" in page and "carries no seal" in page


def test_a_sealed_document_that_is_no_agreement_is_refused(tenant_a, history):
    other = seal_pdf(
        render_pdf("pdf/sample.html", {"title": "A review pack", "sections": [], "rows": []}),
        reason="Review pack",
        metadata={"kind": "review_pack", "office_id": tenant_a.pk},
    )
    page = _upload(_staff(tenant_a), tenant_a, other).content.decode()
    assert "it is not a Partnership Agreement" in page


def test_a_file_that_is_not_a_pdf_is_refused_with_a_message(tenant_a, seal_keys):
    page = _upload(_staff(tenant_a), tenant_a, b"hello, world").content.decode()
    assert "This file is not a PDF document, whatever its name says." in page


def test_a_file_sent_as_another_content_type_is_refused(tenant_a, seal_keys):
    page = _upload(
        _staff(tenant_a), tenant_a, b"%PDF-1.7", name="a.txt", content_type="text/plain"
    ).content.decode()
    assert "This is not a PDF file (it was sent as text/plain)" in page


def test_a_file_over_ten_megabytes_is_refused_without_being_read(tenant_a, seal_keys):
    big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    response = _upload(_staff(tenant_a), tenant_a, big)
    assert response.status_code == 200
    assert "The file is larger than 10 MB" in response.content.decode()


def test_posting_no_file_asks_for_one(tenant_a, seal_keys):
    response = _staff(tenant_a).post(_url(tenant_a), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_garbage_after_a_pdf_header_gets_an_answer_not_an_error(tenant_a, seal_keys):
    page = _upload(_staff(tenant_a), tenant_a, b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert page.status_code == 200
    assert "cannot be read as a PDF document" in page.content.decode()


def test_portal_users_cannot_open_the_verification_page(tenant_a, customer_a):
    client = Client()
    client.force_login(customer_a.user)
    assert client.get(_url(tenant_a)).status_code == 403


def test_the_page_reads_nothing_of_its_own(tenant_a):
    from tests.kit import assert_page_queries

    assert_page_queries(_staff(tenant_a), _url(tenant_a), own=0)
