"""Daily jobs: each registered daily handler runs once a day in every active office, at its
time in the office's own zone, however many ticks (or beats) there are; a day without ticks is
not run late, the tick that comes next makes today's job only."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from brm.outbox.models import DueJob
from brm.outbox.registry import daily_job
from brm.outbox.services import daily_jobs_schedule, due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db

NAME = "tests.daily.count"
runs: list[tuple[int, str]] = []


@daily_job(NAME, at=time(7, 0))
def count(job):
    runs.append((job.tenant_id, job.payload["date"]))


@pytest.fixture(autouse=True)
def _offices(tenant_a, tenant_b):
    runs.clear()
    for tenant, zone in ((tenant_a, "Europe/Amsterdam"), (tenant_b, "Australia/Sydney")):
        tenant.time_zone = zone
        tenant.save(update_fields=["time_zone"])


def _jobs(tenant) -> list[DueJob]:
    with in_tenant(tenant):
        return list(DueJob.objects.filter(handler=NAME).order_by("due_at"))


def _run_due(tenant, now) -> list[str]:
    due_job_dispatch(now=now)
    with tenant_context(tenant):
        ids = list(
            DueJob.objects.filter(handler=NAME, status=DueJob.DISPATCHED).values_list(
                "pk", flat=True
            )
        )
    return [due_job_run(tenant_id=tenant.pk, job_id=pk) for pk in ids]


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_two_ticks_on_one_day_make_one_job_an_office(tenant_a, tenant_b):
    daily_jobs_schedule(now=_utc(2030, 3, 1, 12, 0))
    daily_jobs_schedule(now=_utc(2030, 3, 1, 12, 5))

    assert [j.key for j in _jobs(tenant_a)] == [f"daily:{NAME}:2030-03-01"]
    assert [j.key for j in _jobs(tenant_b)] == [f"daily:{NAME}:2030-03-01"]


def test_each_office_gets_its_own_date_and_its_own_seven_in_the_morning(tenant_a, tenant_b):
    # 20:00 UTC: 21:00 on the 1st in Amsterdam, already 07:00 on the 2nd in Sydney.
    daily_jobs_schedule(now=_utc(2030, 3, 1, 20, 0))

    (amsterdam,) = _jobs(tenant_a)
    (sydney,) = _jobs(tenant_b)
    assert amsterdam.payload == {"date": "2030-03-01"}
    assert amsterdam.due_at == _utc(2030, 3, 1, 6, 0)  # 07:00 CET
    assert sydney.payload == {"date": "2030-03-02"}
    assert sydney.due_at == _utc(2030, 3, 1, 20, 0)  # 07:00 AEDT


def test_the_job_runs_once_however_often_the_tick_and_the_dispatcher_come(tenant_a):
    day_before = _utc(2030, 3, 1, 5, 0)  # 06:00 in Amsterdam: scheduled, not due yet
    daily_jobs_schedule(now=day_before)
    assert _run_due(tenant_a, day_before) == []

    seven = _utc(2030, 3, 1, 6, 1)
    assert _run_due(tenant_a, seven) == ["done"]
    daily_jobs_schedule(now=seven + timedelta(minutes=5))
    assert _run_due(tenant_a, seven + timedelta(minutes=5)) == []

    assert [r for r in runs if r[0] == tenant_a.pk] == [(tenant_a.pk, "2030-03-01")]


def test_a_day_without_ticks_is_not_run_late_the_next_tick_makes_only_today(tenant_a):
    daily_jobs_schedule(now=_utc(2030, 3, 1, 9, 0))
    daily_jobs_schedule(now=_utc(2030, 3, 3, 9, 0))  # the beat was down on the 2nd

    assert [j.payload["date"] for j in _jobs(tenant_a)] == ["2030-03-01", "2030-03-03"]


def test_an_inactive_office_gets_no_daily_job(tenant_a, tenant_b):
    tenant_b.is_active = False
    tenant_b.save(update_fields=["is_active"])

    daily_jobs_schedule(now=_utc(2030, 3, 1, 12, 0))

    assert len(_jobs(tenant_a)) == 1
    assert _jobs(tenant_b) == []


def test_the_office_date_is_kept_across_a_daylight_saving_change(tenant_a):
    # Amsterdam moves to summer time on the last Sunday of March 2030 (the 31st).
    daily_jobs_schedule(now=_utc(2030, 3, 31, 3, 0))
    (job,) = _jobs(tenant_a)
    assert date.fromisoformat(job.payload["date"]) == date(2030, 3, 31)
    assert job.due_at == _utc(2030, 3, 31, 5, 0)  # 07:00 CEST
