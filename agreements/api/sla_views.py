"""API of the SLA appendix: its lines (read) and their measurements (list, create, correct).
Writes go through agreements.services, like the pages do."""

from django.db.models import BooleanField, Case, Value, When
from drf_spectacular.utils import extend_schema, extend_schema_view

from agreements import selectors, services
from agreements.models import SlaLine, SlaMeasurement
from brm.api.schema import crud_docs
from brm.api.viewsets import ServiceViewSet, TenantReadOnlyModelViewSet

from . import sla_filters, sla_serializers


def _record(*, actor, **data):
    return services.sla_measurement_record(actor=actor, source=SlaMeasurement.Source.API, **data)


def _correct(*, actor, measurement, **data):
    data.pop("line", None)  # checked by the serializer: the same line and period
    data.pop("period_start", None)
    data.pop("period_end", None)
    return services.sla_measurement_update(
        measurement=measurement, actor=actor, source=SlaMeasurement.Source.API, **data
    )


@extend_schema_view(
    list=extend_schema(
        summary="List SLA lines",
        description="SLA and OLA lines of the office's agreement versions, paginated. Filter by "
        "`agreement`, `customer`, `version`, `service`, `kind`, `key`. Lines are written with "
        "their version's draft; a frozen version's lines never change.",
    ),
    retrieve=extend_schema(summary="One SLA line", description="An SLA or OLA line, by id."),
)
class SlaLineViewSet(TenantReadOnlyModelViewSet):
    model = SlaLine
    serializer_class = sla_serializers.SlaLineSerializer
    filterset_class = sla_filters.SlaLineFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("version__agreement")
            .order_by("version_id", "position", "pk")
        )


@crud_docs(
    "SLA measurement",
    "SLA measurements",
    "Filter by `line`, `key`, `agreement`, `customer`, `period_start`, `period_from`, "
    "`period_to`. One measurement per agreement, line key and period: a second one is a 400 "
    "on `period_start`. Created with source `api`.",
)
class SlaMeasurementViewSet(ServiceViewSet):
    model = SlaMeasurement
    serializer_class = sla_serializers.SlaMeasurementSerializer
    filterset_class = sla_filters.SlaMeasurementFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create_service = _record
    update_service = _correct
    update_kwarg = "measurement"

    def get_queryset(self):
        qs = super().get_queryset().order_by("agreement_id", "line_key", "period_start", "pk")
        if self.action != "list":  # target_met reads the line; the list computes it in SQL
            qs = qs.select_related("line")
        return qs

    def get_list_columns(self):
        met = When(selectors.MET, then=Value(True))
        return {"target_met": Case(met, default=Value(False), output_field=BooleanField())}
