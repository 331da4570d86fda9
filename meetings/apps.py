"""Engagement with the customer: cadences of review meetings, meetings with their agenda and
minutes, decisions and the action items agreed in them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from brm.web.registry import agenda_providers

        from . import agenda

        agenda_providers.register(
            "meetings.action_items",
            label=_("Open and overdue action items"),
            propose=agenda.open_action_items,
            order=10,
        )
        agenda_providers.register(
            "meetings.decisions",
            label=_("Decisions awaiting approval"),
            propose=agenda.decisions_awaiting,
            order=20,
        )
        _register_demo()
        _register_workers()


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_meetings

    demo_data.register("meetings", seed=seed_meetings, order=30)


def _register_workers() -> None:
    # The due-job and daily handlers (brm.outbox's autodiscovery imports tasks modules too;
    # importing here makes the meetings' handlers known wherever the app is loaded).
    from . import tasks  # noqa: F401
