"""API of communications: the plan (/communication-plan/) and notices (/notices/), for an IT
service management tool that posts a planned maintenance or a major incident and its updates.
Writes go through meetings.communications, like the pages do."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from brm.api.schema import crud_docs
from brm.api.viewsets import ServiceViewSet
from brm.tenancy.models import Membership
from meetings import communications
from meetings.communication_models import CommunicationPlanEntry, Notice

from . import communication_filters as filters
from . import communication_serializers as serializers


def _member(request) -> Membership | None:
    """The signed-in staff member in the browser; an API key is None (its scope is the rule)."""
    return request.auth if isinstance(request.auth, Membership) else None


@crud_docs(
    "communication plan entry",
    "communication plan entries",
    "Filter by `customer`, `owner`, `topic`, `frequency`, `search` (description); `ordering` by "
    "next_due, customer, created. `roles` name who of the customer's contacts receive it; "
    "`contact_ids` name contacts of that customer.",
)
class CommunicationPlanEntryViewSet(ServiceViewSet):
    model = CommunicationPlanEntry
    serializer_class = serializers.CommunicationPlanEntrySerializer
    filterset_class = filters.CommunicationPlanEntryFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("customer__name", "topic", "pk")

    def perform_create(self, serializer):
        serializer.instance = communications.plan_entry_create(
            actor=self._actor(), actor_member=_member(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("customer", None)
        serializer.instance = communications.plan_entry_update(
            entry=serializer.instance,
            actor=self._actor(),
            actor_member=_member(self.request),
            **data,
        )

    def perform_destroy(self, instance):
        communications.plan_entry_delete(
            entry=instance, actor=self._actor(), actor_member=_member(self.request)
        )


NOTICE = serializers.NoticeSerializer


@crud_docs(
    "notice",
    "notices",
    "Filter by `customer` (addressed to it), `kind`, `status`, `sent_after` and `sent_before` "
    "(days in the office's time zone), `search` (subject, body); `ordering` by created, sent, "
    "subject. Create a draft, or send at once with `send: true`; a draft is changed with "
    "PATCH and sent with `POST .../send/`. A major incident's updates: `POST .../updates/`.",
)
class NoticeViewSet(ServiceViewSet):
    model = Notice
    filterset_class = filters.NoticeFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().order_by("-created_at", "-pk")
        if self.action != "list":
            qs = qs.prefetch_related("updates")
        return qs

    def get_serializer_class(self):
        return {
            "list": serializers.NoticeListSerializer,
            "send": serializers.EmptySerializer,
            "updates": serializers.NoticeUpdateSerializer,
        }.get(self.action, NOTICE)

    def _answer(self, notice, code=status.HTTP_200_OK):
        notice = self.get_queryset().get(pk=notice.pk)
        return Response(NOTICE(notice, context=self.get_serializer_context()).data, status=code)

    @transaction.atomic
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        send = data.pop("send", False)
        notice = communications.notice_create(
            actor=self._actor(),
            actor_member=_member(self.request),
            source=Notice.Source.API if _member(self.request) is None else Notice.Source.STAFF,
            **data,
        )
        if send:
            notice = communications.notice_send(
                notice=notice, actor=self._actor(), actor_member=_member(self.request)
            )
        serializer.instance = notice

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("send", None)
        serializer.instance = communications.notice_update(
            notice=serializer.instance,
            actor=self._actor(),
            actor_member=_member(self.request),
            **data,
        )

    @extend_schema(
        summary="Send a notice",
        description="Sends a draft to its audience (one email a contact, through the outbox). "
        "A notice sent already, or one whose audience is incomplete, is a 400.",
        request=None,
        responses={200: NOTICE},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        notice = self.get_object()
        notice = communications.notice_send(
            notice=notice, actor=self._actor(), actor_member=_member(request)
        )
        return self._answer(notice)

    @extend_schema(
        summary="Add an update to a major incident",
        description="Investigating, identified or resolved: sent to the incident's audience. "
        "Only a sent major incident has updates, and none after it is resolved (else 400).",
        request=serializers.NoticeUpdateSerializer,
        responses={201: NOTICE},
    )
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        notice = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        communications.notice_update_add(
            notice=notice,
            actor=self._actor(),
            actor_member=_member(request),
            **body.validated_data,
        )
        return self._answer(notice, status.HTTP_201_CREATED)
