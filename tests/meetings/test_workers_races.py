"""The minutes-due and missed-cadence jobs run once with two dispatchers and workers racing:
one email, one missed period."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from brm.outbox.models import DueJob
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from meetings import services
from meetings.models import MissedCadence
from meetings.notifications import MINUTES_DUE, MISSED_CHECK
from tests.meetings.conftest import monthly_review
from tests.meetings.workers import held_in_the_past, jobs, mails, one_off
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)

pytestmark = pytest.mark.django_db(transaction=True)


def _race(tenant, job: DueJob) -> list[str]:
    now = max(job.due_at, timezone.now()) + timedelta(seconds=1)
    barrier = threading.Barrier(2)
    errors, results = [], []

    def dispatcher_then_worker():
        try:
            barrier.wait(5)
            due_job_dispatch(now=now)
            results.append(due_job_run(tenant_id=tenant.pk, job_id=job.pk))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher_then_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    return sorted(results)


def test_minutes_due_is_sent_once_with_dispatchers_racing(tenant_a, mworld, redis_server):  # noqa: F811
    with tenant_context(tenant_a):
        meeting = one_off(mworld, starts_at=timezone.now() + timedelta(days=1))
        held_in_the_past(mworld, meeting)
        (job,) = jobs(MINUTES_DUE, object_id=str(meeting.pk), status=DueJob.QUEUED)

    assert _race(tenant_a, job) == ["done", "skipped"]

    with tenant_context(tenant_a):
        assert len(mails(f"meetings-minutes-due:{meeting.pk}:")) == 1


def test_a_missed_period_is_recorded_and_alerted_once_with_dispatchers_racing(
    tenant_a,
    mworld,
    redis_server,  # noqa: F811
):
    with tenant_context(tenant_a):
        cadence = monthly_review(mworld, starts_on=timezone.localdate() + timedelta(days=1))
        first = cadence.meetings.order_by("starts_at").first()
        services.meeting_cancel(meeting=first, actor=mworld.rm.user)
        (job,) = jobs(MISSED_CHECK, payload__period_start=first.occurrence_date.isoformat())

    assert _race(tenant_a, job) == ["done", "skipped"]

    with tenant_context(tenant_a):
        assert MissedCadence.objects.count() == 1
        assert len(mails("meetings-missed-cadence:")) == 1
