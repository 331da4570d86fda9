"""The key chooses the tenant; nothing the client sends can change it."""

import pytest

from brm.tenancy.models import Role
from tests.kit import client_for, make_key, make_member

pytestmark = pytest.mark.django_db


def test_each_key_sees_its_own_tenant(tenant_a, tenant_b):
    make_member(tenant_a, Role.ADMIN, email="only-in-a@example.test")
    make_member(tenant_b, Role.ADMIN, email="only-in-b@example.test")
    client_a = client_for(make_key(tenant_a)[1])
    client_b = client_for(make_key(tenant_b)[1])

    assert client_a.get("/api/v1/tenant/").json() == {
        "slug": "tenant-a",
        "name": "Tenant A",
        "time_zone": "UTC",
    }
    assert client_b.get("/api/v1/tenant/").json()["slug"] == "tenant-b"
    emails_a = {m["email"] for m in client_a.get("/api/v1/members/").json()["results"]}
    emails_b = {m["email"] for m in client_b.get("/api/v1/members/").json()["results"]}
    assert emails_a == {"only-in-a@example.test"}
    assert emails_b == {"only-in-b@example.test"}


def test_header_or_query_parameter_cannot_switch_the_tenant(tenant_a, tenant_b):
    client_a = client_for(make_key(tenant_a)[1])
    response = client_a.get(
        "/api/v1/tenant/?tenant=tenant-b&tenant_id=" + str(tenant_b.pk),
        HTTP_X_TENANT="tenant-b",
        HTTP_X_TENANT_ID=str(tenant_b.pk),
    )
    assert response.json()["slug"] == "tenant-a"


def test_members_endpoint_lists_id_email_name_role_and_status(tenant_a):
    member = make_member(tenant_a, Role.ANALYST, email="ana@example.test", name="Ana Lyst")
    client = client_for(make_key(tenant_a, "read")[1])
    assert client.get(f"/api/v1/members/{member.pk}/").json() == {
        "id": member.pk,
        "email": "ana@example.test",
        "full_name": "Ana Lyst",
        "role": "analyst",
        "is_active": True,
    }
    filtered = client.get("/api/v1/members/?role=analyst").json()
    assert [m["id"] for m in filtered["results"]] == [member.pk]
