"""Serializers of the communications API: plan entries, and notices with their updates.

Ids of customers and contacts are plain integers; the service checks each is one of the
office's (another office's id is a 400 naming the field, like an id that does not exist)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from brm.api.serializers import (
    StrictBooleanField,
    StrictCharField,
    TenantModelSerializer,
    TenantPrimaryKeyRelatedField,
)
from brm.tenancy.models import Membership
from customers.models import Customer, Service
from meetings.communication_models import (
    NOTICE_KINDS,
    AudienceRole,
    Channel,
    CommunicationPlanEntry,
    Notice,
    NoticeUpdate,
    PlanFrequency,
    Topic,
)

NOTICE_STATUS = Notice.Status
NOTICE_RESOLVE = Notice.Resolve
NOTICE_SOURCE = Notice.Source
NOTICE_KIND = NOTICE_KINDS
UPDATE_STAGE = NoticeUpdate.Stage
PLAN_TOPIC = Topic
PLAN_FREQUENCY = PlanFrequency
AUDIENCE_ROLE = AudienceRole
CHANNEL = Channel

EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)
RANGE_MESSAGE = _("Give a date from 2000-01-01 to 2199-12-31.")


def _moment(value: datetime | None) -> datetime | None:
    if value is not None and not EARLIEST <= value.astimezone(UTC).date() <= LATEST:
        raise serializers.ValidationError(RANGE_MESSAGE)
    return value


def _day(value: date | None) -> date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise serializers.ValidationError(RANGE_MESSAGE)
    return value


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=10000,
        help_text=help_text,
    )


def _roles() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=AudienceRole.choices),
        required=False,
        max_length=len(AudienceRole.choices),
    )


class CommunicationPlanEntrySerializer(TenantModelSerializer):
    """A line of a customer's communication plan: what, to whom (roles and named contacts), how
    often, by which channel, its owner and when it is next due."""

    customer = TenantPrimaryKeyRelatedField(queryset=Customer.all_tenants.all())
    owner = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    topic = serializers.ChoiceField(choices=Topic.choices)
    frequency = serializers.ChoiceField(choices=PlanFrequency.choices)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    roles = _roles()
    contact_ids = _ids("Contacts of the customer by id.")
    description = StrictCharField(max_length=300, required=False, allow_blank=True)
    next_due = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = CommunicationPlanEntry
        fields = [
            "id",
            "customer",
            "topic",
            "description",
            "roles",
            "contact_ids",
            "frequency",
            "channel",
            "owner",
            "next_due",
            "last_delivered_on",
            "created_at",
        ]
        read_only_fields = ["last_delivered_on", "created_at"]

    def validate_next_due(self, value):
        return _day(value)


class NoticeUpdateSerializer(TenantModelSerializer):
    """A major incident's update: investigating, identified or resolved."""

    stage = serializers.ChoiceField(choices=NoticeUpdate.Stage.choices)
    body = StrictCharField(max_length=10000)

    class Meta:
        model = NoticeUpdate
        fields = ["id", "stage", "body", "created_at"]
        read_only_fields = ["created_at"]


class NoticeSerializer(TenantModelSerializer):
    """A notice: kind, subject, body (plain text with a safe subset of Markdown), the planned
    maintenance window, the audience (customers by id, or every customer consuming a service;
    optionally only the purchasers' contacts; resolved by role, through the plan or by hand) and,
    once sent, how many received it. `send: true` on create sends it at once."""

    kind = serializers.ChoiceField(choices=NOTICE_KINDS)
    subject = StrictCharField(max_length=200)
    body = StrictCharField(max_length=20000)
    window_starts_at = serializers.DateTimeField(required=False, allow_null=True)
    window_ends_at = serializers.DateTimeField(required=False, allow_null=True)
    customer_ids = _ids("The customers addressed, by id.")
    service = TenantPrimaryKeyRelatedField(
        queryset=Service.all_tenants.all(),
        required=False,
        allow_null=True,
        help_text="Every customer consuming this catalogue service is addressed too.",
    )
    purchasers_only = StrictBooleanField(required=False)
    resolve = serializers.ChoiceField(choices=Notice.Resolve.choices, required=False)
    roles = _roles()
    contact_ids = _ids("For `resolve: hand`: the contacts, by id.")
    status = serializers.ChoiceField(choices=Notice.Status.choices, read_only=True)
    updates = NoticeUpdateSerializer(many=True, read_only=True)
    send = StrictBooleanField(
        write_only=True, required=False, default=False, help_text="Send it at once."
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "subject",
            "body",
            "window_starts_at",
            "window_ends_at",
            "customer_ids",
            "service",
            "purchasers_only",
            "resolve",
            "roles",
            "contact_ids",
            "status",
            "source",
            "sent_at",
            "recipient_count",
            "updates",
            "created_at",
            "send",
        ]
        read_only_fields = ["source", "sent_at", "recipient_count", "created_at"]

    def validate_window_starts_at(self, value):
        return _moment(value)

    def validate_window_ends_at(self, value):
        return _moment(value)


class NoticeListSerializer(NoticeSerializer):
    class Meta(NoticeSerializer.Meta):
        fields = [f for f in NoticeSerializer.Meta.fields if f not in ("updates", "send")]


class EmptySerializer(serializers.Serializer):
    pass
