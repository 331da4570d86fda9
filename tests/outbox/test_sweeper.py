"""The sweeper takes back rows whose worker or broker message was lost - in flight for longer
than any task may run - and leaves everything younger, finished or failed alone."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from brm.outbox import services
from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.registry import due_job_handler
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db

STUCK_AFTER = 600


@due_job_handler("tests.sweeper.noop")
def noop(job):
    pass


@pytest.fixture(autouse=True)
def _settings():
    with override_settings(OUTBOX_STUCK_AFTER=STUCK_AFTER, OUTBOX_MAX_ATTEMPTS=8):
        yield


def _message(tenant, key, status, claimed_seconds_ago, attempts=1):
    with tenant_context(tenant):
        message = services.outbox_enqueue(key=key, to="a@example.test", subject=key, text="t")
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status,
            attempts=attempts,
            claimed_at=timezone.now() - timedelta(seconds=claimed_seconds_ago),
        )
        return message.pk


def _status(tenant, pk, model=OutboxMessage):
    return in_tenant(tenant, lambda: model.objects.values_list("status", flat=True).get(pk=pk))


def test_rows_in_flight_longer_than_the_timeout_are_queued_again(tenant_a, tenant_b):
    lost_send = _message(tenant_a, "lost-send", "sending", STUCK_AFTER + 5)
    lost_task = _message(tenant_b, "lost-task", "dispatched", STUCK_AFTER + 5)

    assert services.scheduled_work_sweep() == 2

    assert _status(tenant_a, lost_send) == "queued"
    assert _status(tenant_b, lost_task) == "queued"
    assert in_tenant(
        tenant_a, lambda: OutboxMessage.objects.get(pk=lost_send).next_attempt_at <= timezone.now()
    )


def test_young_finished_and_failed_rows_are_left_alone(tenant_a):
    young = _message(tenant_a, "young", "sending", STUCK_AFTER - 60)
    sent = _message(tenant_a, "sent", "sent", STUCK_AFTER * 3)
    failed = _message(tenant_a, "failed", "failed", STUCK_AFTER * 3)

    assert services.scheduled_work_sweep() == 0

    assert [_status(tenant_a, pk) for pk in (young, sent, failed)] == ["sending", "sent", "failed"]


def test_a_row_lost_on_its_last_allowed_attempt_fails(tenant_a):
    last = _message(tenant_a, "last", "sending", STUCK_AFTER + 5, attempts=8)

    services.scheduled_work_sweep()

    row = in_tenant(tenant_a, lambda: OutboxMessage.objects.get(pk=last))
    assert row.status == "failed"
    assert "lost" in row.last_error


def test_stuck_due_jobs_are_queued_again_too(tenant_a):
    with tenant_context(tenant_a):
        job = services.due_job_schedule(
            handler="tests.sweeper.noop", key="j", due_at=timezone.now() + timedelta(hours=1)
        )
        DueJob.objects.filter(pk=job.pk).update(
            status=DueJob.Status.RUNNING,
            attempts=1,
            claimed_at=timezone.now() - timedelta(seconds=STUCK_AFTER + 5),
        )

    assert services.scheduled_work_sweep() == 1

    assert _status(tenant_a, job.pk, DueJob) == "queued"
