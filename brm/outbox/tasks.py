"""Celery tasks of scheduled work: thin, idempotent, each takes ids and calls one service.

The row in the database decides; a task that finds its row already taken does nothing, so a
duplicate delivery (acks_late redelivers after a worker crash) is harmless. Retries of a failed
send are not Celery retries: the row is queued again with its next attempt time and the
dispatcher picks it up, so no task ever waits in the broker with an ETA. Celery's own retry
(bounded, exponential, capped) only covers the database being briefly unreachable.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import conf, services

ROW_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 5,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
}
# A tick that waited in the queue past the next one is useless: drop it instead of running both.
TICK_TASK = {"acks_late": True, "reject_on_worker_lost": True, "expires": 60}


@shared_task(
    time_limit=conf.get("OUTBOX_SEND_TIME_LIMIT"),
    soft_time_limit=max(conf.get("OUTBOX_SEND_TIME_LIMIT") - 10, 1),
    **ROW_TASK,
)
def outbox_send(tenant_id: int, message_id: int) -> str:
    return services.outbox_deliver(tenant_id=tenant_id, message_id=message_id)


@shared_task(**ROW_TASK)
def due_job_run(tenant_id: int, job_id: int) -> str:
    return services.due_job_run(tenant_id=tenant_id, job_id=job_id)


@shared_task(**TICK_TASK)
def outbox_dispatch() -> int:
    return services.outbox_dispatch()


@shared_task(**TICK_TASK)
def due_job_dispatch() -> int:
    return services.due_job_dispatch()


@shared_task(**TICK_TASK)
def scheduled_work_sweep() -> int:
    return services.scheduled_work_sweep()


@shared_task(**TICK_TASK)
def daily_jobs_schedule() -> int:
    return services.daily_jobs_schedule()
