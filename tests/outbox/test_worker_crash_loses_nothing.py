"""A worker SIGKILLed half-way (main process and pool children at once, mid-send) loses no
email: after a restart every Message-ID reaches the SMTP server. Rows the dead worker held are
taken back by the sweeper once they are older than any task may run.

At-least-once, honestly: a message whose SMTP "250" arrived just before the kill, but whose
"sent" mark never committed, is sent again. That can only be a message in the dead worker's
hands (at most one per pool process), so the test counts distinct Message-IDs for exactly-once
and reports the raw duplicates, which must not exceed the pool size.
"""

import pytest

from .helpers import enqueue_many, message_ids, run_until, status_counts

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(150)]

N = 500
CONCURRENCY = 2


def test_emails_survive_a_worker_killed_half_way(
    tenant_a, start_worker, smtp_server, scheduler_settings
):
    enqueue_many(tenant_a, N)
    server = smtp_server.handler
    first = start_worker("w1", concurrency=CONCURRENCY)
    run_until(
        lambda: server.unique() >= N // 2,
        timeout=60,
        explain=lambda: f"{server.unique()} delivered before the kill\n{first.tail()}",
        tick=0.02,
        dispatch=False,
    )
    first.kill()
    at_kill = server.unique()
    assert at_kill < N, "the worker finished before it could be killed: the test proves nothing"
    rows_at_kill = status_counts(tenant_a)

    second = start_worker("w2", concurrency=CONCURRENCY)
    took = run_until(
        lambda: server.unique() >= N and status_counts(tenant_a) == {"sent": N},
        timeout=100,
        explain=lambda: (
            f"{server.unique()}/{N} Message-IDs at the server, rows {status_counts(tenant_a)}\n"
            f"second worker log:\n{second.tail()}"
        ),
    )

    duplicates = server.duplicates()
    print(
        f"\nkilled after {at_kill}/{N} (rows then: {rows_at_kill}); all delivered {took:.1f}s "
        f"after the restart; distinct Message-IDs {server.unique()}, raw SMTP duplicates "
        f"{duplicates}"
    )
    assert set(server.counts()) == message_ids(tenant_a)
    assert duplicates <= CONCURRENCY, server.counts().most_common(5)
