"""Office admins make API keys (seen once), list them and revoke them; others cannot."""

import re

import pytest

from brm.api.models import ApiKey
from brm.audit.models import AuditEvent
from brm.tenancy.models import Role
from tests.kit import client_for, in_tenant, make_member

pytestmark = pytest.mark.django_db


def test_admin_creates_a_key_sees_it_once_and_revokes_it(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    base = f"/t/{tenant_a.slug}/api-keys/"
    assert client.get(base + "new/").status_code == 200

    response = client.post(base + "new/", {"name": "service desk", "scope": "read"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'value="(brm_[^"]+)"', response.content.decode())[1]
    assert client_for(raw).get("/api/v1/tenant/").status_code == 200

    listing = client.get(base).content.decode()
    with in_tenant(tenant_a):
        key = ApiKey.objects.get()
    assert "service desk" in listing and key.prefix in listing
    assert raw not in listing  # shown once, never again

    confirm = client.get(f"{base}{key.pk}/revoke/")
    assert confirm.status_code == 200
    assert "service desk" in confirm.content.decode()
    with in_tenant(tenant_a):
        assert ApiKey.objects.get().revoked_at is None  # GET only asks

    assert client.post(f"{base}{key.pk}/revoke/").status_code == 302
    assert client_for(raw).get("/api/v1/tenant/").status_code == 401
    assert "Revoked" in client.get(base).content.decode()

    with in_tenant(tenant_a):
        actions = list(
            AuditEvent.objects.filter(object_type="api.apikey").values_list("action", "actor")
        )
    assert sorted(actions) == [
        ("api_key.created", admin_a.user.pk),
        ("api_key.revoked", admin_a.user.pk),
    ]


def test_form_errors_are_shown_and_nothing_is_made(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    response = client.post(f"/t/{tenant_a.slug}/api-keys/new/", {"name": "", "scope": "root"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    with in_tenant(tenant_a):
        assert not ApiKey.objects.exists()


def test_revoking_twice_says_so(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    client.post(f"/t/{tenant_a.slug}/api-keys/new/", {"name": "k", "scope": "read"})

    key = in_tenant(tenant_a, lambda: ApiKey.objects.get())
    path = f"/t/{tenant_a.slug}/api-keys/{key.pk}/revoke/"
    client.post(path)
    response = client.post(path, follow=True)
    assert "already revoked" in response.content.decode()


@pytest.mark.parametrize("role", [Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER, Role.ANALYST])
def test_non_admin_staff_get_403(client, tenant_a, role):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    for path in ("api-keys/", "api-keys/new/"):
        assert client.get(f"/t/{tenant_a.slug}/{path}").status_code == 403
    assert client.post(f"/t/{tenant_a.slug}/api-keys/new/", {"name": "x"}).status_code == 403


def test_admin_sees_the_api_keys_link(client, tenant_a, admin_a, rm_a):
    client.force_login(admin_a.user)
    assert (
        f'href="/t/{tenant_a.slug}/api-keys/"'
        in client.get(f"/t/{tenant_a.slug}/").content.decode()
    )
    client.force_login(rm_a.user)
    assert "api-keys" not in client.get(f"/t/{tenant_a.slug}/").content.decode()


def test_key_list_costs_the_same_queries_for_one_key_or_many(client, tenant_a, admin_a):
    from tests.kit import assert_page_queries, make_key

    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/api-keys/"
    make_key(tenant_a, name="one")
    assert_page_queries(client, path, own=2)  # count, the keys with their creators
    for i in range(5):
        make_key(tenant_a, name=f"more {i}")
    assert_page_queries(client, path, own=2)
