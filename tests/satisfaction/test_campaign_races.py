"""Each campaign job happens once with two dispatchers and workers racing (committed rows,
their own connections): one invitation per contact, one email per invitation and reminder,
each delivered once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run, outbox_deliver, outbox_dispatch
from brm.tenancy.context import tenant_context
from satisfaction import campaigns
from satisfaction.models import Invitation, InvitationToken
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)
from tests.satisfaction.workers_kit import draft

pytestmark = pytest.mark.django_db(transaction=True)


def _race(work) -> list:
    barrier = threading.Barrier(2)
    errors, results = [], []

    def run():
        try:
            barrier.wait(5)
            results.append(work())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    return results


def _job(tenant, handler):
    with tenant_context(tenant):
        return DueJob.objects.get(handler=handler)


def _dispatch_and_run(tenant, job, now):
    def work():
        due_job_dispatch(now=now)
        return due_job_run(tenant_id=tenant.pk, job_id=job.pk)

    return work


def _dispatch_and_deliver(tenant):
    def work():
        outbox_dispatch()
        with tenant_context(tenant):
            ids = list(OutboxMessage.objects.values_list("pk", flat=True))
        return [outbox_deliver(tenant_id=tenant.pk, message_id=pk) for pk in ids]

    return work


def test_the_opening_and_a_reminder_happen_once_with_dispatchers_and_workers_racing(
    tenant_a,
    sworld,
    redis_server,  # noqa: F811
):
    with tenant_context(tenant_a):
        campaign = campaigns.campaign_schedule(
            campaign=draft(sworld, opens_at=timezone.now() + timedelta(minutes=5)),
            actor=sworld.rm,
        )
    opening = _job(tenant_a, campaigns.OPEN_JOB)
    at = opening.due_at + timedelta(seconds=1)
    assert sorted(_race(_dispatch_and_run(tenant_a, opening, at))) == ["done", "skipped"]

    with tenant_context(tenant_a):
        assert Invitation.objects.filter(campaign=campaign).count() == 4
        assert InvitationToken.objects.count() == 4
        assert OutboxMessage.objects.filter(key__startswith="satisfaction.invite:").count() == 4

    delivered = _race(_dispatch_and_deliver(tenant_a))
    assert sorted(r for results in delivered for r in results).count("sent") == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [sworld.bea.email, sworld.carl.email, sworld.paul.email, sworld.olga.email]
    )
    with tenant_context(tenant_a):
        assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}

    with tenant_context(tenant_a):
        reminder = DueJob.objects.filter(handler=campaigns.REMIND_JOB).order_by("due_at").first()
    at = reminder.due_at + timedelta(seconds=1)
    assert sorted(_race(_dispatch_and_run(tenant_a, reminder, at))) == ["done", "skipped"]
    with tenant_context(tenant_a):
        assert OutboxMessage.objects.filter(key__startswith="satisfaction.reminder:").count() == 4
        assert set(Invitation.objects.values_list("reminders_sent", flat=True)) == {1}


def test_two_openings_at_once_invite_once(tenant_a, sworld):
    """Two handlers of the same campaign at the same moment (a swept job run again beside the
    first): the campaign's row lock lets one open it, the other finds it open."""
    with tenant_context(tenant_a):
        campaign = campaigns.campaign_schedule(
            campaign=draft(sworld, opens_at=timezone.now() - timedelta(minutes=1)),
            actor=sworld.rm,
        )

    def work():
        with tenant_context(tenant_a):
            return campaigns.campaign_open(campaign)

    results = _race(work)
    assert sorted(r is None for r in results) == [False, True]
    with tenant_context(tenant_a):
        assert Invitation.objects.filter(campaign=campaign).count() == 4
        assert OutboxMessage.objects.filter(key__startswith="satisfaction.invite:").count() == 4
