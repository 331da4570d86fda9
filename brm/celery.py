"""The Celery app. Workers and beat read the same Django settings (CELERY_* names).

Processes: one beat (the static ticks below), any number of workers on the `default` and
`email` queues. Beat only says "look now"; what is due lives in the database (brm.outbox).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brm.settings.base")

app = Celery("brm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
}
# Sending email has its own queue, so a slow mail server never delays due jobs and ticks.
app.conf.task_routes = {"brm.outbox.tasks.outbox_send": {"queue": "email"}}
