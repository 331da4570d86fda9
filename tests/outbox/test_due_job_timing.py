"""A job runs when it is due, not before: the dispatcher leaves a future job alone, and a stray
task for it does nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob
from brm.outbox.registry import due_job_handler
from brm.outbox.services import due_job_dispatch, due_job_run, due_job_schedule
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db

RUNS = []


@due_job_handler("tests.timing.record")
def record(job):
    RUNS.append(job.key)


@pytest.fixture(autouse=True)
def _clear():
    RUNS.clear()


def _status(tenant, job):
    return in_tenant(tenant, lambda: DueJob.objects.values_list("status", flat=True).get(pk=job.pk))


def test_a_job_in_the_future_does_not_run(tenant_a):
    with tenant_context(tenant_a):
        job = due_job_schedule(
            handler="tests.timing.record", key="later", due_at=timezone.now() + timedelta(hours=1)
        )

    assert due_job_dispatch() == 0
    assert due_job_run(tenant_id=tenant_a.pk, job_id=job.pk) == "skipped"  # a stray task

    assert RUNS == []
    assert _status(tenant_a, job) == "queued"


def test_the_same_job_runs_once_its_time_has_come(tenant_a):
    due_at = timezone.now() + timedelta(hours=1)
    with tenant_context(tenant_a):
        job = due_job_schedule(handler="tests.timing.record", key="later", due_at=due_at)

    assert due_job_dispatch(now=due_at + timedelta(seconds=1)) == 1
    assert due_job_run(tenant_id=tenant_a.pk, job_id=job.pk) == "done"

    assert RUNS == ["later"]
    assert _status(tenant_a, job) == "done"


def test_a_job_due_now_is_handed_to_a_worker_at_once(tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), django_capture_on_commit_callbacks() as published:
        job = due_job_schedule(handler="tests.timing.record", key="now", due_at=timezone.now())

    assert len(published) == 1
    assert _status(tenant_a, job) == "dispatched"
