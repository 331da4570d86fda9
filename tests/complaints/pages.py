"""Helpers of the complaints pages' tests: URLs, a signed-in client, an uploaded file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(tenant, name: str, **kwargs) -> str:
    return reverse(f"complaints:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def signed_in(client, member):
    client.force_login(member.user)
    return client


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def body(response) -> str:
    return response.content.decode()
