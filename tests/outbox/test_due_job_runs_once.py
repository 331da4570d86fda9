"""Jobs due now run exactly once even with two dispatchers and two workers racing on
PostgreSQL, each thread with its own connection: every dispatcher claims a disjoint share, and
every worker tries every job (as duplicate broker deliveries would)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.registry import due_job_handler
from brm.outbox.services import due_job_dispatch, due_job_run, due_job_schedule, outbox_enqueue
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db(transaction=True)

N = 200
RUNS: Counter = Counter()
LOCK = threading.Lock()


@due_job_handler("tests.race.remind")
def remind(job):
    with LOCK:
        RUNS[job.key] += 1
    outbox_enqueue(key=f"reminder:{job.key}", to="a@example.test", subject=job.key, text="t")


def test_jobs_due_now_run_once_with_two_dispatchers_and_workers_racing(
    tenant_a, tenant_b, redis_server
):
    RUNS.clear()
    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant):
            for i in range(N // 2):
                # Scheduled for later (so not published on commit), then made due: only the
                # dispatchers hand them out.
                due_job_schedule(
                    handler="tests.race.remind",
                    key=f"{tenant.slug}-{i}",
                    due_at=timezone.now() + timedelta(minutes=1),
                )
            DueJob.objects.update(next_attempt_at=timezone.now())
    jobs = [(t.pk, pk) for t in (tenant_a, tenant_b) for pk in _job_ids(t)]
    barrier = threading.Barrier(2)
    claimed, errors = [], []

    def dispatcher_then_worker():
        try:
            barrier.wait(5)
            claimed.append(due_job_dispatch())
            for tenant_id, job_id in jobs:
                due_job_run(tenant_id=tenant_id, job_id=job_id)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with override_settings(OUTBOX_DISPATCH_BATCH=10):
        threads = [threading.Thread(target=dispatcher_then_worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)

    assert errors == []
    assert sum(claimed) == N
    assert len(RUNS) == N and set(RUNS.values()) == {1}, RUNS.most_common(3)
    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant):
            assert set(DueJob.objects.values_list("status", flat=True)) == {"done"}
            assert OutboxMessage.objects.count() == N // 2


def _job_ids(tenant):
    return in_tenant(tenant, lambda: list(DueJob.objects.values_list("pk", flat=True)))
