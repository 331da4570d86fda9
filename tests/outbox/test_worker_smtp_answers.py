"""How the worker treats the SMTP server's answers: 4xx and connection trouble are retried with
backoff (from the database, not with a broker ETA) up to a cap; 5xx fails the email at once and
keeps the server's reason for the outbox page."""

import pytest

from brm.outbox.models import OutboxMessage
from tests.kit import in_tenant

from .helpers import enqueue_many, run_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(90)]


def _row(tenant, key):
    return in_tenant(tenant, lambda: OutboxMessage.objects.get(key=key))


def _explain(tenant, key, server, worker):
    return lambda: f"row: {_row(tenant, key).__dict__}\nrefused: {server.refused}\n{worker.tail()}"


def test_a_4xx_answer_is_retried_then_delivered(
    tenant_a, start_worker, smtp_server, scheduler_settings
):
    server = smtp_server.handler
    server.answers["Subject busy-0"] = ["451 4.3.0 Try again later", "421 4.7.0 Busy, come back"]
    enqueue_many(tenant_a, 1, prefix="busy")
    worker = start_worker()

    run_until(
        lambda: _row(tenant_a, "busy-0").status == "sent",
        timeout=40,
        explain=_explain(tenant_a, "busy-0", server, worker),
    )

    row = _row(tenant_a, "busy-0")
    assert row.attempts == 3
    assert [reply for _id, reply in server.refused] == [
        "451 4.3.0 Try again later",
        "421 4.7.0 Busy, come back",
    ]
    assert server.counts() == {row.message_id: 1}


def test_a_5xx_answer_fails_the_email_with_the_reason(
    tenant_a, start_worker, smtp_server, scheduler_settings
):
    server = smtp_server.handler
    server.always["Subject spam-0"] = "554 5.7.1 Message rejected as spam"
    enqueue_many(tenant_a, 1, prefix="spam")
    worker = start_worker()

    run_until(
        lambda: _row(tenant_a, "spam-0").status == "failed",
        timeout=40,
        explain=_explain(tenant_a, "spam-0", server, worker),
    )

    row = _row(tenant_a, "spam-0")
    assert row.attempts == 1  # a permanent answer is not retried
    assert "554" in row.last_error and "rejected as spam" in row.last_error
    assert server.accepted == []


def test_4xx_answers_up_to_the_cap_fail_the_email(
    tenant_a, start_worker, smtp_server, scheduler_settings
):
    server = smtp_server.handler
    server.always["Subject down-0"] = "450 4.2.1 Mailbox busy"
    enqueue_many(tenant_a, 1, prefix="down")
    worker = start_worker(extra_env={"OUTBOX_MAX_ATTEMPTS": "3"})

    run_until(
        lambda: _row(tenant_a, "down-0").status == "failed",
        timeout=40,
        explain=_explain(tenant_a, "down-0", server, worker),
    )

    row = _row(tenant_a, "down-0")
    assert row.attempts == 3
    assert "450 4.2.1 Mailbox busy" in row.last_error
    assert len(server.refused) == 3
