"""The export is the import's format: export, import elsewhere, export again gives the same file.

The export is streamed, so its body is generated after the tenant middleware has left the
tenant; these tests read it the way a client does, under PostgreSQL row-level security.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brm.tenancy.models import Role
from customers import imports
from tests.factories import ContactFactory, CustomerFactory, PurchaserFactory
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_a(tenant_a, rm_a, customer_record):
    finance = customer_record
    payroll = PurchaserFactory(customer=finance, name="Payroll", it_contact=rm_a, notes="n")
    pat = ContactFactory(
        customer=finance,
        purchaser=payroll,
        name="Pat Payroll",
        email="pat@finance.example",
        phone="+31 20 555 0101",
        influence="high",
        authority="recommends",
        interests='Fast "payroll", fewer clicks\nand a second line',
    )
    payroll.manager = pat
    in_tenant(tenant_a, payroll.save)
    nora = ContactFactory(customer=finance, name="Nora Noemail", email="")
    finance.counterpart = nora
    finance.strategy = "=SUM(A1) is not a formula here"
    in_tenant(tenant_a, finance.save)
    CustomerFactory(name="Sales", status="prospect", relationship_manager=rm_a)
    return tenant_a


def _export(client, tenant) -> bytes:
    response = client.get(reverse("customers:export", args=[tenant.slug]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


def _import(client, tenant, data: bytes):
    upload = SimpleUploadedFile("export.csv", data)
    client.post(reverse("customers:import_upload", args=[tenant.slug]), {"file": upload})
    preview = client.get(reverse("customers:import_preview", args=[tenant.slug]))
    result = preview.context["result"]
    if result.errors or not result.changed_rows:
        return result
    client.post(
        reverse("customers:import_preview", args=[tenant.slug]),
        {"digest": preview.context["pending"]["digest"]},
    )
    return result


def test_export_then_import_into_another_office_gives_the_same_export(
    client, office_a, admin_a, rm_a, tenant_b
):
    client.force_login(admin_a.user)
    exported = _export(client, office_a)
    text = exported.decode("utf-8-sig")
    assert "Pat Payroll" in text and "'=SUM(A1)" in text and "'+31 20 555 0101" in text

    make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email=rm_a.user.email)
    admin_b = make_member(tenant_b, Role.ADMIN, email="admin@b.example.test")
    client.force_login(admin_b.user)
    result = _import(client, tenant_b, exported)
    assert result.errors == []
    assert len(result.changed_rows) == 6

    assert _export(client, tenant_b) == exported


def test_importing_an_export_back_changes_nothing(client, office_a, admin_a):
    client.force_login(admin_a.user)
    result = _import(client, office_a, _export(client, office_a))
    assert result.errors == []
    assert [r.action for r in result.rows] == ["unchanged"] * 6


def test_export_holds_only_this_office_and_reads_it_after_the_middleware(
    client, office_a, admin_a, tenant_b
):
    rm_b = make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email="rm@b.example.test")
    CustomerFactory(name="Secret customer of B", relationship_manager=rm_b)
    client.force_login(admin_a.user)
    text = _export(client, office_a).decode("utf-8-sig")
    assert "Finance" in text and "Sales" in text
    assert "Secret customer of B" not in text


def test_export_streams_in_batches(client, office_a, admin_a, monkeypatch):
    monkeypatch.setattr(imports, "EXPORT_BATCH", 1)
    client.force_login(admin_a.user)
    response = client.get(reverse("customers:export", args=[office_a.slug]))
    chunks = list(response.streaming_content)
    # header, 2 customers, 1 purchaser, 3 contacts: one chunk each
    assert len(chunks) == 7
