"""A real Celery worker (prefork, two processes) on Redis sends 500 queued emails to a real SMTP
server on loopback: each Message-ID arrives exactly once and every row ends "sent"."""

import pytest

from .helpers import enqueue_many, message_ids, run_until, status_counts

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(150)]

N = 500


def test_500_emails_reach_the_smtp_server_exactly_once(
    tenant_a, start_worker, smtp_server, scheduler_settings
):
    enqueue_many(tenant_a, N)
    worker = start_worker()
    server = smtp_server.handler

    took = run_until(
        lambda: server.unique() >= N and status_counts(tenant_a) == {"sent": N},
        timeout=100,
        explain=lambda: (
            f"{server.unique()}/{N} Message-IDs at the server, rows {status_counts(tenant_a)}\n"
            f"worker log:\n{worker.tail()}"
        ),
    )

    print(f"\n{N} emails in {took:.1f}s; raw duplicates at the server: {server.duplicates()}")
    assert set(server.counts()) == message_ids(tenant_a)
    assert server.duplicates() == 0, server.counts().most_common(5)
