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
        _register_pages()
        _register_portal_api()
        _register_communications()
        from . import search

        search.register()


def _register_communications() -> None:
    """Communications: the staff and portal entries and the customer page's plan."""
    from brm.tenancy.models import Role
    from brm.web.registry import customer_panels, portal_nav, staff_nav

    staff_nav.register(
        "communications",
        label=_("Communications"),
        url_name="meetings:notice_list",
        order=28,
        prefix=True,
    )
    customer_panels.register(
        "communications",
        template="meetings/communications/_customer_panel.html",
        context=_communications_panel_context,
        order=26,
    )
    portal_nav.register(
        "news",
        label=_("News from IT"),
        url_name="meetings:portal_news",
        order=26,
        roles={Role.CUSTOMER, Role.PURCHASER},
        prefix=True,
    )


def _communications_panel_context(request, customer):
    from .communication_views import customer_panel_context

    return customer_panel_context(request, customer)


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_communications, seed_meetings

    demo_data.register("meetings", seed=seed_meetings, order=30)
    demo_data.register("communications", seed=seed_communications, order=35)


def _register_workers() -> None:
    # The due-job and daily handlers (brm.outbox's autodiscovery imports tasks modules too;
    # importing here makes the meetings' handlers known wherever the app is loaded).
    from . import tasks  # noqa: F401


def _register_pages() -> None:
    """The staff pages: the navigation entry, the customer page's panel and the agreement
    page's "Make cadences from the agreement"."""
    from brm.web.registry import agreement_actions, customer_panels, staff_nav

    staff_nav.register(
        "meetings",
        label=_("Meetings"),
        url_name="meetings:meeting_list",
        order=27,
        prefix=True,
    )
    # After the agreement (22) and the services (25).
    customer_panels.register(
        "meetings",
        template="meetings/partials/_customer_panel.html",
        context=_customer_panel_context,
        order=24,
    )
    agreement_actions.register(
        "meetings.cadences",
        label=_("Make cadences from the agreement"),
        url_name="meetings:cadences_from_agreement",
        condition=_agreement_in_force_for_writer,
        order=10,
    )


def _customer_panel_context(request, customer):
    from .views import customer_panel_context

    return customer_panel_context(request, customer)


def _agreement_in_force_for_writer(request, agreement) -> bool:
    # The agreement page's agreement is annotated with its version in force (no query).
    membership = getattr(request, "membership", None)
    return bool(membership and membership.can_write and getattr(agreement, "in_force_number", None))


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
