"""Filters of the complaints API (declared: generated ones would query outside any tenant)."""

import django_filters
from django.db.models import Q

from brm.api.filters import BooleanFilter, FilterSet, IdFilter, OrderingFilter
from complaints.models import MAX_LEVEL, Complaint, Severity

LEVELS = [(level, str(level)) for level in range(1, MAX_LEVEL + 1)]


class ComplaintFilterSet(FilterSet):
    customer = IdFilter(field_name="customer_id")
    purchaser = IdFilter(field_name="purchaser_id")
    owner = IdFilter(field_name="owner_id")
    category = IdFilter(field_name="category_id")
    status = django_filters.ChoiceFilter(choices=Complaint.Status.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    level = django_filters.TypedChoiceFilter(
        choices=LEVELS, coerce=int, help_text="The escalation level: 1, 2 or 3."
    )
    breached = BooleanFilter(
        method="filter_breached",
        help_text="A target (to acknowledge or to resolve) was breached, or none was.",
    )
    # Office dates, both included: compared with the receipt in the office's time zone.
    received_from = django_filters.DateFilter(
        field_name="received_at",
        lookup_expr="date__gte",
        help_text="Received on or after this date (office time).",
    )
    received_to = django_filters.DateFilter(
        field_name="received_at",
        lookup_expr="date__lte",
        help_text="Received on or before this date (office time).",
    )
    ordering = OrderingFilter(
        fields=(
            ("received_at", "received"),
            ("resolve_due_at", "resolve_due"),
            ("level", "level"),
            ("reference", "reference"),
        )
    )

    class Meta:
        model = Complaint
        fields = ["customer", "purchaser", "owner", "category", "status", "severity", "level"]

    def filter_breached(self, queryset, name, value):
        breached = Q(acknowledge_breached=True) | Q(resolve_breached=True)
        return queryset.filter(breached) if value else queryset.exclude(breached)
