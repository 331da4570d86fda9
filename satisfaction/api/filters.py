"""Filters of the satisfaction API (declared: generated ones would query outside any tenant)."""

import django_filters

from brm.api.filters import BooleanFilter, FilterSet, IdFilter, OrderingFilter
from satisfaction.models import Campaign, Response, Survey


class SurveyFilterSet(FilterSet):
    name = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the survey's name."
    )
    frozen = BooleanFilter(
        method="filter_frozen",
        help_text="`true`: sent (frozen) versions only; `false`: editable ones.",
    )
    ordering = OrderingFilter(fields=(("name", "name"), ("updated_at", "updated")))

    class Meta:
        model = Survey
        fields = ["name"]

    def filter_frozen(self, queryset, name, value):
        return queryset.filter(frozen_at__isnull=not value)


class CampaignFilterSet(FilterSet):
    survey = IdFilter(field_name="survey_id")
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices)
    anonymity = django_filters.ChoiceFilter(choices=Campaign.Anonymity.choices)
    ordering = OrderingFilter(
        fields=(("opens_at", "opens"), ("closes_at", "closes"), ("name", "name"))
    )

    class Meta:
        model = Campaign
        fields = ["survey", "status", "anonymity"]


class ResponseFilterSet(FilterSet):
    campaign = IdFilter(field_name="campaign_id")
    customer = IdFilter(field_name="customer_id")
    ordering = OrderingFilter(fields=(("submitted_at", "submitted"),))

    class Meta:
        model = Response
        fields = ["campaign", "customer"]
