"""Attachments: at most 10 MB, of an allowed type recognised by its content, stored under a name
nobody can guess, and readable only by who sees the complaint (staff only for an internal
note's file)."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.models import MAX_ATTACHMENT_BYTES
from complaints.selectors import attachment_readable_by
from tests.complaints.conftest import receive

pytestmark = pytest.mark.usefixtures("as_tenant_a")

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_under_a_name_nobody_can_guess(world, media):
    complaint = receive(world)
    attachment = services.attachment_add(
        complaint=complaint, actor=world.rm, upload=_upload("invoice March.pdf", PDF)
    )
    assert attachment.original_name == "invoice March.pdf"
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert "invoice" not in attachment.file.name
    assert attachment.file.name.startswith(f"complaints/{complaint.tenant_id}/")
    assert len(attachment.file.name.rsplit("/", 1)[1]) >= 32
    assert attachment.file.read() == PDF


def test_an_office_document_and_text_are_allowed(world):
    complaint = receive(world)
    for name, content in (
        ("report.docx", _docx()),
        ("log.txt", "Grüße\n".encode()),
        ("a.png", PNG),
    ):
        services.attachment_add(complaint=complaint, actor=world.rm, upload=_upload(name, content))


def test_a_file_over_10_mb_is_refused(world):
    complaint = receive(world)
    big = PDF + b"0" * (MAX_ATTACHMENT_BYTES - len(PDF) + 1)
    with pytest.raises(ValidationError, match="10 MB"):
        services.attachment_add(complaint=complaint, actor=world.rm, upload=_upload("a.pdf", big))


def test_a_file_of_exactly_10_mb_is_taken(world):
    complaint = receive(world)
    exact = PDF + b"0" * (MAX_ATTACHMENT_BYTES - len(PDF))
    services.attachment_add(complaint=complaint, actor=world.rm, upload=_upload("a.pdf", exact))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tool.exe", b"MZ\x90\x00"),
        ("page.html", b"<html></html>"),
        ("script.svg", b"<svg onload='x'/>"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("fake.png", PDF),
        ("fake.docx", b"PK\x03\x04 broken zip"),
        ("binary.txt", b"\x00\x01\x02"),
        ("noextension", PDF),
    ],
)
def test_a_file_that_is_not_an_allowed_type_by_its_content_is_refused(world, name, content):
    complaint = receive(world)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            complaint=complaint,
            actor=world.rm,
            upload=_upload(name, content, content_type="application/pdf"),
        )
    assert "file" in caught.value.message_dict


def test_a_file_of_an_internal_note_is_for_staff_only(world):
    complaint = receive(world)
    note = services.complaint_message_add(
        complaint=complaint, actor=world.rm, body="See the log", internal=True
    )
    attachment = services.attachment_add(
        complaint=complaint, actor=world.rm, upload=_upload("a.pdf", PDF), message=note
    )
    assert attachment.internal
    assert attachment_readable_by(attachment, world.it_manager)
    assert attachment_readable_by(attachment, world.analyst)
    assert not attachment_readable_by(attachment, world.business_manager)


def test_the_raisers_file_is_readable_by_who_sees_the_complaint(world):
    complaint = receive(world, raiser_contact=world.paul)
    attachment = services.attachment_add(
        complaint=complaint, actor=world.purchaser, upload=_upload("a.pdf", PDF)
    )
    assert attachment.from_raiser and not attachment.internal
    assert attachment_readable_by(attachment, world.purchaser)
    assert attachment_readable_by(attachment, world.business_manager)
    assert attachment_readable_by(attachment, world.rm)
    assert not attachment_readable_by(attachment, world.other_purchaser)


def test_the_rm_a_complaint_is_about_cannot_read_its_files(world):
    complaint = receive(world, about_rm=True)
    attachment = services.attachment_add(
        complaint=complaint, actor=world.it_manager, upload=_upload("a.pdf", PDF)
    )
    assert not attachment_readable_by(attachment, world.rm)
    assert attachment_readable_by(attachment, world.it_manager)


def test_the_raisers_side_cannot_attach_to_a_note_or_as_staff_only(world):
    complaint = receive(world)
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            complaint=complaint,
            actor=world.business_manager,
            upload=_upload("a.pdf", PDF),
            internal=True,
        )


def test_a_file_of_another_offices_complaint_is_not_readable(world, tenant_b, admin_b):
    complaint = receive(world)
    attachment = services.attachment_add(
        complaint=complaint, actor=world.rm, upload=_upload("a.pdf", PDF)
    )
    from tests.kit import in_tenant

    with in_tenant(tenant_b):
        assert not attachment_readable_by(attachment, admin_b)
