"""Scheduled work: the email outbox and generic due jobs, sent once by Celery workers."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.outbox"
    label = "outbox"
    verbose_name = "Outbox"

    def ready(self):
        # Due-job handlers live in each app's tasks.py (@due_job_handler). Importing them in every
        # process, not only in workers, lets due_job_schedule reject an unknown handler at once.
        autodiscover_modules("tasks")
