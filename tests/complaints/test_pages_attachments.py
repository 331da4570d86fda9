"""Files on the pages: uploaded through the services' checks, and served only through a view
that asks `attachment_readable_by`, as a download, never from a public URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.models import ComplaintAttachment, ComplaintMessage
from tests.complaints.conftest import make_world, receive, working
from tests.complaints.pages import PDF, body, pdf, signed_in, url
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


def _working(tenant, world):
    with in_tenant(tenant):
        return working(world, receive(world))


def _file(tenant, complaint, actor, **values):
    with in_tenant(tenant):
        return services.attachment_add(complaint=complaint, actor=actor, upload=pdf(), **values)


def test_a_file_uploaded_on_the_page_downloads_as_an_attachment(client, tenant_a, world):
    complaint = _working(tenant_a, world)
    signed_in(client, world.rm)
    response = client.post(url(tenant_a, "attach", pk=complaint.pk), {"file": pdf("log.pdf")})
    assert response.status_code == 302
    attachment = in_tenant(tenant_a, lambda: ComplaintAttachment.objects.get())
    page = body(client.get(url(tenant_a, "complaint_detail", pk=complaint.pk)))
    download = url(tenant_a, "attachment_download", pk=attachment.pk)
    assert download in page
    assert attachment.file.url not in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="log.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_refused_file_re_renders_the_form_and_keeps_no_message(client, tenant_a, world):
    complaint = _working(tenant_a, world)
    signed_in(client, world.rm)
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url(tenant_a, "reply", pk=complaint.pk), {"body": "See", "file": fake})
    assert response.status_code == 200
    assert "is-invalid" in body(response) or "alert" in body(response)
    assert in_tenant(tenant_a, lambda: ComplaintMessage.objects.count()) == 0


def test_the_raiser_downloads_a_file_of_the_thread_but_never_a_staff_only_one(
    client, tenant_a, world
):
    complaint = _working(tenant_a, world)
    shared = _file(tenant_a, complaint, world.rm)
    internal = _file(tenant_a, complaint, world.rm, internal=True)
    signed_in(client, world.business_manager)
    assert client.get(url(tenant_a, "portal_attachment_download", pk=shared.pk)).status_code == 200
    assert (
        client.get(url(tenant_a, "portal_attachment_download", pk=internal.pk)).status_code == 404
    )


def test_another_customers_file_is_a_404_on_the_portal(client, tenant_a, world):
    other = CustomerFactory(tenant=tenant_a, name="Logistics", relationship_manager=world.rm)
    manager = ContactFactory(customer=other, name="Lou", email="lou@logistics.example")
    with in_tenant(tenant_a):
        complaint = services.complaint_receive(
            actor=world.rm,
            customer=other,
            subject="Trucks",
            description="Late",
            raiser_contact=manager,
        )
    theirs = _file(tenant_a, complaint, world.rm)
    signed_in(client, world.business_manager)
    assert client.get(url(tenant_a, "portal_attachment_download", pk=theirs.pk)).status_code == 404


def test_another_purchasers_file_is_a_404_on_the_portal(client, tenant_a, world):
    with in_tenant(tenant_a):
        complaint = receive(world, raiser_contact=world.anna)
    theirs = _file(tenant_a, complaint, world.rm)
    signed_in(client, world.purchaser)
    assert client.get(url(tenant_a, "portal_attachment_download", pk=theirs.pk)).status_code == 404


def test_another_offices_file_is_a_404(client, tenant_a, tenant_b, world):
    rm_b = make_member(tenant_b, "relationship_manager", email="rm-b@b.example")
    customer_b = CustomerFactory(tenant=tenant_b, name="B customer", relationship_manager=rm_b)
    contact_b = ContactFactory(customer=customer_b, name="Bo", email="bo@b.example")
    customer_b.business_manager = contact_b
    in_tenant(tenant_b, customer_b.save)
    world_b = make_world(tenant_b, rm_b, customer_b)
    complaint_b = _working(tenant_b, world_b)
    file_b = _file(tenant_b, complaint_b, rm_b)
    signed_in(client, world.admin)
    assert client.get(url(tenant_a, "attachment_download", pk=file_b.pk)).status_code == 404


def test_an_analyst_may_download_but_not_upload(client, tenant_a, world):
    complaint = _working(tenant_a, world)
    attachment = _file(tenant_a, complaint, world.rm, internal=True)
    signed_in(client, world.analyst)
    assert client.get(url(tenant_a, "attachment_download", pk=attachment.pk)).status_code == 200
    response = client.post(url(tenant_a, "attach", pk=complaint.pk), {"file": pdf()})
    assert response.status_code == 403
