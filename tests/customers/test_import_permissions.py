"""Importing writes: admins, relationship managers and IT managers may; analysts get 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from customers import imports
from customers.models import Customer
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db

PAGES = ["import_upload", "import_preview", "import_template"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STEERING])
def test_read_only_staff_cannot_import(client, tenant_a, rm_a, role):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    for name in PAGES:
        assert client.get(reverse(f"customers:{name}", args=[tenant_a.slug])).status_code == 403
    upload = SimpleUploadedFile(
        "c.csv", f"record,customer,relationship_manager\ncustomer,HR,{rm_a.user.email}\n".encode()
    )
    response = client.post(
        reverse("customers:import_upload", args=[tenant_a.slug]), {"file": upload}
    )
    assert response.status_code == 403
    assert in_tenant(tenant_a, lambda: not Customer.objects.exists())


def test_the_import_service_refuses_an_analyst(tenant_a, rm_a):
    analyst = make_member(tenant_a, Role.ANALYST)
    text = f"record,customer,relationship_manager\ncustomer,HR,{rm_a.user.email}\n"
    with tenant_context(tenant_a), pytest.raises(PermissionDenied):
        imports.customers_import(text=text, membership=analyst, commit=True)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER])
def test_writing_staff_can_open_the_import(client, tenant_a, role):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    response = client.get(reverse("customers:import_upload", args=[tenant_a.slug]))
    assert response.status_code == 200
    assert "relationship_manager" in response.content.decode()  # the columns are documented


def test_analysts_may_export(client, tenant_a):
    analyst = make_member(tenant_a, Role.ANALYST)
    client.force_login(analyst.user)
    assert client.get(reverse("customers:export", args=[tenant_a.slug])).status_code == 200


def test_portal_users_can_neither_import_nor_export(client, tenant_a, customer_a):
    client.force_login(customer_a.user)
    for name in ("import_upload", "export"):
        assert client.get(reverse(f"customers:{name}", args=[tenant_a.slug])).status_code == 403
