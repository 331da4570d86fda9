"""Filters of the agreements API (declared: generated ones would query outside any tenant)."""

import django_filters

from agreements.models import Agreement, AgreementVersion
from brm.api.filters import FilterSet, IdFilter, OrderingFilter


class AgreementFilterSet(FilterSet):
    customer = IdFilter(field_name="customer_id")
    state = django_filters.ChoiceFilter(choices=Agreement.State.choices)
    relationship_manager = IdFilter(field_name="customer__relationship_manager_id")
    ordering = OrderingFilter(
        fields=(
            ("customer__name", "customer"),
            ("review_due", "review_due"),
            ("created_at", "created"),
        )
    )

    class Meta:
        model = Agreement
        fields = ["customer", "state", "relationship_manager"]


class AgreementVersionFilterSet(FilterSet):
    agreement = IdFilter(field_name="agreement_id")
    customer = IdFilter(field_name="agreement__customer_id")
    status = django_filters.ChoiceFilter(choices=AgreementVersion.Status.choices)

    class Meta:
        model = AgreementVersion
        fields = ["agreement", "customer", "status"]
