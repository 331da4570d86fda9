"""Runs the API isolation harness (tests/api/isolation.py) over every operation in the schema."""

import pytest

from tests import isolation_registry  # noqa: F401  (fills the registries)
from tests.api.isolation import (
    API_OBJECT_FACTORIES,
    api_operations,
    call,
    client_with_key,
    cross_tenant_reference_failures,
    missing_object_factories,
    object_params,
)
from tests.isolation import MARKED_ROW_FACTORIES, MARKER

pytestmark = pytest.mark.django_db

OPERATIONS = api_operations()
WITH_OBJECT = [op for op in OPERATIONS if op.params and op.path in API_OBJECT_FACTORIES]
LISTS = [op for op in OPERATIONS if op.method == "GET" and not op.params]


def test_operations_are_found_in_the_schema():
    assert {str(op) for op in OPERATIONS} >= {
        "GET /api/v1/tenant/",
        "GET /api/v1/members/",
        "GET /api/v1/members/{id}/",
    }


def test_every_api_operation_with_a_path_parameter_is_registered():
    missing = missing_object_factories(OPERATIONS)
    assert missing == [], f"register_api(path) in tests/isolation_registry.py for {missing}"


@pytest.mark.parametrize("op", WITH_OBJECT, ids=str)
def test_tenant_b_object_answers_404_to_tenant_a_key(tenant_a, tenant_b, op):
    params = object_params(op, tenant_b)
    response = call(client_with_key(tenant_a), op, params)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("op", WITH_OBJECT, ids=str)
def test_same_operation_reaches_the_object_of_the_key_tenant(tenant_a, op):
    """The control for the test above: the object is reachable in its own tenant."""
    response = call(client_with_key(tenant_a), op, object_params(op, tenant_a))
    assert response.status_code != 404
    if op.method == "GET":
        assert response.status_code == 200


@pytest.mark.parametrize("op", LISTS, ids=str)
def test_lists_hold_no_rows_of_another_tenant(tenant_a, tenant_b, op):
    for factory in MARKED_ROW_FACTORIES:
        factory(tenant_b)
    response = call(client_with_key(tenant_a), op, {})
    assert response.status_code == 200
    assert MARKER not in response.content.decode()


def test_marker_rows_do_show_through_the_api_of_their_own_tenant(tenant_b):
    """Control: the marker is visible where it belongs, so its absence above means something."""
    for factory in MARKED_ROW_FACTORIES:
        factory(tenant_b)
    response = client_with_key(tenant_b).get("/api/v1/members/?page_size=200")
    assert MARKER in response.content.decode()


def test_writes_reject_tenant_b_ids_like_unknown_ids(tenant_a, tenant_b):
    client = client_with_key(tenant_a)
    assert cross_tenant_reference_failures(client, tenant_a, tenant_b, OPERATIONS) == []


def _admin_session(tenant):
    """A signed-in admin of `tenant` whose last staff page was in it (CSRF not enforced)."""
    from django.test import Client

    from brm.tenancy.models import Role
    from tests.conftest import make_member

    member = make_member(tenant, Role.ADMIN, email=f"session-{tenant.slug}@example.test")
    client = Client()
    client.force_login(member.user)
    assert client.get(f"/t/{tenant.slug}/", headers={"Sec-Fetch-Site": "none"}).status_code == 200
    return client


@pytest.mark.parametrize("op", WITH_OBJECT, ids=str)
def test_tenant_b_object_answers_404_to_a_browser_session_in_tenant_a(tenant_a, tenant_b, op):
    params = object_params(op, tenant_b)
    response = call(_admin_session(tenant_a), op, params)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("op", LISTS, ids=str)
def test_lists_hold_no_rows_of_another_tenant_for_a_browser_session(tenant_a, tenant_b, op):
    for factory in MARKED_ROW_FACTORIES:
        factory(tenant_b)
    response = call(_admin_session(tenant_a), op, {})
    assert response.status_code == 200
    assert MARKER not in response.content.decode()
