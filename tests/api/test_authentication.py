"""No key, an unknown key and a revoked key answer 401 in the error shape, with the challenge."""

import pytest
from rest_framework.test import APIClient

from brm.api.services import api_key_revoke
from tests.kit import client_for, in_tenant, make_key

pytestmark = pytest.mark.django_db


def _assert_401(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    error = response.json()["error"]
    assert error["status"] == 401
    assert error["code"] in {"not_authenticated", "authentication_failed"}
    assert error["detail"]
    return error


def test_request_without_a_key_is_401(tenant_a):
    error = _assert_401(APIClient().get("/api/v1/members/"))
    assert error["code"] == "not_authenticated"


def test_unknown_key_is_401(tenant_a):
    _key, raw = make_key(tenant_a)
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    error = _assert_401(client_for(forged).get("/api/v1/members/"))
    assert error == {
        "status": 401,
        "code": "authentication_failed",
        "detail": "Invalid API key.",
    }


@pytest.mark.parametrize("raw", ["nonsense", "brm_short_x", "brm_abcdefgh_", "Basic x"])
def test_malformed_key_is_401(tenant_a, raw):
    _assert_401(client_for(raw).get("/api/v1/tenant/"))


def test_revoked_key_is_401(tenant_a, admin_a):
    key, raw = make_key(tenant_a)
    client = client_for(raw)
    assert client.get("/api/v1/tenant/").status_code == 200
    with in_tenant(tenant_a):
        api_key_revoke(api_key=key, actor=admin_a.user)
    error = _assert_401(client.get("/api/v1/tenant/"))
    assert error["detail"] == "This API key was revoked."


def test_key_of_a_deactivated_office_is_401(tenant_a):
    _key, raw = make_key(tenant_a)
    tenant_a.is_active = False
    tenant_a.save()
    _assert_401(client_for(raw).get("/api/v1/tenant/"))


def test_signed_in_browser_session_is_not_an_api_credential(client, admin_a):
    client.force_login(admin_a.user)
    _assert_401(client.get("/api/v1/members/"))
