"""A handler that raises: its writes are rolled back, the job is queued again after a backoff,
and after the last allowed attempt it is failed with the error kept."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.registry import due_job_handler
from brm.outbox.services import due_job_dispatch, due_job_run, due_job_schedule, outbox_enqueue
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


@due_job_handler("tests.retries.broken")
def broken(job):
    outbox_enqueue(key=f"from-job-{job.pk}", to="a@example.test", subject="s", text="t")
    raise RuntimeError("the meeting service is down")


def _job(tenant):
    return in_tenant(tenant, lambda: DueJob.objects.get())


def test_a_failing_handler_is_retried_then_recorded_as_failed(tenant_a):
    with tenant_context(tenant_a):
        job = due_job_schedule(handler="tests.retries.broken", key="k", due_at=timezone.now())

    with override_settings(OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_BASE=60):
        before = timezone.now()
        assert due_job_run(tenant_id=tenant_a.pk, job_id=job.pk) == "retry"
        row = _job(tenant_a)
        assert row.status == "queued" and row.attempts == 1
        assert row.last_error == "RuntimeError: the meeting service is down"
        assert row.next_attempt_at >= before + timedelta(seconds=60)
        assert due_job_dispatch() == 0  # not before the backoff is over

        outcomes = []
        for _ in range(2):
            assert due_job_dispatch(now=_job(tenant_a).next_attempt_at) == 1
            outcomes.append(due_job_run(tenant_id=tenant_a.pk, job_id=job.pk))

    assert outcomes == ["retry", "failed"]
    row = _job(tenant_a)
    assert row.status == "failed" and row.attempts == 3
    assert "the meeting service is down" in row.last_error
    assert in_tenant(tenant_a, lambda: not OutboxMessage.objects.exists())
