"""The API's filter backend: django-filter, without its cost where it would change nothing."""

import django_filters
import pytest
from django.http import QueryDict
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from brm.api.filters import FilterBackend, FilterSet
from customers.api.filters import ActionItemFilterSet, CustomerFilterSet
from customers.api.views import CustomerViewSet
from customers.models import ActionItem, Customer
from tests.factories import CustomerFactory

# The filter sets read as office A, as a request of that office does.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("as_tenant_a")]


def _filter(query: str, queryset):
    request = Request(APIRequestFactory().get(f"/api/v1/customers/?{query}"))
    return FilterBackend().filter_queryset(request, queryset, CustomerViewSet())


def test_a_page_alone_leaves_the_queryset_untouched(tenant_a):
    queryset = Customer.objects.order_by("name")
    assert _filter("page=2&page_size=10", queryset) is queryset


def test_a_filter_is_applied(tenant_a, rm_a):
    CustomerFactory(relationship_manager=rm_a, status=Customer.Status.ACTIVE, name="A")
    CustomerFactory(relationship_manager=rm_a, status=Customer.Status.DORMANT, name="D")
    queryset = Customer.objects.order_by("name")
    assert [c.name for c in _filter("status=dormant&page=1", queryset)] == ["D"]
    assert [c.name for c in _filter("ordering=-name", queryset)] == ["D", "A"]


def test_the_form_class_is_made_once_per_filterset_class(tenant_a):
    first = ActionItemFilterSet(QueryDict("status=open"), ActionItem.objects.all())
    second = ActionItemFilterSet(QueryDict("status=done"), ActionItem.objects.all())
    assert first.get_form_class() is second.get_form_class()
    assert first.is_valid() and second.is_valid()
    other = CustomerFilterSet(QueryDict(""), Customer.objects.all())
    assert other.get_form_class() is not first.get_form_class()


def test_a_filter_with_a_per_request_queryset_gets_a_new_form_class(tenant_a):
    class PerRequest(FilterSet):
        customer = django_filters.ModelChoiceFilter(queryset=lambda request: Customer.objects)

        class Meta:
            model = Customer
            fields = ["customer"]

    first = PerRequest(QueryDict(""), Customer.objects.all())
    second = PerRequest(QueryDict(""), Customer.objects.all())
    assert first.get_form_class() is not second.get_form_class()


def test_a_filterset_that_filters_by_itself_is_never_skipped(tenant_a, rm_a):
    class OnlyActive(FilterSet):
        class Meta:
            model = Customer
            fields = []

        def filter_queryset(self, queryset):
            return queryset.filter(status=Customer.Status.ACTIVE)

    class View(CustomerViewSet):
        filterset_class = OnlyActive

    CustomerFactory(relationship_manager=rm_a, status=Customer.Status.ACTIVE, name="A")
    CustomerFactory(relationship_manager=rm_a, status=Customer.Status.DORMANT, name="D")
    request = Request(APIRequestFactory().get("/api/v1/customers/?page=1"))
    queryset = Customer.objects.order_by("name")
    filtered = FilterBackend().filter_queryset(request, queryset, View())
    assert [c.name for c in filtered] == ["A"]
