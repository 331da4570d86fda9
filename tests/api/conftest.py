import pytest
from rest_framework.test import APIClient

from brm.api.services import api_key_create
from brm.tenancy.context import tenant_context


def make_key(tenant, scope="write", name="integration"):
    """(ApiKey, raw key) in `tenant`."""
    with tenant_context(tenant):
        return api_key_create(name=name, scope=scope)


def client_for(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def read_client_a(tenant_a):
    return client_for(make_key(tenant_a, "read")[1])


@pytest.fixture
def write_client_a(tenant_a):
    return client_for(make_key(tenant_a, "write")[1])
