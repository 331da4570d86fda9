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
        from brm.tenancy.models import Role
        from brm.web.registry import staff_home_providers

        from . import tasks  # noqa: F401
        from .home import rm_home

        # Relationship managers get their working day; other roles keep the office overview.
        staff_home_providers.register(
            "rm_home", roles=[Role.RELATIONSHIP_MANAGER], render=rm_home, order=10
        )
