"""Filters of the meetings API (declared: generated ones would query outside any tenant).

Dates are days of the office's calendar: `starts_after=2026-03-01` is every meeting starting on
or after that day's midnight in the office's time zone, `starts_before` every one starting
before that day.
"""

from __future__ import annotations

from datetime import date, datetime, time

import django_filters
from django.utils import timezone

from brm.api.filters import IdFilter, OrderingFilter, SearchFilterSet
from meetings.models import Cadence, Decision, Meeting, MeetingType

# A day's midnight in any zone converts to UTC inside these bounds.
FIRST_DAY = date(1, 1, 2)
LAST_DAY = date(9999, 12, 30)


def office_midnight(day: date) -> datetime:
    day = min(max(day, FIRST_DAY), LAST_DAY)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _day_filter(field: str, *, after: bool, help_text: str) -> django_filters.DateFilter:
    """On or after the day's midnight (`after`), else before it."""
    lookup = "gte" if after else "lt"

    def apply(queryset, name, value: date):
        return queryset.filter(**{f"{field}__{lookup}": office_midnight(value)})

    return django_filters.DateFilter(method=apply, help_text=help_text)


class CadenceFilterSet(SearchFilterSet):
    search_fields = ("name", "purpose")
    customer = IdFilter(field_name="customer_id")
    organiser = IdFilter(field_name="organiser_id")
    status = django_filters.ChoiceFilter(choices=Cadence.Status.choices)
    meeting_type = django_filters.ChoiceFilter(choices=MeetingType.choices)
    ordering = OrderingFilter(
        fields=(("customer__name", "customer"), ("name", "name"), ("created_at", "created"))
    )

    class Meta:
        model = Cadence
        fields = ["customer", "organiser", "status", "meeting_type"]


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title",)
    customer = IdFilter(field_name="customer_id")
    organiser = IdFilter(field_name="organiser_id")
    cadence = IdFilter(field_name="cadence_id")
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    starts_after = _day_filter(
        "starts_at", after=True, help_text="Starting on or after this day (office time)."
    )
    starts_before = _day_filter(
        "starts_at", after=False, help_text="Starting before this day (office time)."
    )
    ordering = OrderingFilter(
        fields=(("starts_at", "starts_at"), ("title", "title"), ("created_at", "created"))
    )

    class Meta:
        model = Meeting
        fields = ["customer", "organiser", "cadence", "status", "kind"]


class DecisionFilterSet(SearchFilterSet):
    search_fields = ("title",)
    customer = IdFilter(field_name="customer_id")
    meeting = IdFilter(field_name="meeting_id")
    organiser = IdFilter(
        field_name="meeting__organiser_id", label="Organiser of the meeting (member id)"
    )
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Decision.Kind.choices)
    created_after = _day_filter(
        "created_at", after=True, help_text="Recorded on or after this day (office time)."
    )
    created_before = _day_filter(
        "created_at", after=False, help_text="Recorded before this day (office time)."
    )
    ordering = OrderingFilter(
        fields=(("created_at", "created"), ("decided_at", "decided"), ("title", "title"))
    )

    class Meta:
        model = Decision
        fields = ["customer", "meeting", "organiser", "status", "kind"]
