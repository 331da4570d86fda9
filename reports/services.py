"""Writing the office's daily snapshots (the daily job) and rebuilding a past range (the
`reports_rebuild` command). Both run in the current office."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from brm.audit.services import audit_record
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Tenant
from customers.models import Customer

from . import metrics
from .metrics import Metric, Scope
from .models import MetricSnapshot, ScopeKind


def snapshot_scopes() -> list[Scope]:
    """Every scope a snapshot is written for: the office, each relationship manager holding a
    customer that is not dormant, each division of those customers, and each of them; three
    queries."""
    live = Customer.objects.exclude(status=Customer.Status.DORMANT)
    rms = live.values_list("relationship_manager_id", flat=True).distinct().order_by()
    divisions = live.exclude(division="").values_list("division", flat=True).distinct().order_by()
    customer_ids = live.values_list("pk", flat=True).order_by("pk")
    return [
        metrics.OFFICE,
        *(Scope(ScopeKind.RM, str(pk)) for pk in sorted(rms)),
        *(Scope(ScopeKind.DIVISION, name) for name in sorted(divisions)),
        *(Scope(ScopeKind.CUSTOMER, str(pk)) for pk in customer_ids),
    ]


def _rows(day: date, chosen: Iterable[Metric], scopes: list[Scope]) -> list[MetricSnapshot]:
    tenant_id = current_tenant_id()  # bulk_create skips save(), which sets it
    rows = []
    with metrics.shared_reads():
        for scope, metric in ((s, m) for s in scopes for m in chosen):
            for window in metric.windows:
                figure = metrics.metric_value(metric, day=day, scope=scope, window=window)
                rows.append(
                    MetricSnapshot(
                        tenant_id=tenant_id,
                        day=day,
                        metric=metric.key,
                        scope_kind=scope.kind,
                        scope_id=scope.id,
                        window=window,
                        value=figure.value,
                        n=figure.n,
                        low=figure.low,
                        high=figure.high,
                    )
                )
    return rows


@transaction.atomic
def snapshots_write(*, day: date) -> int:
    """The day's snapshots of every metric and scope, written once: a day that has snapshots
    already is left as it is (a second run writes nothing). Returns how many were written."""
    if MetricSnapshot.objects.filter(day=day).exists():
        return 0
    rows = _rows(day, metrics.METRICS, snapshot_scopes())
    MetricSnapshot.objects.bulk_create(rows)
    return len(rows)


def snapshots_rebuild(*, since: date, until: date) -> int:
    """Recompute the snapshots of the metrics the records keep the history of, for every day
    from `since` to `until` (both included), replacing what was written; one transaction a day.
    The metrics measured as of now (metrics.Metric.exact false) keep the snapshots the daily job
    wrote: today's state is not what those days were. Returns how many rows were written."""
    if since > until:
        raise ValueError("since is after until")
    exact = [m for m in metrics.METRICS if m.exact]
    keys = [m.key for m in exact]
    scopes = snapshot_scopes()
    written = 0
    day = since
    while day <= until:
        with transaction.atomic():
            MetricSnapshot.objects.filter(day=day, metric__in=keys).delete()
            rows = _rows(day, exact, scopes)
            MetricSnapshot.objects.bulk_create(rows)
            written += len(rows)
        day += timedelta(days=1)
    return written


def snapshots_rebuild_record(*, since: date, until: date, written: int) -> None:
    """The office's history says who changed its past figures: a rebuild is audited (by the
    operator's command, so without a person), with its range and how many rows it wrote."""
    audit_record(
        actor=None,
        action="reports.snapshots_rebuilt",
        obj=Tenant.objects.get(pk=current_tenant_id()),
        changes={
            "range": [None, f"{since.isoformat()}..{until.isoformat()}"],
            "rows": [None, written],
        },
    )
