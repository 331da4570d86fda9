"""Lists are paginated: count, next, previous, results; 50 a page, page_size up to 200."""

import pytest

from brm.api.pagination import PageNumberPagination
from brm.tenancy.models import Role
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_list_has_count_next_previous_results(read_client_a, tenant_a):
    for i in range(3):
        make_member(tenant_a, Role.ANALYST, email=f"m{i}@example.test")
    first = read_client_a.get("/api/v1/members/?page_size=2").json()
    assert list(first) == ["count", "next", "previous", "results"]
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/members/?page=2&page_size=2")
    second = read_client_a.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"] is not None
    assert len(first["results"]) + len(second["results"]) == 3
    assert {m["id"] for m in first["results"]}.isdisjoint({m["id"] for m in second["results"]})


def test_page_size_defaults_to_50_and_is_capped_at_200():
    assert PageNumberPagination.page_size == 50
    assert PageNumberPagination.max_page_size == 200


def test_page_size_above_the_cap_is_cut_to_200(read_client_a, tenant_a, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "max_page_size", 2)
    for i in range(3):
        make_member(tenant_a, Role.ANALYST, email=f"m{i}@example.test")
    body = read_client_a.get("/api/v1/members/?page_size=1000").json()
    assert len(body["results"]) == 2


def test_page_past_the_end_is_404_in_the_error_shape(read_client_a):
    response = read_client_a.get("/api/v1/members/?page=99")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
