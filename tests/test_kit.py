"""The shared test kit does what it says: factories enter their tenant, assertions can fail."""

import pytest

from brm.tenancy.context import TenantNotSet, tenant_context
from brm.tenancy.models import Role
from customers.models import Contact, Customer
from tests.factories import ContactFactory, CustomerFactory, PurchaserFactory
from tests.kit import (
    STAFF_SHELL_QUERIES,
    api_client,
    assert_audited,
    assert_page_queries,
    in_tenant,
    make_member,
    refreshed,
)

pytestmark = pytest.mark.django_db


def test_factory_given_a_tenant_builds_there_with_its_sub_factories(tenant_a, rm_a):
    contact = ContactFactory(tenant=tenant_a, customer__relationship_manager=rm_a)
    assert contact.tenant_id == tenant_a.pk
    assert contact.customer.tenant_id == tenant_a.pk
    assert in_tenant(tenant_a, lambda: Contact.objects.filter(pk=contact.pk).exists())


def test_factory_runs_in_the_tenant_of_a_related_record(tenant_a, tenant_b, rm_a):
    customer = CustomerFactory(tenant=tenant_a, relationship_manager=rm_a)
    unit = PurchaserFactory(customer=customer)
    assert unit.tenant_id == tenant_a.pk
    assert in_tenant(tenant_b, lambda: not Customer.objects.exists())


def test_factory_without_any_tenant_says_what_it_needs(db):
    with pytest.raises(TypeError, match="CustomerFactory needs a tenant: pass tenant="):
        CustomerFactory()


def test_factory_refuses_a_related_record_of_another_tenant(tenant_a, tenant_b, rm_a):
    """The foreign key alone would take it; a test building such a link would be wrong."""
    customer = CustomerFactory(tenant=tenant_a, relationship_manager=rm_a)
    with pytest.raises(ValueError, match="customer belong\\(s\\) to another tenant"):
        PurchaserFactory(tenant=tenant_b, customer=customer)
    with tenant_context(tenant_b), pytest.raises(ValueError, match="another tenant"):
        PurchaserFactory(customer=customer)


def test_factory_leaves_no_tenant_behind(tenant_a, rm_a):
    CustomerFactory(tenant=tenant_a, relationship_manager=rm_a)
    with pytest.raises(TenantNotSet):
        Customer.objects.count()


def test_refreshed_reads_the_record_again_in_its_own_tenant(tenant_a, rm_a):
    customer = CustomerFactory(tenant=tenant_a, relationship_manager=rm_a, name="Before")
    in_tenant(tenant_a, lambda: Customer.objects.filter(pk=customer.pk).update(name="After"))
    assert refreshed(customer) is customer and customer.name == "After"
    with pytest.raises(TenantNotSet):
        Customer.objects.count()


def test_api_client_speaks_for_its_tenant_and_scope(tenant_a):
    assert api_client(tenant_a, "read").get("/api/v1/tenant/").json()["slug"] == tenant_a.slug
    response = api_client(tenant_a, "read").post("/api/v1/customers/", {}, format="json")
    assert response.status_code == 403


def test_page_query_assertion_names_the_shell_and_lists_the_sql(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/members/"
    total = assert_page_queries(client, path, own=2)  # count and rows
    assert total == STAFF_SHELL_QUERIES + 2
    with pytest.raises(AssertionError, match=r"expected 14 \(11 of the shell \+ 3") as exc:
        assert_page_queries(client, path, own=3)
    assert "SELECT" in str(exc.value)


def test_audit_assertion_checks_action_object_actor_and_changes(tenant_a, admin_a):
    from brm.tenancy import services

    other = make_member(tenant_a, Role.ANALYST)
    with tenant_context(tenant_a):
        services.membership_update(
            membership=other, actor=admin_a.user, role=Role.STEERING, is_active=True
        )
    event = assert_audited(tenant_a, "membership.updated", obj=other, actor=admin_a.user)
    assert event.changes["role"] == [Role.ANALYST, Role.STEERING]
    with pytest.raises(AssertionError, match="expected one audit record 'membership.deleted'"):
        assert_audited(tenant_a, "membership.deleted")
    with pytest.raises(AssertionError, match="recorded for"):
        assert_audited(tenant_a, "membership.updated", actor=other.user)
