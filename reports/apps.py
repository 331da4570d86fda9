"""Reports: dashboards, relationship health, the office's maturity and review packs.

It sits on top of every other area and reads them all; nothing imports it.
"""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # The daily snapshot job's handler (brm.outbox's autodiscovery imports tasks modules too;
        # importing here makes it known wherever the app is loaded).
        from . import tasks  # noqa: F401
