"""The Celery app. Workers and beat read the same Django settings (CELERY_* names).

Processes: one beat (the static ticks below), any number of workers on the `default` and
`email` queues. Beat only says "look now"; what is due lives in the database (brm.outbox).
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brm.settings.base")

app = Celery("brm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _require_secret_key(**_kwargs):
    # Not at import: every manage.py command imports this module (brm/__init__.py). Celery
    # logs and ignores exceptions from signal handlers, so this exits.
    from django.core.exceptions import ImproperlyConfigured

    from brm.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"celery: {exc}") from exc


# Every tick runs often and is cheap when nothing is due; `expires` drops ticks that queued up
# while no worker was running, so a restarted worker does not run a hundred of them.
app.conf.beat_schedule = {
    "outbox-dispatch": {
        "task": "brm.outbox.tasks.outbox_dispatch",
        "schedule": 15.0,
        "options": {"expires": 15},
    },
    "due-job-dispatch": {
        "task": "brm.outbox.tasks.due_job_dispatch",
        "schedule": 30.0,
        "options": {"expires": 30},
    },
    "scheduled-work-sweep": {
        "task": "brm.outbox.tasks.scheduled_work_sweep",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Gives each office its daily jobs (brm.outbox.registry.daily_job) for its own date; the
    # jobs' keys make any number of ticks harmless, so every few minutes is plenty.
    "daily-jobs-schedule": {
        "task": "brm.outbox.tasks.daily_jobs_schedule",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
}
# Sending email has its own queue, so a slow mail server never delays due jobs and ticks.
app.conf.task_routes = {"brm.outbox.tasks.outbox_send": {"queue": "email"}}
