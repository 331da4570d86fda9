"""API of the complaints area: a service desk records complaints, follows them and works on them
on the staff side, through complaints.services like the pages do.

A key acts for the office (as the admin who made it); the complaints it sees are those
`selectors.complaints_visible_to` gives it. Confirming or rejecting a resolution is the
raiser's, signed in to the portal: there is no such action here, and never will be (the schema
lists what a key can do, and each of its operations can succeed).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from brm.api.viewsets import RowListModelMixin, TenantGenericViewSet
from complaints import selectors, services
from complaints.models import Complaint, ComplaintMessage

from . import filters, serializers

COMPLAINT = serializers.ComplaintSerializer
MESSAGE = serializers.ComplaintMessageSerializer

LIST_TEXT = (
    "The office's complaints, newest received first, paginated. Filter by `customer`, "
    "`purchaser`, `owner`, `category`, `status`, `severity`, `level`, `breached`, and the office "
    "dates `received_from` and `received_to` (both included); `ordering` by received, "
    "resolve_due, level, reference."
)


@extend_schema_view(
    list=extend_schema(summary="List complaints", description=LIST_TEXT),
    retrieve=extend_schema(summary="One complaint", description="A complaint, by id."),
    create=extend_schema(
        summary="Record a complaint",
        description="A service desk's complaint (channel `api` unless said otherwise): the "
        "targets are snapshotted from the office policy for its severity, the clock starts, "
        "and the people at its starting level are told. Audited.",
    ),
    partial_update=extend_schema(
        summary="Correct a complaint",
        description="Corrects what it is about (subject, description, desired outcome, "
        "category, service); audited. A closed complaint is not changed (400).",
    ),
)
class ComplaintViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    RowListModelMixin,
    TenantGenericViewSet,
):
    model = Complaint
    filterset_class = filters.ComplaintFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()  # the schema: the model's shape, no tenant
        return selectors.complaints_visible_to(self.request.auth).order_by("-received_at", "-pk")

    def get_serializer_class(self):
        return {
            "create": serializers.ComplaintCreateSerializer,
            "partial_update": serializers.ComplaintUpdateSerializer,
            "acknowledge": serializers.AcknowledgeSerializer,
            "assign": serializers.AssignSerializer,
            "escalate": serializers.EscalateSerializer,
            "resolve": serializers.ResolveSerializer,
            "messages": MESSAGE,
        }.get(self.action, COMPLAINT)

    def _answer(self, complaint, code=status.HTTP_200_OK):
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(COMPLAINT(complaint, context=self.get_serializer_context()).data, code)

    def _body(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(responses={201: COMPLAINT})
    def create(self, request, *args, **kwargs):
        complaint = services.complaint_receive(actor=request.auth, **self._body(request))
        return self._answer(complaint, status.HTTP_201_CREATED)

    @extend_schema(responses={200: COMPLAINT})
    def partial_update(self, request, *args, **kwargs):
        complaint = self.get_object()
        body = self.get_serializer(complaint, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        complaint = services.complaint_update(
            complaint=complaint, actor=request.auth, **body.validated_data
        )
        return self._answer(complaint)

    @extend_schema(
        summary="Acknowledge a complaint",
        description="New -> acknowledged (the acknowledge clock stops); the raiser is emailed "
        "the resolve target and the portal link, with `message` added if given. A complaint "
        "that is not new answers 400.",
        responses={200: COMPLAINT},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        complaint = self.get_object()
        body = self._body(request)
        complaint = services.complaint_acknowledge(
            complaint=complaint, actor=request.auth, message=body.get("message", "")
        )
        return self._answer(complaint)

    @extend_schema(
        summary="Give a complaint its owner",
        description="`owner` (a membership id) is warned of the clock and emailed. Not an "
        "analyst, not the relationship manager it is about, not on a resolved or closed "
        "complaint (400).",
        responses={200: COMPLAINT},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        complaint = self.get_object()
        body = self._body(request)
        complaint = services.complaint_assign(
            complaint=complaint, actor=request.auth, owner=body["owner"]
        )
        return self._answer(complaint)

    @extend_schema(
        summary="Escalate a complaint one level",
        description="A staff decision, with a `note` saying why: level 1 (the relationship "
        "manager) -> 2 (the IT managers) -> 3 (the IT steering group), each with its own new "
        "resolve target from the policy, counted from now. The people at the new level and the "
        "raiser are told. At level 3, or once resolved or closed, it answers 400.",
        responses={200: COMPLAINT},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        complaint = self.get_object()
        body = self._body(request)
        services.complaint_escalate(
            complaint=complaint, actor=request.auth, note=body["note"], owner=body.get("owner")
        )
        return self._answer(complaint)

    @extend_schema(
        summary="Resolve a complaint",
        description="With the root cause (`root_cause_category` and `root_cause`) and the "
        "`resolution`, and optional corrective `actions` (action items of the customer, source "
        "complaint). The clock stops and the raiser is asked to confirm in the portal (never "
        "through the API: confirming is the raiser's own answer); without "
        "an answer it is closed as deemed accepted after 10 working days. A new complaint must "
        "be acknowledged first (400).",
        responses={200: COMPLAINT},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        complaint = self.get_object()
        body = self._body(request)
        complaint = services.complaint_resolve(
            complaint=complaint,
            actor=request.auth,
            root_cause_category=body["root_cause_category"],
            root_cause=body["root_cause"],
            resolution=body["resolution"],
            actions=body.get("actions", ()),
        )
        return self._answer(complaint)

    @extend_schema(
        methods=["GET"],
        summary="The complaint's thread",
        description="Messages between the raiser's side and the office, and the office's "
        "internal notes (`internal`), oldest first. A key is the staff side: the raiser's side "
        "(the portal, their emails) never sees the notes.",
        responses={200: MESSAGE(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Write in the complaint's thread",
        description="A message from the office, emailed to the raiser, or with `internal` an "
        "internal note for staff only (never emailed, never shown to the raiser's side). A "
        "closed complaint answers 400.",
        request=MESSAGE,
        responses={201: MESSAGE},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def messages(self, request, pk=None):
        complaint = self.get_object()
        if request.method == "GET":
            thread = ComplaintMessage.objects.filter(complaint=complaint).order_by(
                "created_at", "pk"
            )
            return Response(MESSAGE(thread, many=True).data)
        body = self._body(request)
        message = services.complaint_message_add(
            complaint=complaint,
            actor=request.auth,
            body=body["body"],
            internal=body.get("internal", False),
        )
        return Response(MESSAGE(message).data, status.HTTP_201_CREATED)
