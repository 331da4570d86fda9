"""The daily job writes the day's snapshots once; the rebuild command recomputes a past range to
what the live computation said on those days, and leaves the as-of-now metrics as written."""

from datetime import date, datetime, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from brm.outbox.models import DueJob
from brm.outbox.services import daily_jobs_schedule, due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from reports import metrics, services, tasks
from reports.models import MetricSnapshot, ScopeKind, Window
from tests.factories import PurchaserFactory
from tests.kit import assert_audited, in_tenant

from .conftest import AMS

OCT_30, OCT_31 = date(2026, 10, 30), date(2026, 10, 31)


def run_snapshot_job(tenant, now) -> list[str]:
    daily_jobs_schedule(now=now)
    due_job_dispatch(now=now)
    with tenant_context(tenant):
        ids = list(
            DueJob.objects.filter(handler=tasks.SNAPSHOTS, status=DueJob.DISPATCHED).values_list(
                "pk", flat=True
            )
        )
    return [due_job_run(tenant_id=tenant.pk, job_id=pk) for pk in ids]


def rows(tenant, **filters):
    return in_tenant(tenant, lambda: list(MetricSnapshot.objects.filter(**filters)))


def as_dict(snapshots):
    return {
        (s.day, s.metric, s.scope_kind, s.scope_id, s.window): (s.value, s.n, s.low, s.high)
        for s in snapshots
    }


def live(day, chosen, scopes):
    return {
        (day, m.key, scope.kind, scope.id, window): tuple(
            getattr(metrics.metric_value(m, day=day, scope=scope, window=window), f)
            for f in ("value", "n", "low", "high")
        )
        for scope in scopes
        for m in chosen
        for window in m.windows
    }


def test_the_daily_job_writes_yesterdays_snapshots_once(kworld, tenant_a):
    now = datetime.combine(date(2026, 11, 1), time(0, 45), tzinfo=AMS)
    assert run_snapshot_job(tenant_a, now) == ["done"]
    written = rows(tenant_a)
    assert {s.day for s in written} == {OCT_31}
    with in_tenant(tenant_a):
        scopes = services.snapshot_scopes()
        assert as_dict(written) == live(OCT_31, metrics.METRICS, scopes)
    # office, two RMs, two divisions and the two customers that are not dormant
    assert [(s.kind, s.id) for s in scopes] == [
        (ScopeKind.OFFICE, ""),
        *sorted(
            [(ScopeKind.RM, str(kworld.rm.pk)), (ScopeKind.RM, str(kworld.other_rm.pk))],
            key=lambda p: int(p[1]),
        ),
        (ScopeKind.DIVISION, "Corporate"),
        (ScopeKind.DIVISION, "Operations"),
        *sorted(
            [
                (ScopeKind.CUSTOMER, str(kworld.finance.pk)),
                (ScopeKind.CUSTOMER, str(kworld.logistics.pk)),
            ],
            key=lambda p: int(p[1]),
        ),
    ]
    per_scope = sum(len(m.windows) for m in metrics.METRICS)
    assert len(written) == 7 * per_scope

    # Another tick the same day makes no second job; the handler run again writes nothing.
    assert run_snapshot_job(tenant_a, now) == []
    with in_tenant(tenant_a):
        job = DueJob.objects.get(handler=tasks.SNAPSHOTS)
        tasks.snapshots_daily(job)
        assert services.snapshots_write(day=OCT_31) == 0
    assert len(rows(tenant_a)) == len(written)


def test_a_rebuilt_range_equals_the_live_computation_of_those_days(kworld, tenant_a):
    with in_tenant(tenant_a):
        exact = [m for m in metrics.METRICS if m.exact]
        scopes = services.snapshot_scopes()
        expected = live(OCT_30, exact, scopes) | live(OCT_31, exact, scopes)
    out = StringIO()
    call_command(
        "reports_rebuild", office=tenant_a.slug, since="2026-10-30", until="2026-10-31", stdout=out
    )
    assert as_dict(rows(tenant_a)) == expected
    assert f"Rebuilt {len(expected)} snapshots" in out.getvalue()
    assert_audited(
        tenant_a,
        "reports.snapshots_rebuilt",
        obj=tenant_a,
        changes={"range": [None, "2026-10-30..2026-10-31"], "rows": [None, len(expected)]},
    )
    # Again: the same rows, replaced, not doubled.
    call_command("reports_rebuild", office=tenant_a.slug, since="2026-10-30", until="2026-10-31")
    assert as_dict(rows(tenant_a)) == expected
    assert len(rows(tenant_a)) == len(expected)


def test_a_rebuild_keeps_the_as_of_now_snapshots_the_job_wrote(kworld, tenant_a):
    with in_tenant(tenant_a):
        services.snapshots_write(day=OCT_31)
        PurchaserFactory(customer=kworld.logistics, name="Fleet", it_contact=kworld.other_rm)
    call_command("reports_rebuild", office=tenant_a.slug, since="2026-10-31", until="2026-10-31")
    kept = rows(tenant_a, metric="purchasers_it_contact", scope_kind=ScopeKind.OFFICE)
    assert [(s.value, s.n) for s in kept] == [(1, 3)]  # not today's 2 of 4
    reviews = rows(tenant_a, metric="reviews_held", scope_kind="office", window=Window.MONTH)
    assert [s.value for s in reviews] == [2]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"office": "nowhere"}, "No office"),
        ({"since": "2026-13-01"}, "is not a date"),
        ({"since": "2026-10-31", "until": "2026-10-01"}, "after --until"),
        ({"until": "2999-01-01"}, "must be a past day"),
        ({"since": "1990-01-01"}, "at most"),
    ],
)
def test_the_rebuild_command_refuses_bad_input(tenant_a, options, message):
    given = {"office": tenant_a.slug, "since": "2026-10-01", "until": "2026-10-31"} | options
    with pytest.raises(CommandError, match=message):
        call_command("reports_rebuild", **given)
    assert rows(tenant_a) == []
