"""The complaints API's tests: the office of tests/complaints/conftest.py (world), its keys, and
complaints received in it."""

import pytest

from tests.complaints.conftest import receive, working
from tests.kit import api_client, in_tenant

COMPLAINTS = "/api/v1/complaints/"


def url(complaint, action: str = "") -> str:
    return f"{COMPLAINTS}{complaint.pk}/{action + '/' if action else ''}"


@pytest.fixture
def api(tenant_a):
    """A write key of office A (acting for the office's staff side)."""
    return api_client(tenant_a, "write", name="service desk")


@pytest.fixture
def read_api(tenant_a):
    return api_client(tenant_a, "read")


@pytest.fixture
def new(tenant_a, world):
    """A new critical complaint of Finance, raised by Bea, its RM the owner."""
    return in_tenant(tenant_a, lambda: receive(world))


@pytest.fixture
def acknowledged(tenant_a, world, new):
    return in_tenant(tenant_a, lambda: working(world, new))
