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

        _register_demo()


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_complaints

    demo_data.register("complaints", seed=seed_complaints, order=40)
