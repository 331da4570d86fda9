"""Each key has its own request budget; over it the API answers 429 with Retry-After."""

import pytest
from django.test import override_settings

from tests.kit import client_for, make_key

pytestmark = pytest.mark.django_db


@override_settings(API_THROTTLE_RATE="2/min")
def test_key_over_its_rate_gets_429_with_retry_after(tenant_a):
    client = client_for(make_key(tenant_a)[1])
    assert client.get("/api/v1/tenant/").status_code == 200
    assert client.get("/api/v1/tenant/").status_code == 200
    response = client.get("/api/v1/tenant/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["status"] == 429
    assert error["code"] == "throttled"


@override_settings(API_THROTTLE_RATE="1/min")
def test_each_key_is_counted_on_its_own(tenant_a, tenant_b):
    first = client_for(make_key(tenant_a, name="first")[1])
    second = client_for(make_key(tenant_a, name="second")[1])
    other_office = client_for(make_key(tenant_b)[1])
    assert first.get("/api/v1/tenant/").status_code == 200
    assert first.get("/api/v1/tenant/").status_code == 429
    assert second.get("/api/v1/tenant/").status_code == 200
    assert other_office.get("/api/v1/tenant/").status_code == 200
