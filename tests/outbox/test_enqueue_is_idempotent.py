"""outbox_enqueue: one email per idempotency key and tenant, a Message-ID derived from the key,
and the send task published only when the caller's transaction commits."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_enqueue
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant


def _enqueue(key="invite:42", to="ada@example.test", subject="Welcome"):
    return outbox_enqueue(key=key, to=[to], subject=subject, text="Hello")


@pytest.mark.django_db
def test_enqueueing_twice_with_the_same_key_queues_one_email(
    tenant_a, django_capture_on_commit_callbacks
):
    with tenant_context(tenant_a):
        with django_capture_on_commit_callbacks() as published:
            first = _enqueue()
            second = _enqueue(to="someone-else@example.test", subject="Another subject")
        assert second.pk == first.pk
        assert second.subject == "Welcome"  # the first one wins, unchanged
        assert OutboxMessage.objects.count() == 1
    assert len(published) == 1  # one send task, published on commit


@pytest.mark.django_db
def test_the_message_id_is_derived_from_tenant_and_key(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        message = _enqueue()
    digest = hashlib.sha256(f"{tenant_a.pk}:invite:42".encode()).hexdigest()[:32]
    assert message.message_id == f"<{digest}@brm-office>"
    with tenant_context(tenant_b):
        other = _enqueue()
    assert other.message_id != message.message_id  # same key, other tenant: another email


@pytest.mark.django_db
def test_the_same_key_in_two_tenants_is_two_emails(tenant_a, tenant_b):
    with tenant_context(tenant_a):
        _enqueue()
    with tenant_context(tenant_b):
        _enqueue()
        assert OutboxMessage.objects.count() == 1
    assert in_tenant(tenant_a, lambda: OutboxMessage.objects.count() == 1)


@pytest.mark.django_db
def test_a_rolled_back_transaction_queues_and_publishes_nothing(
    tenant_a, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as published,
        pytest.raises(RuntimeError),
        tenant_context(tenant_a),
    ):
        _enqueue()
        raise RuntimeError("the change that caused the email failed")
    assert published == []
    assert in_tenant(tenant_a, lambda: not OutboxMessage.objects.exists())


@pytest.mark.django_db
def test_a_later_send_at_waits_for_the_dispatcher(tenant_a, django_capture_on_commit_callbacks):
    later = timezone.now() + timedelta(hours=2)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks() as published:
        message = outbox_enqueue(key="k", to="a@example.test", subject="s", text="t", send_at=later)
    assert published == []
    assert message.status == OutboxMessage.QUEUED
    assert message.next_attempt_at == later


@pytest.mark.django_db(transaction=True)
def test_two_transactions_racing_with_one_key_queue_one_email(tenant_a, redis_server):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def enqueue():
        try:
            with tenant_context(tenant_a):
                barrier.wait(5)
                results.append(_enqueue().pk)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enqueue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert in_tenant(tenant_a, lambda: OutboxMessage.objects.count() == 1)
