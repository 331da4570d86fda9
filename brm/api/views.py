"""API endpoints of the core: the key's office and its members (read-only)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from brm.tenancy.models import Membership, Role

from .filters import MembershipFilterSet
from .serializers import MembershipSerializer, TenantSerializer
from .viewsets import TenantReadOnlyModelViewSet


class TenantView(generics.GenericAPIView):
    serializer_class = TenantSerializer

    @extend_schema(
        summary="The office of this API key",
        description="The office (tenant) the key belongs to; every other endpoint works in it.",
    )
    def get(self, request):
        return Response(self.get_serializer(request.tenant).data)


@extend_schema_view(
    list=extend_schema(
        summary="List the office's members",
        description="Staff and portal members of the office, ordered by email. "
        "Filter by `role`, `is_active` or exact `email`.",
    ),
    retrieve=extend_schema(
        summary="One member", description="A member of the office, by membership id."
    ),
)
class MembershipViewSet(TenantReadOnlyModelViewSet):
    model = Membership
    session_roles = (Role.ADMIN,)  # in the browser, like the members page: admins only
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("user").order_by("user__email", "pk")


class NotFoundView(APIView):
    """Any other path under /api/v1/: 404 in the API's error shape, not an HTML page."""

    schema = None
    permission_classes = [permissions.AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
