"""A CSV with wrong rows gets a preview with row-level errors, and nothing is ever saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brm.audit.models import AuditEvent
from brm.tenancy.context import tenant_context
from customers import imports
from customers.models import Contact, Customer, Purchaser

pytestmark = pytest.mark.django_db

HEADER = "record,customer,purchaser,name,status,relationship_manager,email,business_manager\n"


def _bad_file(rm_email):
    return (
        HEADER
        + f"customer,Finance,,,active,{rm_email},,\n"  # line 2: fine on its own
        + "customer,HR,,,sleeping,nobody@example.test,,\n"  # 3: status and RM
        + "purchaser,Marketing,Brand,,,,,\n"  # 4: no such customer
        + "contact,Finance,,Ann,,,not-an-email,\n"  # 5: email
        + f"customer,Finance,,,active,{rm_email},,\n"  # 6: duplicate of line 2
        + f"customer,Legal,,,,{rm_email},,ghost@legal.example\n"  # 7: unknown contact
        + "widget,Finance,,,,,,\n"  # 8: unknown kind
    )


def _upload(client, tenant, text):
    upload = SimpleUploadedFile("customers.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("customers:import_upload", args=[tenant.slug]), {"file": upload})


def _nothing_saved(tenant):
    with tenant_context(tenant):
        assert not Customer.objects.exists()
        assert not Purchaser.objects.exists()
        assert not Contact.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="customer").exists()


def test_preview_lists_each_error_with_its_line_and_column(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    assert _upload(client, tenant_a, _bad_file(rm_a.user.email)).status_code == 302

    response = client.get(reverse("customers:import_preview", args=[tenant_a.slug]))

    errors = [(e.line, e.column) for e in response.context["result"].errors]
    assert errors == [
        (3, "status"),
        (3, "relationship_manager"),
        (4, "customer"),
        (5, "email"),
        (6, "customer"),
        (7, "business_manager"),
        (8, "record"),
    ]
    page = response.content.decode()
    assert "7 errors: nothing will be saved." in page
    assert "No active member of this office has the email nobody@example.test." in page
    assert "No customer named “Marketing” in the file or in this office." in page
    assert "The same customer as on line 2." in page
    assert "Confirm and save" not in page
    _nothing_saved(tenant_a)


def test_confirming_a_file_with_errors_saves_nothing(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    _upload(client, tenant_a, _bad_file(rm_a.user.email))
    digest = client.session[f"customers_import:{tenant_a.pk}"]["digest"]

    response = client.post(
        reverse("customers:import_preview", args=[tenant_a.slug]), {"digest": digest}
    )

    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    _nothing_saved(tenant_a)


def test_a_row_that_fails_in_the_services_rolls_back_the_rows_before_it(tenant_a, admin_a, rm_a):
    """Line 2 is saved first inside the import; line 3 fails in the service; neither is kept."""
    text = (
        "record,customer,relationship_manager\n"
        f"customer,Finance,{rm_a.user.email}\n"
        f"customer,HR,{admin_a.user.email}\n"
        f"customer,{'x' * 300},{rm_a.user.email}\n"
    )
    with tenant_context(tenant_a):
        result = imports.customers_import(text=text, membership=admin_a, commit=True)
    assert not result.saved
    assert [(e.line, e.column) for e in result.errors] == [(4, "customer")]
    _nothing_saved(tenant_a)


def test_header_problems_are_reported_on_line_one():
    rows, errors = imports.parse("customer,colour\nFinance,blue\n")
    assert rows == []
    assert {(e.line, e.column) for e in errors} == {(1, "colour"), (1, "record")}


def test_a_file_that_is_not_utf8_is_refused_with_advice(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    upload = SimpleUploadedFile("c.csv", "record,customer\ncustomer,Café\n".encode("latin-1"))
    response = client.post(
        reverse("customers:import_upload", args=[tenant_a.slug]), {"file": upload}
    )
    assert response.status_code == 200
    assert "CSV UTF-8" in response.content.decode()
    assert f"customers_import:{tenant_a.pk}" not in client.session


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows, errors = imports.parse("record,customer\n" + "customer,X\n" * 3)
    assert len(rows) == 2
    assert [(e.line, e.message) for e in errors] == [
        (4, "The file has more than 2 rows: split it.")
    ]
