"""Complaints and their escalation route."""

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = "Complaints"

    def ready(self):
        # The clock's and the deemed acceptance's due-job handlers, known wherever the app is
        # loaded (a page that schedules a job checks its handler exists).
        from . import tasks  # noqa: F401
