"""A URLconf for testing the API isolation harness itself: a writable endpoint with a relation to
a tenant-owned model (no real one exists yet), and one whose path is left unregistered."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.routers import SimpleRouter

from brm.api.serializers import TenantModelSerializer, TenantPrimaryKeyRelatedField
from brm.api.viewsets import TenantGenericViewSet
from brm.audit.models import AuditEvent
from brm.tenancy.models import Membership

PROBE_PATH = "/api/v1/probes/{id}/"


class ProbeSerializer(TenantModelSerializer):
    member = TenantPrimaryKeyRelatedField(queryset=Membership.objects, write_only=True)
    members = TenantPrimaryKeyRelatedField(
        queryset=Membership.objects, many=True, write_only=True, required=False
    )
    action = serializers.CharField()

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "member", "members"]


@extend_schema_view(
    create=extend_schema(summary="Probe"),
    partial_update=extend_schema(summary="Probe"),
    retrieve=extend_schema(summary="Probe"),
)
class ProbeViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    TenantGenericViewSet,
):
    model = AuditEvent
    serializer_class = ProbeSerializer
    http_method_names = ["get", "post", "patch"]

    def perform_create(self, serializer):
        raise AssertionError("the probe never saves")

    perform_update = perform_create


router = SimpleRouter()
router.register("probes", ProbeViewSet, basename="probe")
urlpatterns = [path("api/v1/", include(router.urls))]
