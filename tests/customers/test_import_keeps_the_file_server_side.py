"""What is confirmed is the file that was previewed, kept on the server, never a re-posted copy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers import imports
from customers.models import Customer
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


def _upload(client, tenant, text):
    upload = SimpleUploadedFile("c.csv", text.encode())
    return client.post(reverse("customers:import_upload", args=[tenant.slug]), {"file": upload})


def test_a_confirmation_for_another_file_saves_nothing(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    _upload(
        client, tenant_a, f"record,customer,relationship_manager\ncustomer,HR,{rm_a.user.email}\n"
    )
    old_digest = client.session[f"customers_import:{tenant_a.pk}"]["digest"]
    # In another tab, a second file replaces the first before the first preview is confirmed.
    _upload(
        client, tenant_a, f"record,customer,relationship_manager\ncustomer,IT,{rm_a.user.email}\n"
    )

    response = client.post(
        reverse("customers:import_preview", args=[tenant_a.slug]),
        {"digest": old_digest, "text": "record,customer\ncustomer,Injected\n"},
        follow=True,
    )

    assert "Another file was uploaded since" in response.content.decode()
    assert in_tenant(tenant_a, lambda: not Customer.objects.exists())


def test_without_an_upload_the_preview_says_so_and_confirms_nothing(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    url = reverse("customers:import_preview", args=[tenant_a.slug])
    assert "nothing to preview" in client.get(url).content.decode()
    client.post(url, {"digest": "x", "text": "record,customer\ncustomer,Injected\n"})
    assert in_tenant(tenant_a, lambda: not Customer.objects.exists())


def test_a_file_over_the_size_cap_is_refused(client, tenant_a, admin_a, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    client.force_login(admin_a.user)
    response = _upload(client, tenant_a, "record,customer\n" + "customer,X\n" * 20)
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert f"customers_import:{tenant_a.pk}" not in client.session


def test_discarding_forgets_the_file(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    _upload(
        client, tenant_a, f"record,customer,relationship_manager\ncustomer,HR,{rm_a.user.email}\n"
    )
    client.post(reverse("customers:import_preview", args=[tenant_a.slug]), {"discard": "1"})
    assert f"customers_import:{tenant_a.pk}" not in client.session
