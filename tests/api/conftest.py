import pytest

from tests.kit import client_for, make_key


@pytest.fixture
def read_client_a(tenant_a):
    return client_for(make_key(tenant_a, "read")[1])


@pytest.fixture
def write_client_a(tenant_a):
    return client_for(make_key(tenant_a, "write")[1])
