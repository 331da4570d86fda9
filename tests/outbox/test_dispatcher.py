"""The dispatcher tick finds due rows in every active tenant - under FORCE row-level security,
as the runtime role - hands each to the broker exactly once, and leaves the rest alone."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from brm.outbox import services
from brm.outbox.models import OutboxMessage
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant

from .conftest import publishing_to
from .helpers import enqueue_many, queued_tasks, status_counts
from .servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)

SOON = timedelta(minutes=5)


def _due_now(tenant):
    """Rows queued for later whose time has come (time passes in the test by an UPDATE)."""
    with tenant_context(tenant):
        OutboxMessage.objects.filter(status=OutboxMessage.QUEUED).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1)
        )


def test_due_emails_of_every_tenant_reach_the_broker_once(tenant_a, tenant_b, redis_server):
    for tenant in (tenant_a, tenant_b):
        enqueue_many(tenant, 3, send_at=timezone.now() + SOON)
        _due_now(tenant)

    assert services.outbox_dispatch() == 6
    assert services.outbox_dispatch() == 0  # already handed out

    assert status_counts(tenant_a) == status_counts(tenant_b) == {"dispatched": 3}
    assert queued_tasks(redis_server.url, "email") == 6


def test_emails_not_yet_due_stay_queued(tenant_a, redis_server):
    enqueue_many(tenant_a, 2, send_at=timezone.now() + SOON)

    assert services.outbox_dispatch() == 0

    assert status_counts(tenant_a) == {"queued": 2}
    assert queued_tasks(redis_server.url, "email") == 0


def test_an_inactive_tenant_sends_nothing(tenant_a, redis_server):
    enqueue_many(tenant_a, 2, send_at=timezone.now() + SOON)
    _due_now(tenant_a)
    Tenant.objects.filter(pk=tenant_a.pk).update(is_active=False)

    assert services.outbox_dispatch() == 0


def test_two_dispatchers_racing_hand_out_each_email_once(tenant_a, redis_server):
    enqueue_many(tenant_a, 300, send_at=timezone.now() + SOON)
    _due_now(tenant_a)
    barrier = threading.Barrier(2)
    claimed, errors = [], []

    def dispatcher():
        try:
            barrier.wait(5)
            claimed.append(services.outbox_dispatch())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    # Many small transactions, so the two dispatchers really interleave.
    with override_settings(OUTBOX_DISPATCH_BATCH=10):
        threads = [threading.Thread(target=dispatcher) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

    assert errors == []
    assert sum(claimed) == 300
    assert status_counts(tenant_a) == {"dispatched": 300}
    assert queued_tasks(redis_server.url, "email") == 300


def test_with_the_broker_down_due_emails_go_back_to_the_queue(tenant_a, redis_server):
    enqueue_many(tenant_a, 3, send_at=timezone.now() + SOON)
    _due_now(tenant_a)

    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        services.outbox_dispatch()

    assert status_counts(tenant_a) == {"queued": 3}
    services.outbox_dispatch()  # the broker is back
    assert status_counts(tenant_a) == {"dispatched": 3}
    assert queued_tasks(redis_server.url, "email") == 3


def test_an_email_queued_while_the_broker_is_down_waits_in_the_database(tenant_a, redis_server):
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        enqueue_many(tenant_a, 2)  # the caller sees no error

    assert status_counts(tenant_a) == {"queued": 2}
    services.outbox_dispatch()
    assert queued_tasks(redis_server.url, "email") == 2
