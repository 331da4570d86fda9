"""Filters of the KPI API (declared: generated ones would query outside any tenant).

`scope` and `period` are read together in `filter_queryset`: a scope needs its id (or its
division), and a period picks the windows and the days of the rows.
"""

from __future__ import annotations

from collections import defaultdict

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements import periods
from brm.api.filters import FilterSet, IdFilter
from reports import metrics
from reports.models import MetricSnapshot, ScopeKind, Window

DAY, MONTH, QUARTER = "day", periods.MONTH, periods.QUARTER
PERIOD_CHOICES = [(DAY, _("Day")), (MONTH, _("Month")), (QUARTER, _("Quarter"))]
WINDOWS = {
    DAY: (Window.STATE, Window.MONTH),
    MONTH: (Window.STATE, Window.MONTH),
    QUARTER: (Window.STATE, Window.QUARTER),
}


def _as_given(queryset, name, value):
    return queryset  # read with the others in MetricSnapshotFilterSet.filter_queryset


class KpiForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope") or ScopeKind.OFFICE
        scope_id, division = cleaned.get("scope_id"), cleaned.get("division")
        needs_id = scope in (ScopeKind.RM, ScopeKind.CUSTOMER)
        if needs_id and scope_id is None and "scope_id" not in self.errors:
            self.add_error("scope_id", _("Give the id of the RM or the customer."))
        if scope == ScopeKind.DIVISION and not division and "division" not in self.errors:
            self.add_error("division", _("Give the division's name."))
        if scope_id is not None and scope not in (ScopeKind.RM, ScopeKind.CUSTOMER):
            self.add_error("scope_id", _("Only the rm and customer scopes take an id."))
        if division and scope != ScopeKind.DIVISION:
            self.add_error("division", _("Only the division scope takes a division."))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("Give a day on or after since."))
        return cleaned


class MetricSnapshotFilterSet(FilterSet):
    metric = django_filters.ChoiceFilter(choices=metrics.CHOICES, help_text="The metric.")
    period = django_filters.ChoiceFilter(
        choices=PERIOD_CHOICES,
        method=_as_given,
        help_text="day (default): every snapshot, flows over the month to the day; month or "
        "quarter: the snapshot of the period's last day with snapshots, flows over the whole "
        "month or quarter to that day.",
    )
    scope = django_filters.ChoiceFilter(
        choices=ScopeKind.choices,
        method=_as_given,
        help_text="office (default), rm (with scope_id), division (with division) or customer "
        "(with scope_id).",
    )
    scope_id = IdFilter(method=_as_given, help_text="The RM's membership id or the customer's id.")
    division = django_filters.CharFilter(method=_as_given, help_text="The division's name.")
    since = django_filters.DateFilter(field_name="day", lookup_expr="gte", help_text="From day.")
    until = django_filters.DateFilter(field_name="day", lookup_expr="lte", help_text="To day.")

    class Meta:
        model = MetricSnapshot
        fields = ["metric", "period", "scope", "scope_id", "division", "since", "until"]
        form = KpiForm

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        scope = data.get("scope") or ScopeKind.OFFICE
        scope_id = {
            ScopeKind.OFFICE: "",
            ScopeKind.RM: str(data.get("scope_id")),
            ScopeKind.CUSTOMER: str(data.get("scope_id")),
            ScopeKind.DIVISION: data.get("division") or "",
        }[scope]
        period = data.get("period") or DAY
        queryset = queryset.filter(scope_kind=scope, scope_id=scope_id, window__in=WINDOWS[period])
        if period == DAY:
            return queryset
        last: dict[tuple, object] = defaultdict(lambda: None)
        for day in queryset.order_by().values_list("day", flat=True).distinct():
            key = periods.period_containing(period, day)
            if last[key] is None or day > last[key]:
                last[key] = day
        return queryset.filter(day__in=sorted(last.values()))
