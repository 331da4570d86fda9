"""Scheduled work: the email outbox and generic due jobs, sent once by Celery workers."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.outbox"
    label = "outbox"
    verbose_name = "Outbox"
