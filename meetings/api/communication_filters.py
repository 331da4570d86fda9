"""Filters of the communications API (declared: generated ones would query outside a tenant)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q

from brm.api.filters import IdFilter, OrderingFilter, SearchFilterSet
from meetings.communication_models import (
    NOTICE_KINDS,
    CommunicationPlanEntry,
    Notice,
    NoticeAudience,
    PlanFrequency,
    Topic,
)

from .filters import _day_filter


def _addressed_to(queryset, name, value: int):
    audience = NoticeAudience.objects.filter(notice=OuterRef("pk"), customer_id=value)
    return queryset.filter(Q(Exists(audience)) | Q(customer_ids__contains=[value]))


class CommunicationPlanEntryFilterSet(SearchFilterSet):
    search_fields = ("description",)
    customer = IdFilter(field_name="customer_id")
    owner = IdFilter(field_name="owner_id")
    topic = django_filters.ChoiceFilter(choices=Topic.choices)
    frequency = django_filters.ChoiceFilter(choices=PlanFrequency.choices)
    ordering = OrderingFilter(
        fields=(("next_due", "next_due"), ("customer__name", "customer"), ("created_at", "created"))
    )

    class Meta:
        model = CommunicationPlanEntry
        fields = ["customer", "owner", "topic", "frequency"]


class NoticeFilterSet(SearchFilterSet):
    search_fields = ("subject", "body")
    customer = IdFilter(method=_addressed_to, label="Addressed to this customer (id)")
    kind = django_filters.ChoiceFilter(choices=NOTICE_KINDS)
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices)
    sent_after = _day_filter(
        "sent_at", after=True, help_text="Sent on or after this day (office time)."
    )
    sent_before = _day_filter(
        "sent_at", after=False, help_text="Sent before this day (office time)."
    )
    ordering = OrderingFilter(
        fields=(("created_at", "created"), ("sent_at", "sent"), ("subject", "subject"))
    )

    class Meta:
        model = Notice
        fields = ["customer", "kind", "status"]
