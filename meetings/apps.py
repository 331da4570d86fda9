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
        _register_portal_api()


def _register_portal_api() -> None:
    from brm.tenancy.models import Role
    from brm.web.registry import portal_nav

    portal_nav.register(
        "meetings",
        label=_("Meetings"),
        url_name="meetings:portal_meeting_list",
        order=25,
        roles={Role.CUSTOMER, Role.PURCHASER},
        prefix=True,
    )
