"""/api/v1/kpis/: the office's metrics from the daily snapshots, for BI tools (read keys too)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from brm.api.viewsets import TenantGenericViewSet
from reports.models import MetricSnapshot

from .filters import MetricSnapshotFilterSet
from .serializers import MetricSnapshotSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List the office's KPI snapshots",
        description="The daily snapshots of the office's metrics, by metric then day. Filter "
        "by `metric`, `scope` (office by default; rm or customer with `scope_id`, division "
        "with `division`), `since` and `until` (days, both included) and `period` (day by "
        "default; month or quarter: the value at each period's last snapshot).",
    ),
)
class MetricSnapshotViewSet(mixins.ListModelMixin, TenantGenericViewSet):
    model = MetricSnapshot
    serializer_class = MetricSnapshotSerializer
    filterset_class = MetricSnapshotFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("metric", "day", "window", "pk")
