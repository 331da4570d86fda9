"""API of the agreements area. Writes go through agreements.services, like the pages do.

Signing is not here, and never will be: a person signs, on the staff pages or the portal, after
reading the version and confirming who they are. An API key is no person.
"""

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from agreements import pdf, selectors, services
from agreements.models import Agreement, AgreementVersion
from brm.api.schema import crud_docs
from brm.api.viewsets import RowListModelMixin, ServiceViewSet, TenantGenericViewSet
from brm.tenancy.models import Membership

from . import filters, serializers


def _actor(request):
    """The signed-in person in the browser, or the person who made the API key."""
    if isinstance(request.auth, Membership):
        return request.user
    return getattr(request.auth, "created_by", None)


@crud_docs(
    "agreement",
    "agreements",
    "With the state derived from the versions. Filter by `customer`, `state`, "
    "`relationship_manager`; `ordering` by customer, review_due, created. Creating one (for a "
    "customer without an agreement) makes version 1, a draft: `latest_version_id` names it.",
)
class AgreementViewSet(ServiceViewSet):
    model = Agreement
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()  # the schema: the model's shape, no tenant
        latest = AgreementVersion.objects.filter(agreement_id=OuterRef("pk")).order_by("-number")
        qs = super().get_queryset().select_related("customer")
        return (
            selectors.with_state(qs)
            .annotate(latest_version_id=Subquery(latest.values("pk")[:1]))
            .order_by("customer__name", "pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        draft = services.agreement_draft_create(
            customer=data["customer"],
            actor=_actor(self.request),
            relationship_philosophy=data.get("relationship_philosophy", ""),
        )
        serializer.instance = self.get_queryset().get(pk=draft.agreement_id)


class FirstRenderer(BaseContentNegotiation):
    """The PDF download answers a PDF whatever the Accept header asks, and its errors in JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


VERSION = serializers.AgreementVersionSerializer


class SealedCopyMissing(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "sealed_copy_missing"


MISSING_COPY = (
    "The sealed PDF of version {number} is recorded but its file is missing from the file "
    "storage. Nothing has changed in the agreement; an administrator restores the file from "
    "the backup of the storage."
)
NEW_DRAFT = OpenApiResponse(VERSION, description="The new draft.")


@extend_schema_view(
    list=extend_schema(
        summary="List agreement versions",
        description="Versions of the office's agreements, newest first, without their sections "
        "(read one version for those). Filter by `agreement`, `customer`, `status`.",
    ),
    retrieve=extend_schema(
        summary="One agreement version",
        description="A version with every section (rows in order) and its signatures.",
    ),
    partial_update=extend_schema(
        summary="Change a draft",
        description="Only a draft changes (any other version answers 400). Give "
        "`relationship_philosophy` and any of the sections `partner_plan`, `engagement`, "
        "`objectives`, `action_plan`, each as the whole list of its rows: a row with the `id` "
        "of one of the section's rows changes it, a row without an id is added, a row left out "
        "is deleted, and the list's order becomes the section's. All or nothing; errors name "
        "the row, e.g. `engagement.1.weekday`. Audited.",
    ),
)
class AgreementVersionViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, RowListModelMixin, TenantGenericViewSet
):
    model = AgreementVersion
    filterset_class = filters.AgreementVersionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().select_related("agreement")
        if self.action == "retrieve":
            qs = qs.prefetch_related("signatures")
        return qs.order_by("agreement_id", "-number", "pk")

    def get_serializer_class(self):
        return {
            "list": serializers.AgreementVersionListSerializer,
            "submit": serializers.SubmitSerializer,
            "withdraw": serializers.WithdrawSerializer,
        }.get(self.action, VERSION)

    def _answer(self, version, code=status.HTTP_200_OK):
        version = self.get_queryset().prefetch_related("signatures").get(pk=version.pk)
        return Response(VERSION(version, context=self.get_serializer_context()).data, status=code)

    def perform_update(self, serializer):
        serializer.instance = services.version_draft_update(
            version=serializer.instance, actor=_actor(self.request), **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        return self._answer(self.get_object()) if response.status_code == 200 else response

    @extend_schema(
        summary="Submit a draft for signature",
        description="Names the four signers (membership ids) and freezes the version: its "
        "content SHA-256 is stored and it never changes again. A signer who may not sign "
        "(a purchaser, no budget mandate, not the customer's RM or business manager, the same "
        "person twice) is a 400 naming the role. People sign on the staff pages and the "
        "portal: there is no signing through the API.",
        request=serializers.SubmitSerializer,
        responses={200: VERSION},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        version = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.version_submit(
            version=version, actor=_actor(request), signers=dict(body.validated_data)
        )
        return self._answer(version)

    @extend_schema(
        summary="Withdraw a version from signature",
        description="The signatures gathered so far are voided and kept; the answer is the new "
        "draft, a copy of the version, to change and submit again.",
        request=serializers.WithdrawSerializer,
        responses={201: NEW_DRAFT},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        version = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = services.version_withdraw(
            version=version, actor=_actor(request), reason=body.validated_data.get("reason", "")
        )
        return self._answer(draft, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revise the version in force",
        description="A new draft copied from the version in force, which stays in force until "
        "the new one is signed. Only the version in force is revised (else 400).",
        request=None,
        responses={201: NEW_DRAFT},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        draft = services.version_revise(version=self.get_object(), actor=_actor(request))
        return self._answer(draft, status.HTTP_201_CREATED)

    @extend_schema(
        summary="The version as a PDF",
        description="A version in force (or superseded) answers the sealed PDF stored when it "
        "came into force, byte for byte; any other version is rendered now, unsealed (a draft "
        "says DRAFT on every page).",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="A PDF.")
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=FirstRenderer)
    def pdf(self, request, pk=None):
        version = self.get_object()
        try:
            content = pdf.version_pdf_bytes(version)
        except pdf.SealedCopyMissing as missing:
            raise SealedCopyMissing(MISSING_COPY.format(number=version.number)) from missing
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf.pdf_filename(version)}"'
        response["Cache-Control"] = "private, no-store"
        return response
