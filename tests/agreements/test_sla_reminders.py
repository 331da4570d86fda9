"""A finished period of a line in force without a measurement reminds the line's owner once,
through the outbox, at 09:00 of the office's day after the period."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from agreements import periods, services
from agreements.models import Agreement
from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from tests.agreements.conftest import agreement_in_force, months_ago, record
from tests.kit import in_tenant


def _payload(agreement, period, key="erp-availability"):
    return {
        "agreement": agreement.pk,
        "key": key,
        "period": "month",
        "start": period[0].isoformat(),
        "end": period[1].isoformat(),
    }


def _reminders(tenant):
    return in_tenant(
        tenant, lambda: list(OutboxMessage.objects.filter(key__startswith="sla-missing-mail:"))
    )


@pytest.mark.django_db
def test_coming_into_force_schedules_a_check_after_the_current_period(tenant_a, world):
    line = agreement_in_force(world)
    with in_tenant(tenant_a):
        job = DueJob.objects.get(handler=services.SLA_REMINDER)
    start, end = periods.period_containing("month", timezone.localdate())
    assert job.payload == _payload(line.version.agreement, (start, end))
    expected = datetime.combine(end + timedelta(days=1), time(9), tzinfo=tenant_a.zone)
    assert job.due_at == expected


@pytest.mark.django_db
def test_the_check_is_due_at_nine_in_the_offices_time_zone(tenant_a, world):
    tenant_a.time_zone = "America/New_York"
    tenant_a.save()
    line = agreement_in_force(world)
    with in_tenant(tenant_a):
        job = DueJob.objects.get(handler=services.SLA_REMINDER)
    local = job.due_at.astimezone(tenant_a.zone)
    assert (local.hour, local.minute, local.day) == (9, 0, 1)
    assert line.period == "month"


@pytest.mark.django_db
def test_a_missing_measurement_reminds_the_lines_owner_once_and_the_next_check_follows(
    tenant_a, world
):
    line = agreement_in_force(world)
    agreement = line.version.agreement
    period = months_ago(1)
    with in_tenant(tenant_a):
        agreement = Agreement.objects.get(pk=agreement.pk)
        assert services.sla_measurement_missing_check(
            agreement=agreement, payload=_payload(agreement, period)
        )
        services.sla_measurement_missing_check(
            agreement=agreement, payload=_payload(agreement, period)
        )
        next_check = DueJob.objects.get(key__endswith=f":{months_ago(0)[0].isoformat()}")
    (mail,) = _reminders(tenant_a)
    assert mail.to == [world.rm.user.email]  # no owner, no service owner: the RM
    assert "ERP · Availability" in mail.subject and f"{period[0]:%Y-%m}" in mail.subject
    assert f"/t/{tenant_a.slug}/agreements/{agreement.pk}/sla/" in mail.text
    assert next_check.payload["start"] == months_ago(0)[0].isoformat()


@pytest.mark.django_db
def test_a_measured_period_reminds_nobody(tenant_a, world):
    line = agreement_in_force(world)
    record(world, line, 1, "99.9")
    with in_tenant(tenant_a):
        agreement = Agreement.objects.get(pk=line.version.agreement_id)
        reminded = services.sla_measurement_missing_check(
            agreement=agreement, payload=_payload(agreement, months_ago(1))
        )
    assert reminded is False and _reminders(tenant_a) == []


@pytest.mark.django_db(transaction=True)
def test_the_reminder_is_sent_once_with_two_dispatchers_racing(tenant_a, world, monkeypatch):
    agreement_in_force(world, days=1)
    # 40 days on: the month the version came into force in has finished, unmeasured.
    later = timezone.now() + timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)

    def sla_jobs():
        return DueJob.objects.filter(handler=services.SLA_REMINDER)

    jobs = in_tenant(tenant_a, lambda: list(sla_jobs().values_list("pk", flat=True)))
    barrier = threading.Barrier(2)
    errors = []

    def dispatcher_then_worker():
        try:
            barrier.wait(5)
            due_job_dispatch(now=later)
            for job_id in jobs:
                due_job_run(tenant_id=tenant_a.pk, job_id=job_id)
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
    assert len(_reminders(tenant_a)) == 1
    with tenant_context(tenant_a):
        statuses = sorted(sla_jobs().values_list("status", flat=True))
    assert statuses == ["done", "queued"]  # the checked period, and the next one's check
