"""The service catalogue: the office's IT services, and the services each customer consumes."""

import importlib

import pytest
from django.core.exceptions import ValidationError

from brm.audit.models import AuditEvent
from brm.tenancy.models import Role
from customers import imports, selectors, services
from customers.models import CustomerService, Service
from tests.factories import CustomerFactory, CustomerServiceFactory, ServiceFactory
from tests.kit import (
    assert_audited,
    client_for,
    in_tenant,
    make_key,
    make_member,
    make_portal_member,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("customers.migrations.0005_carry_services_over")


# Rules -----------------------------------------------------------------------------------------


def test_adding_a_service_is_recorded_with_its_owner(tenant_a, admin_a, rm_a):
    with in_tenant(tenant_a):
        service = services.service_create(
            actor=admin_a.user, name="ERP", description="Finance platform", owner=rm_a
        )
    event = assert_audited(tenant_a, "service.created", obj=service, actor=admin_a.user)
    assert event.changes["name"] == ["", "ERP"]


def test_two_services_of_one_office_cannot_share_a_name(tenant_a, tenant_b, admin_a):
    ServiceFactory(tenant=tenant_b, name="ERP")  # another office's is no obstacle
    with in_tenant(tenant_a):
        services.service_create(actor=admin_a.user, name="ERP")
        with pytest.raises(ValidationError, match="exists already"):
            services.service_create(actor=admin_a.user, name="ERP")


def test_a_service_owner_is_a_member_of_the_it_staff(tenant_a, admin_a, customer_record):
    portal = make_portal_member(customer_record.business_manager or _manager(customer_record))
    with in_tenant(tenant_a), pytest.raises(ValidationError) as exc:
        services.service_create(actor=admin_a.user, name="CRM", owner=portal)
    assert "owner" in exc.value.message_dict


def _manager(customer):
    from tests.factories import ContactFactory

    return ContactFactory(customer=customer, email="boss@business.example")


def test_a_consumed_service_cannot_be_deleted_only_retired(tenant_a, admin_a, customer_record):
    service = ServiceFactory(tenant=tenant_a, name="ERP")
    CustomerServiceFactory(customer=customer_record, service=service)
    with in_tenant(tenant_a):
        with pytest.raises(ValidationError, match="Retire it instead"):
            services.service_delete(service=service, actor=admin_a.user)
        services.service_update(service=service, actor=admin_a.user, status="retired")
        assert Service.objects.get(pk=service.pk).status == "retired"


def test_a_service_nobody_consumes_is_deleted_and_the_deletion_recorded(tenant_a, admin_a):
    service = ServiceFactory(tenant=tenant_a, name="Fax")
    with in_tenant(tenant_a):
        services.service_delete(service=service, actor=admin_a.user)
        assert not Service.objects.filter(pk=service.pk).exists()
    assert_audited(tenant_a, "service.deleted", actor=admin_a.user)


def test_linking_services_to_a_customer_records_the_names_before_and_after(
    tenant_a, admin_a, customer_record
):
    erp, crm, mail = (ServiceFactory(tenant=tenant_a, name=n) for n in ("ERP", "CRM", "Mail"))
    with in_tenant(tenant_a):
        services.customer_update(customer=customer_record, actor=admin_a.user, services=[erp, crm])
        services.customer_update(customer=customer_record, actor=admin_a.user, services=[crm, mail])
        assert [s.name for s in selectors.customer_services(customer_record)] == ["CRM", "Mail"]
        updates = AuditEvent.objects.filter(action="customer.updated").order_by("pk")
        changes = [e.changes["services"] for e in updates]
    assert changes == [["", "CRM, ERP"], ["CRM, ERP", "CRM, Mail"]]


def test_the_same_set_of_services_again_changes_nothing(tenant_a, admin_a, customer_record):
    erp = ServiceFactory(tenant=tenant_a, name="ERP")
    with in_tenant(tenant_a):
        services.customer_update(customer=customer_record, actor=admin_a.user, services=[erp])
        services.customer_update(customer=customer_record, actor=admin_a.user, services=[erp])
    assert_audited(tenant_a, "customer.updated", obj=customer_record)


def test_the_catalogue_counts_the_customers_of_each_service(tenant_a, customer_record):
    erp, crm = (ServiceFactory(tenant=tenant_a, name=n) for n in ("ERP", "CRM"))
    other = CustomerFactory(
        tenant=tenant_a, relationship_manager=customer_record.relationship_manager
    )
    for customer in (customer_record, other):
        CustomerServiceFactory(customer=customer, service=erp)
    rows = in_tenant(tenant_a, lambda: list(selectors.service_list(ordering="-customers")))
    assert [(s.name, s.customer_count) for s in rows] == [("ERP", 2), ("CRM", 0)]


# The carry-over of the free text ---------------------------------------------------------------


def test_the_free_text_splits_into_service_names_and_sentences_for_the_notes():
    names, rest = migration.split_services(
        "ERP, planning and consolidation;\nWeb shop.\n"
        "Everything the finance team uses at month-end, as agreed with the controller in 2024"
    )
    assert names == ["ERP", "planning and consolidation", "Web shop"]
    assert rest == [
        "Everything the finance team uses at month-end, as agreed with the controller in 2024"
    ]
    assert migration.split_services("Set up years ago by the contracts team, mostly by email") == (
        [],
        ["Set up years ago by the contracts team, mostly by email"],
    )
    assert migration.split_services("") == ([], [])


# Pages -----------------------------------------------------------------------------------------


def test_the_catalogue_page_lists_services_and_says_when_it_is_empty(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    page = client.get(f"/t/{tenant_a.slug}/services/")
    assert page.status_code == 200 and "The catalogue is empty." in page.content.decode()
    ServiceFactory(tenant=tenant_a, name="Service desk")
    page = client.get(f"/t/{tenant_a.slug}/services/?q=desk")
    assert "Service desk" in page.content.decode()
    page = client.get(f"/t/{tenant_a.slug}/services/?q=nothing-like-it")
    assert "No service matches these filters." in page.content.decode()


def test_a_writer_adds_a_service_and_a_bad_owner_keeps_what_was_typed(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    url = f"/t/{tenant_a.slug}/services/new/"
    response = client.post(url, {"name": "", "description": "Kept", "status": "live"})
    assert response.status_code == 200 and "Kept" in response.content.decode()
    response = client.post(url, {"name": "ERP", "description": "Kept", "status": "live"})
    assert response.status_code == 302
    assert in_tenant(tenant_a, lambda: Service.objects.get().name) == "ERP"


def test_the_service_page_lists_the_customers_that_consume_it(
    client, tenant_a, admin_a, customer_record
):
    service = ServiceFactory(tenant=tenant_a, name="ERP")
    CustomerServiceFactory(customer=customer_record, service=service)
    client.force_login(admin_a.user)
    page = client.get(f"/t/{tenant_a.slug}/services/{service.pk}/").content.decode()
    assert customer_record.name in page


def test_the_customer_form_links_services_and_the_customer_page_shows_them(
    client, tenant_a, admin_a, customer_record
):
    erp = ServiceFactory(tenant=tenant_a, name="ERP")
    ServiceFactory(tenant=tenant_a, name="CRM")
    client.force_login(admin_a.user)
    edit = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/edit/"
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "services"}
    data["relationship_manager"] = customer_record.relationship_manager_id
    data["services"] = [erp.pk]
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(f"/t/{tenant_a.slug}/customers/{customer_record.pk}/").content.decode()
    assert "ERP" in page and "CRM" not in page


def test_deleting_a_consumed_service_from_its_page_is_refused_with_the_reason(
    client, tenant_a, admin_a, customer_record
):
    service = ServiceFactory(tenant=tenant_a, name="ERP")
    CustomerServiceFactory(customer=customer_record, service=service)
    client.force_login(admin_a.user)
    url = f"/t/{tenant_a.slug}/services/{service.pk}/delete/"
    page = client.get(url).content.decode()
    assert "Retire it instead" in page
    assert 'type="submit"' not in page.split('id="main"')[-1]  # nothing to confirm
    client.post(url)
    assert in_tenant(tenant_a, lambda: Service.objects.filter(pk=service.pk).exists())


# API -------------------------------------------------------------------------------------------


def test_the_api_links_a_service_once_and_refuses_a_second_link(tenant_a, customer_record):
    service = ServiceFactory(tenant=tenant_a, name="ERP")
    api = client_for(make_key(tenant_a, "write")[1])
    body = {"customer": customer_record.pk, "service": service.pk}
    assert api.post("/api/v1/customer-services/", body, format="json").status_code == 201
    again = api.post("/api/v1/customer-services/", body, format="json")
    assert again.status_code == 400 and "service" in again.json()["error"]["fields"]
    listed = api.get(f"/api/v1/services/{service.pk}/").json()
    assert listed["customer_count"] == 1
    assert api.get("/api/v1/services/").json()["results"][0]["customer_count"] == 1
    refused = api.delete(f"/api/v1/services/{service.pk}/")
    assert refused.status_code == 400
    link = in_tenant(tenant_a, lambda: CustomerService.objects.get())
    assert api.delete(f"/api/v1/customer-services/{link.pk}/").status_code == 204
    assert api.delete(f"/api/v1/services/{service.pk}/").status_code == 204


def test_a_read_key_cannot_change_the_catalogue(tenant_a):
    api = client_for(make_key(tenant_a, "read")[1])
    assert api.post("/api/v1/services/", {"name": "ERP"}, format="json").status_code == 403


# CSV -------------------------------------------------------------------------------------------


def _csv(rm_email, services_cell):
    return (
        "record,customer,status,relationship_manager,services\n"
        f'customer,Finance,active,{rm_email},"{services_cell}"\n'
    )


def test_the_csv_links_catalogue_services_by_name_and_exports_them(tenant_a, admin_a, rm_a):
    ServiceFactory(tenant=tenant_a, name="ERP")
    ServiceFactory(tenant=tenant_a, name="CRM")
    with in_tenant(tenant_a):
        result = imports.customers_import(
            text=_csv(rm_a.user.email, "erp; CRM"), membership=admin_a, commit=True
        )
    assert result.errors == [] and result.saved
    exported = "".join(imports.customers_csv_export(tenant_a))
    assert '"CRM; ERP"' in exported or ",CRM; ERP" in exported
    with in_tenant(tenant_a):
        again = imports.customers_import(
            text=_csv(rm_a.user.email, "ERP"), membership=admin_a, commit=True
        )
    assert [r.changes for r in again.rows] == [["services"]]


def test_an_unknown_service_in_the_csv_is_a_row_error_and_nothing_is_saved(tenant_a, admin_a, rm_a):
    ServiceFactory(tenant=tenant_a, name="ERP")
    with in_tenant(tenant_a):
        result = imports.customers_import(
            text=_csv(rm_a.user.email, "ERP; Telepathy"), membership=admin_a, commit=True
        )
    assert not result.saved
    assert any("Telepathy" in e.message for e in result.errors)


def test_an_analyst_reads_the_catalogue_but_cannot_add_to_it(client, tenant_a):
    analyst = make_member(tenant_a, Role.ANALYST, email="ana@a.example", password="x-long-password")
    client.force_login(analyst.user)
    assert client.get(f"/t/{tenant_a.slug}/services/").status_code == 200
    assert client.get(f"/t/{tenant_a.slug}/services/new/").status_code == 403
