"""A failed send: temporary trouble (4xx, no connection) queues the email again after an
exponential, capped backoff, until the attempts run out; a 5xx answer fails it at once."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from brm.outbox import conf
from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_deliver, outbox_enqueue
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

from .servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(smtp_server):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_server.port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        OUTBOX_RETRY_BASE=60,
        OUTBOX_RETRY_CAP=3600,
        OUTBOX_MAX_ATTEMPTS=3,
    ):
        yield smtp_server.handler


def _queue(tenant, subject="Reminder"):
    with tenant_context(tenant):
        return outbox_enqueue(key=subject, to=["ada@example.test"], subject=subject, text="t")


def _deliver_again(tenant, message):
    """Time passes until the next attempt is due, and the dispatcher hands it out again."""
    with tenant_context(tenant):
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.DISPATCHED, next_attempt_at=timezone.now()
        )
    return outbox_deliver(tenant_id=tenant.pk, message_id=message.pk)


def _row(tenant, message):
    return in_tenant(tenant, lambda: OutboxMessage.objects.get(pk=message.pk))


def test_a_4xx_answer_queues_the_email_again_after_the_backoff(tenant_a, smtp):
    smtp.answers["Reminder"] = ["451 4.3.0 Try again later"]
    message = _queue(tenant_a)

    before = timezone.now()
    assert outbox_deliver(tenant_id=tenant_a.pk, message_id=message.pk) == "retry"

    row = _row(tenant_a, message)
    assert row.status == "queued" and row.attempts == 1
    assert "451 4.3.0 Try again later" in row.last_error
    assert before + timedelta(seconds=59) < row.next_attempt_at < before + timedelta(seconds=65)
    assert _deliver_again(tenant_a, message) == "sent"
    assert _row(tenant_a, message).attempts == 2
    assert smtp.counts() == {message.message_id: 1}


def test_an_unreachable_server_is_temporary_trouble(tenant_a):
    message = _queue(tenant_a)
    closed = free_port()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed,
        EMAIL_USE_TLS=False,
    ):
        assert outbox_deliver(tenant_id=tenant_a.pk, message_id=message.pk) == "retry"
    assert "Connection refused" in _row(tenant_a, message).last_error


def test_temporary_failures_stop_at_the_cap_and_fail_the_email(tenant_a, smtp):
    smtp.always["Reminder"] = "452 4.2.2 Mailbox full"
    message = _queue(tenant_a)

    outcomes = [outbox_deliver(tenant_id=tenant_a.pk, message_id=message.pk)]
    outcomes += [_deliver_again(tenant_a, message) for _ in range(2)]

    assert outcomes == ["retry", "retry", "failed"]
    row = _row(tenant_a, message)
    assert row.status == "failed" and row.attempts == 3
    assert "452 4.2.2 Mailbox full" in row.last_error


def test_a_5xx_answer_fails_the_email_at_once_with_the_reason(tenant_a, smtp):
    smtp.always["Reminder"] = "550 5.1.1 No such mailbox"
    message = _queue(tenant_a)

    assert outbox_deliver(tenant_id=tenant_a.pk, message_id=message.pk) == "failed"

    row = _row(tenant_a, message)
    assert row.attempts == 1
    assert row.last_error == "550 5.1.1 No such mailbox"


def test_the_backoff_doubles_and_is_capped():
    with override_settings(OUTBOX_RETRY_BASE=60, OUTBOX_RETRY_CAP=3600):
        delays = [conf.retry_delay(n).total_seconds() for n in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]
