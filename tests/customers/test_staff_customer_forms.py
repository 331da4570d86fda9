"""Creating, editing and deleting a customer on the staff pages, through the services."""

import pytest

from brm.audit.models import AuditEvent
from brm.tenancy.models import Role
from customers.models import Customer
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import assert_audited, in_tenant, make_member, refreshed

pytestmark = pytest.mark.django_db


def url(tenant, path=""):
    return f"/t/{tenant.slug}/customers/{path}"


def valid(rm, **overrides):
    return {
        "name": "Logistics",
        "division": "Operations",
        "status": "prospect",
        "relationship_manager": rm.pk,
        "strategy": "Grow into two new countries.",
        **overrides,
    }


def count(tenant, **filters):
    return in_tenant(tenant, lambda: Customer.objects.filter(**filters).count())


def test_rm_creates_a_customer_and_lands_on_its_page(client, tenant_a, rm_a):
    client.force_login(rm_a.user)
    response = client.post(url(tenant_a, "new/"), valid(rm_a))
    customer = in_tenant(tenant_a, lambda: Customer.objects.get(name="Logistics"))
    assert customer.relationship_manager_id == rm_a.pk
    assert customer.strategy == "Grow into two new countries."
    assert_audited(tenant_a, "customer.created", obj=customer, actor=rm_a.user)
    assert response.status_code == 302
    assert response.url == url(tenant_a, f"{customer.pk}/")


def test_create_form_offers_the_signed_in_rm_and_no_contacts_yet(client, tenant_a, rm_a):
    client.force_login(rm_a.user)
    form = client.get(url(tenant_a, "new/")).context["form"]
    assert form.initial["relationship_manager"] == rm_a
    assert "business_manager" not in form.fields
    assert "counterpart" not in form.fields


def test_missing_name_and_rm_rerender_the_form_with_what_was_typed(client, tenant_a, rm_a):
    client.force_login(rm_a.user)
    response = client.post(
        url(tenant_a, "new/"), valid(rm_a, name="", relationship_manager="", division="Plants")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "relationship_manager"}
    assert 'value="Plants"' in response.content.decode()
    assert "Grow into two new countries." in response.content.decode()
    assert count(tenant_a) == 0


def test_a_portal_member_cannot_be_made_relationship_manager(client, tenant_a, rm_a, customer_a):
    client.force_login(rm_a.user)
    response = client.post(url(tenant_a, "new/"), valid(rm_a, relationship_manager=customer_a.pk))
    assert response.status_code == 200
    assert "relationship_manager" in response.context["form"].errors
    assert count(tenant_a) == 0


def test_duplicate_name_from_the_service_shows_on_the_form(client, tenant_a, rm_a):
    CustomerFactory(name="Logistics", relationship_manager=rm_a)
    client.force_login(rm_a.user)
    response = client.post(url(tenant_a, "new/"), valid(rm_a))
    assert response.status_code == 200
    assert "A customer with this name exists already." in response.content.decode()
    assert count(tenant_a, name="Logistics") == 1


def test_edit_saves_the_changes_and_records_them(client, tenant_a, rm_a, customer_record):
    client.force_login(rm_a.user)
    response = client.post(
        url(tenant_a, f"{customer_record.pk}/edit/"),
        valid(rm_a, name="Finance", division="Group finance", status="active"),
    )
    assert response.status_code == 302
    refreshed(customer_record)
    event = assert_audited(tenant_a, "customer.updated", obj=customer_record, actor=rm_a.user)
    assert customer_record.division == "Group finance"
    # The service compared with the stored values: the form did not change them beforehand.
    assert event.changes["division"] == ["Operations", "Group finance"]


def test_edit_with_errors_saves_nothing(client, tenant_a, rm_a, customer_record):
    client.force_login(rm_a.user)
    response = client.post(
        url(tenant_a, f"{customer_record.pk}/edit/"),
        valid(rm_a, name="", division="Group finance"),
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    refreshed(customer_record)
    assert (customer_record.name, customer_record.division) == ("Finance", "Operations")


def test_business_manager_and_counterpart_are_chosen_among_this_customers_contacts(
    client, tenant_a, rm_a, customer_record
):
    own = ContactFactory(customer=customer_record, name="Carl Counterpart")
    stranger = ContactFactory(customer=CustomerFactory(relationship_manager=rm_a), name="Stranger")
    client.force_login(rm_a.user)
    form = client.get(url(tenant_a, f"{customer_record.pk}/edit/")).context["form"]
    choices = in_tenant(
        tenant_a, lambda: {str(label) for _value, label in form.fields["counterpart"].choices}
    )  # the choices are read when listed
    assert "Carl Counterpart" in choices
    assert "Stranger" not in choices

    response = client.post(
        url(tenant_a, f"{customer_record.pk}/edit/"),
        valid(rm_a, name="Finance", counterpart=stranger.pk),
    )
    assert response.status_code == 200
    assert "counterpart" in response.context["form"].errors

    response = client.post(
        url(tenant_a, f"{customer_record.pk}/edit/"),
        valid(rm_a, name="Finance", counterpart=own.pk),
    )
    assert response.status_code == 302
    assert in_tenant(
        tenant_a, lambda: Customer.objects.get(pk=customer_record.pk).counterpart == own
    )


def test_delete_asks_first_then_deletes(client, tenant_a, rm_a, customer_record):
    client.force_login(rm_a.user)
    path = url(tenant_a, f"{customer_record.pk}/delete/")
    response = client.get(path)
    assert response.status_code == 200
    assert "will be deleted" in response.content.decode()
    assert count(tenant_a) == 1
    response = client.post(path)
    assert response.status_code == 302
    assert response.url == url(tenant_a)
    assert count(tenant_a) == 0
    assert in_tenant(
        tenant_a, lambda: AuditEvent.objects.filter(action="customer.deleted").exists()
    )


def test_it_manager_may_write_too(client, tenant_a, rm_a):
    it_manager = make_member(tenant_a, Role.IT_MANAGER)
    client.force_login(it_manager.user)
    assert client.post(url(tenant_a, "new/"), valid(rm_a)).status_code == 302
    assert count(tenant_a) == 1
