"""Filters of the customers API. Declared explicitly: generated filters would build querysets
through the scoped managers at import time, outside any tenant."""

import django_filters

from brm.api.filters import FilterSet, IdFilter, OrderingFilter, SearchFilterSet
from customers.models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    CustomerService,
    Purchaser,
    RegisterItem,
    Service,
)


class CustomerFilterSet(SearchFilterSet):
    search_fields = ("name", "division")
    status = django_filters.ChoiceFilter(choices=Customer.Status.choices)
    division = django_filters.CharFilter()
    relationship_manager = IdFilter(field_name="relationship_manager_id")
    ordering = OrderingFilter(
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
    customer = IdFilter(field_name="customer_id")
    ordering = OrderingFilter(fields=(("name", "name"), ("created_at", "created")))

    class Meta:
        model = Purchaser
        fields = ["customer"]


class ContactFilterSet(SearchFilterSet):
    search_fields = ("name", "email", "title")
    customer = IdFilter(field_name="customer_id")
    purchaser = IdFilter(field_name="purchaser_id")
    email = django_filters.CharFilter(lookup_expr="iexact")
    ordering = OrderingFilter(fields=(("name", "name"), ("email", "email")))

    class Meta:
        model = Contact
        fields = ["customer", "purchaser", "email"]


class ExpectationFilterSet(SearchFilterSet):
    search_fields = ("title", "service")
    customer = IdFilter(field_name="customer_id")
    status = django_filters.ChoiceFilter(choices=BusinessExpectation.Status.choices)
    ordering = OrderingFilter(fields=(("title", "title"), ("status", "status")))

    class Meta:
        model = BusinessExpectation
        fields = ["customer", "status"]


class RegisterItemFilterSet(SearchFilterSet):
    search_fields = ("title",)
    customer = IdFilter(field_name="customer_id")
    kind = django_filters.ChoiceFilter(choices=RegisterItem.Kind.choices)
    status = django_filters.ChoiceFilter(choices=RegisterItem.Status.choices)
    owner = IdFilter(field_name="owner_id")
    review_before = django_filters.DateFilter(field_name="review_date", lookup_expr="lte")
    ordering = OrderingFilter(
        fields=(("title", "title"), ("review_date", "review_date"), ("status", "status"))
    )

    class Meta:
        model = RegisterItem
        fields = ["customer", "kind", "status", "owner"]


class ActionItemFilterSet(SearchFilterSet):
    search_fields = ("title",)
    customer = IdFilter(field_name="customer_id")
    status = django_filters.ChoiceFilter(
        choices=[("open", "open or in progress"), *ActionItem.Status.choices],
        method="filter_status",
    )
    owner = IdFilter(field_name="owner_member_id", label="Owner (member id)")
    owner_contact = IdFilter(field_name="owner_contact_id")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    source = django_filters.ChoiceFilter(choices=ActionItem.Source.choices)
    ordering = OrderingFilter(
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


class ServiceFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    status = django_filters.ChoiceFilter(choices=Service.Status.choices)
    owner = IdFilter(field_name="owner_id")
    ordering = OrderingFilter(
        fields=(("name", "name"), ("status", "status"), ("created_at", "created"))
    )

    class Meta:
        model = Service
        fields = ["status", "owner"]


class CustomerServiceFilterSet(FilterSet):
    customer = IdFilter(field_name="customer_id")
    service = IdFilter(field_name="service_id")

    class Meta:
        model = CustomerService
        fields = ["customer", "service"]
