"""How the reports area's records appear to the cross-tenant harness: a snapshot of tenant B
that tenant A's KPI list must never show."""

from reports.models import MetricSnapshot, ScopeKind, Window
from tests.isolation import MARKER, marked_rows
from tests.kit import in_tenant


@marked_rows
def kpi_snapshot(tenant):
    from datetime import date

    with in_tenant(tenant):
        MetricSnapshot.objects.create(
            day=date(2026, 1, 31),
            metric=MARKER,
            scope_kind=ScopeKind.OFFICE,
            window=Window.STATE,
            value=1,
        )
