"""The browser's API: a signed-in staff member, in the office of their last staff page."""

import pytest
from django.test import Client

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role
from customers.models import Customer
from tests.factories import CustomerFactory
from tests.kit import assert_audited, in_tenant, make_member

pytestmark = pytest.mark.django_db


def _browser(member, tenant, *, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(member.user)
    page = f"/t/{tenant.slug}/portal/" if member.is_portal else f"/t/{tenant.slug}/"
    # As a browser opening the address: only a same-origin navigation moves the API's office.
    assert client.get(page, headers={"Sec-Fetch-Site": "none"}).status_code == 200
    return client


def test_staff_session_reads_the_office_of_its_last_page(tenant_a, tenant_b, rm_a, admin_b):
    mine = CustomerFactory(relationship_manager=rm_a, name="Finance")
    theirs = CustomerFactory(relationship_manager=admin_b, name="Theirs")
    client = _browser(rm_a, tenant_a)
    body = client.get("/api/v1/customers/").json()
    assert [c["id"] for c in body["results"]] == [mine.pk]
    assert client.get("/api/v1/tenant/").json()["slug"] == tenant_a.slug
    assert client.get(f"/api/v1/customers/{theirs.pk}/").status_code == 404


def test_a_session_without_an_office_page_is_401(tenant_a, rm_a):
    client = Client()
    client.force_login(rm_a.user)
    response = client.get("/api/v1/customers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_portal_users_have_no_api(tenant_a, customer_a):
    client = _browser(customer_a, tenant_a)
    assert client.get("/api/v1/customers/").status_code == 401


def test_a_deactivated_member_loses_the_api_at_once(tenant_a, admin_a, rm_a):
    client = _browser(rm_a, tenant_a)
    assert client.get("/api/v1/customers/").status_code == 200
    with tenant_context(tenant_a):
        Membership.objects.filter(pk=rm_a.pk).update(is_active=False)
    assert client.get("/api/v1/customers/").status_code == 401


def test_session_writes_need_the_csrf_token_and_are_audited_as_the_person(tenant_a, rm_a):
    client = _browser(rm_a, tenant_a, csrf=True)
    data = {"name": "HR", "status": "active", "relationship_manager": rm_a.pk}
    refused = client.post("/api/v1/customers/", data, content_type="application/json")
    assert refused.status_code == 403
    token = client.cookies["csrftoken"].value
    created = client.post(
        "/api/v1/customers/", data, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert created.status_code == 201, created.content
    customer = in_tenant(tenant_a, lambda: Customer.objects.get(name="HR"))
    assert_audited(tenant_a, "customer.created", obj=customer, actor=rm_a.user)


def test_read_only_roles_read_but_cannot_write(tenant_a, rm_a):
    analyst = make_member(tenant_a, Role.ANALYST)
    client = _browser(analyst, tenant_a)
    assert client.get("/api/v1/customers/").status_code == 200
    data = {"name": "HR", "status": "active", "relationship_manager": rm_a.pk}
    response = client.post("/api/v1/customers/", data, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["detail"] == "Your role has read-only access."


def test_only_admins_list_members_from_the_browser(tenant_a, admin_a, rm_a):
    assert _browser(rm_a, tenant_a).get("/api/v1/members/").status_code == 403
    assert _browser(admin_a, tenant_a).get("/api/v1/members/").status_code == 200


def test_the_offices_mfa_policy_holds_for_the_browsers_api(tenant_a, rm_a):
    client = _browser(rm_a, tenant_a)
    tenant_a.mfa_policy = "required"
    tenant_a.save()
    assert client.get("/api/v1/customers/").status_code == 401
