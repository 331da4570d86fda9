"""A good CSV is previewed, then confirmed: everything is created through the services, audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brm.audit.models import AuditEvent
from brm.tenancy.context import tenant_context
from customers.models import Contact, Customer, Purchaser, RelationshipManagerAssignment
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


def _good_file(rm_email):
    # Semicolons, as spreadsheets in many locales write them, and references to rows below.
    return (
        "record;customer;purchaser;name;status;relationship_manager;business_manager;"
        "counterpart;manager;it_contact;email;phone;authority;strategy\n"
        f"customer;Finance;;;prospect;{rm_email};bea@finance.example;Carl Counter;;;;;;"
        '"Close the books; in three days"\n'
        f"purchaser;Finance;Payroll;;;;;;pat@finance.example;{rm_email};;;;\n"
        "contact;Finance;;Bea Budget;;;;;;;bea@finance.example;;decides;\n"
        "contact;Finance;;Carl Counter;;;;;;;;'+31 20 555 0101;;\n"
        "contact;Finance;Payroll;Pat Payroll;;;;;;;pat@finance.example;;;\n"
    )


def _upload_and_preview(client, tenant, text):
    upload = SimpleUploadedFile("customers.csv", text.encode("utf-8-sig"))
    client.post(reverse("customers:import_upload", args=[tenant.slug]), {"file": upload})
    return client.get(reverse("customers:import_preview", args=[tenant.slug]))


def test_preview_shows_what_will_be_created_and_saves_nothing_yet(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    response = _upload_and_preview(client, tenant_a, _good_file(rm_a.user.email))
    result = response.context["result"]
    assert result.errors == []
    assert [(r.line, r.kind, r.action) for r in result.rows] == [
        (2, "customer", "create"),
        (3, "purchaser", "create"),
        (4, "contact", "create"),
        (5, "contact", "create"),
        (6, "contact", "create"),
    ]
    assert "Confirm and save" in response.content.decode()
    assert in_tenant(tenant_a, lambda: not Customer.objects.exists())


def test_confirming_creates_everything_with_references_and_history(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    preview = _upload_and_preview(client, tenant_a, _good_file(rm_a.user.email))
    digest = preview.context["pending"]["digest"]

    response = client.post(
        reverse("customers:import_preview", args=[tenant_a.slug]), {"digest": digest}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "customers:customer_list", args=[tenant_a.slug]
    )
    assert "Created: 5, updated: 0, already up to date: 0." in response.content.decode()
    assert f"customers_import:{tenant_a.pk}" not in client.session
    with tenant_context(tenant_a):
        finance = Customer.objects.select_related("business_manager", "counterpart").get()
        payroll = Purchaser.objects.select_related("manager").get()
        pat = Contact.objects.get(email="pat@finance.example")
        carl = Contact.objects.get(name="Carl Counter")
        assert finance.status == Customer.Status.PROSPECT
        assert finance.relationship_manager_id == rm_a.pk
        assert finance.strategy == "Close the books; in three days"
        assert finance.business_manager.email == "bea@finance.example"
        assert finance.counterpart == carl
        assert carl.phone == "+31 20 555 0101"  # the formula guard is removed
        assert payroll.manager == pat and payroll.it_contact_id == rm_a.pk
        assert pat.purchaser == payroll
        assert Contact.objects.get(email="bea@finance.example").authority == "decides"
        assert RelationshipManagerAssignment.objects.filter(customer=finance).count() == 1
        created = AuditEvent.objects.filter(action__endswith=".created", actor=admin_a.user)
        assert sorted(created.values_list("action", flat=True)) == [
            "contact.created",
            "contact.created",
            "contact.created",
            "customer.created",
            "purchaser.created",
        ]


def test_a_second_import_updates_what_changed_and_leaves_the_rest(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    preview = _upload_and_preview(client, tenant_a, _good_file(rm_a.user.email))
    client.post(
        reverse("customers:import_preview", args=[tenant_a.slug]),
        {"digest": preview.context["pending"]["digest"]},
    )
    # Only the columns in the file are touched: status changes, the strategy stays.
    text = "record,customer,status\ncustomer,Finance,active\n"
    result = _upload_and_preview(client, tenant_a, text).context["result"]
    assert [(r.action, r.changes) for r in result.rows] == [("update", ["status"])]
    client.post(
        reverse("customers:import_preview", args=[tenant_a.slug]),
        {"digest": client.session[f"customers_import:{tenant_a.pk}"]["digest"]},
    )
    with tenant_context(tenant_a):
        finance = Customer.objects.get()
        event = AuditEvent.objects.filter(action="customer.updated").latest("pk")
    assert finance.status == Customer.Status.ACTIVE
    assert finance.strategy == "Close the books; in three days"
    assert event.changes == {"status": ["prospect", "active"]}
