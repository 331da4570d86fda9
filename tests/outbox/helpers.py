"""Shared steps of the scheduled-work tests."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.db.models import Count

from brm.outbox import services
from brm.outbox.models import OutboxMessage
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant


def enqueue_many(tenant, n: int, *, prefix: str = "msg", send_at=None) -> list[str]:
    """Queue n emails in one transaction; their send tasks are published when it commits."""
    keys = [f"{prefix}-{i}" for i in range(n)]
    with tenant_context(tenant):
        for key in keys:
            services.outbox_enqueue(
                key=key,
                to=[f"{key}@example.test"],
                subject=f"Subject {key}",
                text=f"Body of {key}",
                send_at=send_at,
            )
    return keys


def status_counts(tenant) -> dict[str, int]:
    return in_tenant(
        tenant,
        lambda: dict(
            OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
    )


def message_ids(tenant) -> set[str]:
    return in_tenant(
        tenant, lambda: set(OutboxMessage.objects.values_list("message_id", flat=True))
    )


def run_until(
    done: Callable[[], bool],
    *,
    timeout: float,
    explain: Callable[[], str],
    tick: float = 0.5,
    dispatch: bool = True,
    also: Callable[[], None] | None = None,
) -> float:
    """Drive the beat ticks from the test (dispatch + sweep) until `done()`; fail loudly with
    `explain()` after `timeout` seconds. Returns the seconds it took."""
    start = time.monotonic()
    while not done():
        if time.monotonic() - start > timeout:
            pytest.fail(f"Not done after {timeout:.0f}s: {explain()}")
        if dispatch:
            services.outbox_dispatch()
            services.due_job_dispatch()
            services.scheduled_work_sweep()
        if also is not None:
            also()
        time.sleep(tick)
    return time.monotonic() - start


def queued_tasks(redis_url: str, queue: str) -> int:
    """How many task messages wait in a Celery queue on Redis (kombu keeps one list per queue
    and priority step)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(
            client.llen(key) for key in client.scan_iter(f"{queue}*") if client.type(key) == b"list"
        )
    finally:
        client.close()
