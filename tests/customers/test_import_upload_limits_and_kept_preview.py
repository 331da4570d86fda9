"""An oversized CSV is refused as it streams in, never written to disk; the preview is computed
once, at the upload, and kept with the pending file."""

import pytest
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from brm.tenancy.context import tenant_context
from customers import imports
from customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def temp_files(monkeypatch):
    """The temporary upload files Django creates during the test."""
    made = []

    class Recorded(TemporaryUploadedFile):
        def __init__(self, *args, **kwargs):
            made.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", Recorded)
    return made


def _post(client, tenant, data: bytes, name="big.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("customers:import_upload", args=[tenant.slug]), {"file": upload})


def test_an_oversized_upload_is_refused_without_a_temporary_file(
    client, tenant_a, admin_a, temp_files
):
    client.force_login(admin_a.user)
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): Django would spool it to a temporary file.
    body = b"record,customer\n" + b"customer,X\n" * 300_000

    response = _post(client, tenant_a, body)

    assert response.status_code == 200
    assert "The file is larger than 1 MB" in response.content.decode()
    assert temp_files == []
    assert f"customers_import:{tenant_a.pk}" not in client.session


def test_a_file_just_over_the_cap_is_refused_with_the_message(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    body = b"record,customer\n" + b"customer,X\n" * (imports.MAX_BYTES // 11 + 10)
    assert imports.MAX_BYTES < len(body) < imports.MAX_BYTES + 1000
    response = _post(client, tenant_a, body)
    assert response.status_code == 200
    assert "The file is larger than 1 MB" in response.content.decode()
    assert f"customers_import:{tenant_a.pk}" not in client.session


def test_the_upload_still_checks_the_csrf_token(tenant_a, admin_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a.user)
    assert _post(client, tenant_a, b"record,customer\ncustomer,X\n").status_code == 403


def test_reloading_the_preview_does_not_run_the_import_again(
    client, tenant_a, admin_a, rm_a, monkeypatch
):
    runs = []
    real = imports.customers_import

    def counted(**kwargs):
        runs.append(kwargs["commit"])
        return real(**kwargs)

    monkeypatch.setattr(imports, "customers_import", counted)
    client.force_login(admin_a.user)
    text = f"record,customer,relationship_manager\ncustomer,HR,{rm_a.user.email}\n"
    _post(client, tenant_a, text.encode(), name="c.csv")
    preview = reverse("customers:import_preview", args=[tenant_a.slug])

    for _reload in range(3):
        page = client.get(preview).content.decode()
        assert "HR" in page and "Confirm and save" in page

    assert runs == [False]  # once, at the upload
    digest = client.session[f"customers_import:{tenant_a.pk}"]["digest"]
    client.post(preview, {"digest": digest})
    assert runs == [False, True]
    with tenant_context(tenant_a):
        assert Customer.objects.filter(name="HR").exists()
