"""The Celery set-up the scheduled work relies on: a few static beat ticks, email on its own
queue, late acknowledgement, prefetch 1, time limits, bounded retries, no ETA far ahead."""

from celery.schedules import schedule
from django.conf import settings

from brm.celery import app
from brm.outbox import conf, tasks


def test_beat_ticks_dispatch_and_sweep_at_least_every_minute_and_the_daily_jobs_every_few():
    entries = app.conf.beat_schedule.values()
    ticks = {e["task"]: e["schedule"] for e in entries}

    assert set(ticks) == {
        "brm.outbox.tasks.outbox_dispatch",
        "brm.outbox.tasks.due_job_dispatch",
        "brm.outbox.tasks.scheduled_work_sweep",
        "brm.outbox.tasks.daily_jobs_schedule",
    }
    for name, every in ticks.items():
        seconds = every.run_every.total_seconds() if isinstance(every, schedule) else every
        assert 0 < seconds <= (300 if name.endswith("daily_jobs_schedule") else 60)
    for name in ticks:
        assert name in app.tasks


def test_email_goes_to_its_own_queue_and_the_rest_to_default():
    route = app.amqp.router.route

    assert route({}, tasks.outbox_send.name)["queue"].name == "email"
    for task in (tasks.due_job_run, tasks.outbox_dispatch, tasks.scheduled_work_sweep):
        assert route({}, task.name)["queue"].name == "default"


def test_tasks_are_acknowledged_late_with_bounded_retries_and_time_limits():
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_TIME_LIMIT and settings.CELERY_TASK_SOFT_TIME_LIMIT
    for task in (tasks.outbox_send, tasks.due_job_run):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.max_retries <= 5 and task.retry_backoff_max <= 300


def test_the_sweeper_waits_longer_than_any_task_may_run():
    """Otherwise it would take a row back from a live worker and the email could go twice."""
    stuck_after = conf.get("OUTBOX_STUCK_AFTER")
    assert tasks.outbox_send.time_limit < stuck_after
    assert stuck_after > settings.CELERY_TASK_TIME_LIMIT  # due_job_run's limit
