"""Filters of the SLA appendix API. Declared explicitly: generated filters would build querysets
through the scoped managers at import time, outside any tenant."""

import django_filters

from agreements.models import SlaLine, SlaMeasurement
from brm.api.filters import FilterSet, IdFilter


class SlaLineFilterSet(FilterSet):
    agreement = IdFilter(field_name="version__agreement_id")
    customer = IdFilter(field_name="version__agreement__customer_id")
    version = IdFilter(field_name="version_id")
    service = IdFilter(field_name="service_id")
    kind = django_filters.ChoiceFilter(choices=SlaLine.Kind.choices)
    key = django_filters.CharFilter(field_name="key")

    class Meta:
        model = SlaLine
        fields = ["agreement", "customer", "version", "service", "kind", "key"]


class SlaMeasurementFilterSet(FilterSet):
    line = IdFilter(field_name="line_id", help_text="Measured against this line.")
    key = django_filters.CharFilter(field_name="line_key", help_text="The line's key.")
    agreement = IdFilter(field_name="agreement_id")
    customer = IdFilter(field_name="agreement__customer_id")
    period_start = django_filters.DateFilter(field_name="period_start")
    period_from = django_filters.DateFilter(
        field_name="period_start", lookup_expr="gte", help_text="Periods starting on or after."
    )
    period_to = django_filters.DateFilter(
        field_name="period_end", lookup_expr="lte", help_text="Periods ending on or before."
    )

    class Meta:
        model = SlaMeasurement
        fields = ["line", "key", "agreement", "customer", "period_start"]
