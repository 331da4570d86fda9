"""Lists are paginated: count, next, previous, results; 50 a page, page_size up to 200."""

import pytest

from brm.api.pagination import PageNumberPagination
from brm.tenancy.models import Role
from tests.kit import make_member

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


def test_the_row_list_falls_back_to_the_serializer_when_rows_would_differ():
    """RowListModelMixin reads rows only where the serializer would answer the same."""
    from rest_framework import serializers

    from brm.api.serializers import TenantModelSerializer
    from brm.api.viewsets import RowListModelMixin
    from customers.models import Contact, Customer

    plan = RowListModelMixin()._row_plan

    class Plain(TenantModelSerializer):
        rm_email = serializers.EmailField(source="relationship_manager.user.email")

        class Meta:
            model = Customer
            fields = ["id", "name", "status", "relationship_manager", "rm_email", "created_at"]

    assert [column for _n, column, _c in plan(Plain(context={}), set())] == [
        "id",
        "name",
        "status",
        "relationship_manager_id",
        "relationship_manager__user__email",
        "created_at",
    ]

    class Overridden(Plain):
        def to_representation(self, instance):
            return super().to_representation(instance)

    class NullableHop(TenantModelSerializer):  # a contact's purchaser may be empty
        purchaser_name = serializers.CharField(source="purchaser.name")

        class Meta:
            model = Contact
            fields = ["id", "purchaser_name"]

    class Property(TenantModelSerializer):
        label = serializers.CharField(source="__str__")

        class Meta:
            model = Customer
            fields = ["id", "label"]

    class Model(TenantModelSerializer):
        raw = serializers.ModelField(model_field=Customer._meta.get_field("name"))

        class Meta:
            model = Customer
            fields = ["id", "raw"]

    for serializer_class in (Overridden, NullableHop, Property, Model):
        assert plan(serializer_class(context={}), set()) is None, serializer_class.__name__
