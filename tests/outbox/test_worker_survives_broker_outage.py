"""Redis going away for a while loses nothing. The broker here is a redis-server of the test's
own without persistence, killed half-way: every task message in it is gone. Emails queued
during the outage are kept in the database (the page that queued them does not fail), and after
Redis is back the dispatcher and the sweeper publish everything again; all of it arrives once.

The worker runs under a restart policy, as in docker-compose.yml: Celery/kombu 5.7 sometimes
exits on a broken Redis connection instead of reconnecting (the test reports how often)."""

import time

import pytest

from brm.outbox import services

from .helpers import enqueue_many, message_ids, run_until, status_counts

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(150)]

BEFORE, DURING = 300, 20
OUTAGE_SECONDS = 5


def test_emails_survive_redis_going_away_and_coming_back(
    tenant_a, start_worker, smtp_server, redis_server, scheduler_settings
):
    server = smtp_server.handler
    enqueue_many(tenant_a, BEFORE, prefix="before")
    worker = start_worker()
    run_until(
        lambda: server.unique() >= BEFORE // 3,
        timeout=60,
        explain=lambda: f"{server.unique()} delivered before the outage\n{worker.tail()}",
        tick=0.02,
        dispatch=False,
    )

    redis_server.stop()
    outage_started = time.monotonic()
    at_outage = server.unique()
    enqueue_many(tenant_a, DURING, prefix="during")  # must neither fail nor hang
    queued_during = status_counts(tenant_a).get("queued", 0)
    while time.monotonic() - outage_started < OUTAGE_SECONDS:
        services.outbox_dispatch()  # the ticks keep running against no broker
        services.scheduled_work_sweep()
        worker.ensure_running()
        time.sleep(0.5)
    redis_server.start()

    took = run_until(
        lambda: (
            server.unique() >= BEFORE + DURING
            and status_counts(tenant_a) == {"sent": BEFORE + DURING}
        ),
        timeout=100,
        explain=lambda: (
            f"{server.unique()}/{BEFORE + DURING} at the server, rows {status_counts(tenant_a)}"
            f"\n{worker.tail()}"
        ),
        also=worker.ensure_running,
    )

    print(
        f"\n{at_outage}/{BEFORE} delivered when Redis went away; {queued_during} rows waited in "
        f"the database; all {server.unique()} delivered {took:.1f}s after Redis came back; "
        f"raw duplicates {server.duplicates()}; worker restarts {worker.restarts}"
    )
    assert at_outage < BEFORE, "everything was delivered before the outage: nothing was tested"
    assert queued_during >= DURING
    assert set(server.counts()) == message_ids(tenant_a)
    assert server.duplicates() == 0
