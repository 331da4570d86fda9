"""Filters of the customers API. Declared explicitly: generated filters would build querysets
through the scoped managers at import time, outside any tenant."""

import django_filters
from django.db.models import Q

from brm.api.filters import FilterSet
from customers.models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    Purchaser,
    RegisterItem,
)


class SearchFilterSet(FilterSet):
    search_fields: tuple[str, ...] = ()
    search = django_filters.CharFilter(method="filter_search", label="Search")

    def filter_search(self, queryset, name, value):
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class CustomerFilterSet(SearchFilterSet):
    search_fields = ("name", "division")
    status = django_filters.ChoiceFilter(choices=Customer.Status.choices)
    division = django_filters.CharFilter()
    relationship_manager = django_filters.NumberFilter(field_name="relationship_manager_id")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("division", "division"),
            ("status", "status"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = Customer
        fields = ["status", "division", "relationship_manager"]


class PurchaserFilterSet(SearchFilterSet):
    search_fields = ("name",)
    customer = django_filters.NumberFilter(field_name="customer_id")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("created_at", "created")))

    class Meta:
        model = Purchaser
        fields = ["customer"]


class ContactFilterSet(SearchFilterSet):
    search_fields = ("name", "email", "title")
    customer = django_filters.NumberFilter(field_name="customer_id")
    purchaser = django_filters.NumberFilter(field_name="purchaser_id")
    email = django_filters.CharFilter(lookup_expr="iexact")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("email", "email")))

    class Meta:
        model = Contact
        fields = ["customer", "purchaser", "email"]


class ExpectationFilterSet(SearchFilterSet):
    search_fields = ("title", "service")
    customer = django_filters.NumberFilter(field_name="customer_id")
    status = django_filters.ChoiceFilter(choices=BusinessExpectation.Status.choices)
    ordering = django_filters.OrderingFilter(fields=(("title", "title"), ("status", "status")))

    class Meta:
        model = BusinessExpectation
        fields = ["customer", "status"]


class RegisterItemFilterSet(SearchFilterSet):
    search_fields = ("title",)
    customer = django_filters.NumberFilter(field_name="customer_id")
    kind = django_filters.ChoiceFilter(choices=RegisterItem.Kind.choices)
    status = django_filters.ChoiceFilter(choices=RegisterItem.Status.choices)
    owner = django_filters.NumberFilter(field_name="owner_id")
    review_before = django_filters.DateFilter(field_name="review_date", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("review_date", "review_date"), ("status", "status"))
    )

    class Meta:
        model = RegisterItem
        fields = ["customer", "kind", "status", "owner"]


class ActionItemFilterSet(SearchFilterSet):
    search_fields = ("title",)
    customer = django_filters.NumberFilter(field_name="customer_id")
    status = django_filters.ChoiceFilter(
        choices=[("open", "open or in progress"), *ActionItem.Status.choices],
        method="filter_status",
    )
    owner = django_filters.NumberFilter(field_name="owner_member_id", label="Owner (member id)")
    owner_contact = django_filters.NumberFilter(field_name="owner_contact_id")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    source = django_filters.ChoiceFilter(choices=ActionItem.Source.choices)
    ordering = django_filters.OrderingFilter(
        fields=(
            ("due_date", "due_date"),
            ("title", "title"),
            ("status", "status"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = ActionItem
        fields = ["customer", "status", "owner", "owner_contact", "source"]

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=ActionItem.OPEN_STATUSES)
        return queryset.filter(status=value)
