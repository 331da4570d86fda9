"""API of the meetings area. Writes go through meetings.services, like the pages do.

Approving or rejecting a decision is for the accountable person: with an API key it is always
refused (403), as signing an agreement is; a signed-in staff member's browser session reaches
the service, which decides whether they are the accountable IT manager or steering member.
Business decisions are approved on the portal, which has no API.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from brm.api.models import ApiKey
from brm.api.schema import crud_docs
from brm.api.viewsets import ServiceViewSet
from brm.tenancy.context import current_tenant_id_or_none
from brm.tenancy.models import Membership
from meetings import invitations, services
from meetings.models import Cadence, Decision, Meeting

from . import filters, serializers


def _actor(request):
    """The signed-in person in the browser, or the person who made the API key."""
    if isinstance(request.auth, Membership):
        return request.user
    return getattr(request.auth, "created_by", None)


@crud_docs(
    "cadence",
    "cadences",
    "Filter by `customer`, `organiser`, `status`, `meeting_type`, `search` (name, purpose); "
    "`ordering` by customer, name, created. Creating one plans its occurrences up to the "
    "office's horizon; a change moves its future planned meetings (held ones stay).",
)
class CadenceViewSet(ServiceViewSet):
    model = Cadence
    serializer_class = serializers.CadenceSerializer
    filterset_class = filters.CadenceFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendees").order_by("customer__name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.cadence_create(
            actor=_actor(self.request),
            contacts=data.pop("contacts", ()),
            members=data.pop("members", ()),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("customer", None)
        serializer.instance = services.cadence_update(
            cadence=serializer.instance,
            actor=_actor(self.request),
            contacts=data.pop("contacts", None),
            members=data.pop("members", None),
            **data,
        )


class CalendarFile(BaseContentNegotiation):
    """The calendar file answers text/calendar whatever the Accept header asks; errors in JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


MEETING = serializers.MeetingSerializer


@crud_docs(
    "meeting",
    "meetings",
    "Filter by `customer`, `organiser`, `cadence`, `status`, `kind`, `starts_after` and "
    "`starts_before` (days in the office's time zone), `search` (title); `ordering` by "
    "starts_at, title, created. Creating one makes a one-off (a major event, an escalation) and "
    "invites `contacts` and `members`; changing its time, place or title moves it and sends the "
    "update (a higher SEQUENCE). Read one for its attendees, agenda and minutes.",
)
class MeetingViewSet(ServiceViewSet):
    model = Meeting
    filterset_class = filters.MeetingFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().order_by("starts_at", "pk")
        if self.action != "list":
            qs = qs.select_related("minutes").prefetch_related("attendees", "agenda_items")
        return qs

    def get_serializer_class(self):
        return {
            "list": serializers.MeetingListSerializer,
            "cancel": serializers.CancelSerializer,
        }.get(self.action, MEETING)

    def _answer(self, meeting):
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MEETING(meeting, context=self.get_serializer_context()).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.meeting_create(
            actor=_actor(self.request),
            contacts=data.pop("contacts", ()),
            members=data.pop("members", ()),
            agenda_template=data.pop("agenda_template", ""),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for name in ("customer", "contacts", "members", "agenda_template"):
            data.pop(name, None)
        serializer.instance = services.meeting_update(
            meeting=serializer.instance, actor=_actor(self.request), **data
        )

    @extend_schema(
        summary="Cancel a meeting",
        description="Calls a planned meeting off: everyone invited gets the cancellation (a "
        "higher SEQUENCE). Only a planned meeting is cancelled (else 400); the other meetings of "
        "its cadence stay.",
        request=serializers.CancelSerializer,
        responses={200: MEETING},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(
            meeting=meeting, actor=_actor(request), reason=body.validated_data.get("reason", "")
        )
        return self._answer(meeting)

    @extend_schema(
        summary="The meeting as a calendar file",
        description="The meeting's iCalendar event (RFC 5545): the same UID and SEQUENCE as the "
        "invitations sent, in the office's time zone.",
        responses={
            (200, "text/calendar"): OpenApiResponse(
                OpenApiTypes.BINARY, description="An iCalendar file."
            )
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=CalendarFile)
    def ics(self, request, pk=None):
        meeting = self.get_object()
        content = invitations.meeting_ics(meeting)
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class DecidedByAPerson(permissions.BasePermission):
    """Approving and rejecting: a person signed in, never an API key (whatever its scope).

    Refused on the object, once found: another office's id stays a 404 like one that does not
    exist. A staff session passes here whatever its role (a steering member reads everything
    else, yet approves the IT decisions they are accountable for); services.decision_decide
    decides whether they are the accountable person."""

    message = _(
        "A decision is approved or rejected by the accountable person, signed in on the staff "
        "pages or the portal; an API key is no person."
    )

    def has_permission(self, request, view) -> bool:
        auth = request.auth
        if not isinstance(auth, ApiKey | Membership):
            return False  # DRF answers 401: no authenticator succeeded
        if current_tenant_id_or_none() != auth.tenant_id:
            raise RuntimeError("The API request does not run in its key's or member's tenant.")
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        return isinstance(request.auth, Membership)


DECISION = serializers.DecisionSerializer
DECIDE_DOC = (
    "Only the accountable person decides, signed in: an IT manager or steering member in their "
    "browser session (a refusal says why: not the accountable person, decided already). With an "
    "API key this is always 403; a business decision is approved by the customer on the portal."
)


@extend_schema_view(
    list=extend_schema(
        summary="List decisions",
        description="The office's decision log, newest first. Filter by `customer`, `meeting`, "
        "`organiser` (of the meeting), `status`, `kind`, `created_after` and `created_before` "
        "(days in the office's time zone), `search` (title); `ordering` by created, decided, "
        "title.",
    ),
    retrieve=extend_schema(summary="One decision", description="A decision, by id."),
    create=extend_schema(
        summary="Record a decision",
        description="A decision awaiting approval: a business decision names a contact of the "
        "customer with the budget mandate (`accountable_contact`), an IT decision an IT manager "
        "or steering member (`accountable_member`). A purchaser is never accountable (400). "
        "Audited; the accountable person is asked.",
    ),
)
class DecisionViewSet(ServiceViewSet):
    model = Decision
    serializer_class = DECISION
    filterset_class = filters.DecisionFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return serializers.DecideSerializer if self.action in ("approve", "reject") else DECISION

    def perform_create(self, serializer):
        serializer.instance = services.decision_create(
            actor=_actor(self.request), **serializer.validated_data
        )

    def _decide(self, request, approve: bool):
        decision = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = services.decision_decide(
            decision=decision,
            membership=request.auth,
            approve=approve,
            note=body.validated_data.get("note", ""),
        )
        return Response(DECISION(decision, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Approve a decision",
        description=DECIDE_DOC,
        request=serializers.DecideSerializer,
        responses={200: DECISION},
    )
    @action(detail=True, methods=["post"], permission_classes=[DecidedByAPerson])
    def approve(self, request, pk=None):
        return self._decide(request, approve=True)

    @extend_schema(
        summary="Reject a decision",
        description=DECIDE_DOC,
        request=serializers.DecideSerializer,
        responses={200: DECISION},
    )
    @action(detail=True, methods=["post"], permission_classes=[DecidedByAPerson])
    def reject(self, request, pk=None):
        return self._decide(request, approve=False)
