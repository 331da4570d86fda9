"""due_job_schedule: one job per key and tenant, a handler that exists, an aware time kept in
UTC, the record it is about; a job not yet run can be cancelled."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob
from brm.outbox.registry import due_job_handler
from brm.outbox.services import due_job_cancel, due_job_dispatch, due_job_schedule
from brm.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@due_job_handler("tests.schedule.noop")
def noop(job):
    pass


def test_scheduling_twice_with_the_same_key_makes_one_job(tenant_a, admin_a):
    later = timezone.now() + timedelta(days=1)
    with tenant_context(tenant_a):
        first = due_job_schedule(
            handler="tests.schedule.noop", key="k", due_at=later, payload={"n": 1}, obj=admin_a
        )
        second = due_job_schedule(
            handler="tests.schedule.noop", key="k", due_at=later + timedelta(hours=1)
        )
        assert second.pk == first.pk and second.due_at == later
        assert DueJob.objects.count() == 1
    assert (first.object_type, first.object_id) == ("tenancy.membership", str(admin_a.pk))
    assert first.payload == {"n": 1}


def test_a_local_time_is_stored_as_the_same_instant_in_utc(tenant_a):
    brussels = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    with tenant_context(tenant_a):
        job = due_job_schedule(handler="tests.schedule.noop", key="k", due_at=brussels)
        job.refresh_from_db()
    assert job.due_at == brussels
    assert job.due_at.utcoffset() == timedelta(0)
    assert job.due_at.hour == 8


def test_an_unknown_handler_is_refused_when_scheduling(tenant_a):
    with tenant_context(tenant_a), pytest.raises(LookupError, match="nobody.registered"):
        due_job_schedule(handler="nobody.registered", key="k", due_at=timezone.now())


def test_a_naive_time_is_refused(tenant_a):
    with tenant_context(tenant_a), pytest.raises(ValueError, match="aware"):
        due_job_schedule(handler="tests.schedule.noop", key="k", due_at=datetime(2027, 1, 1))


def test_a_cancelled_job_is_never_dispatched(tenant_a):
    with tenant_context(tenant_a):
        due_job_schedule(
            handler="tests.schedule.noop", key="k", due_at=timezone.now() + timedelta(hours=1)
        )
        assert due_job_cancel(key="k") is True
        assert due_job_cancel(key="k") is False

    assert due_job_dispatch(now=timezone.now() + timedelta(hours=2)) == 0
