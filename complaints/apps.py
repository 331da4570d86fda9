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

        _register_pages()
        _register_demo()
        _register_quiet_period()
        from . import search

        search.register()


def _customer_panel_context(request, customer):
    from .views import customer_panel_context

    return customer_panel_context(request, customer)


def _register_pages() -> None:
    """The staff and portal navigation entries and the customer page's complaints panel."""
    from django.utils.translation import gettext_lazy as _

    from brm.tenancy.models import Role
    from brm.web.registry import customer_panels, portal_nav, staff_nav

    customer_panels.register(
        "complaints",
        template="complaints/partials/_customer_panel.html",
        context=_customer_panel_context,
        order=26,
    )
    staff_nav.register(
        "complaints",
        label=_("Complaints"),
        url_name="complaints:complaint_list",
        order=35,
        prefix=True,
    )
    portal_nav.register(
        "complaints",
        label=_("Complaints"),
        url_name="complaints:portal_complaint_list",
        order=30,
        roles={Role.CUSTOMER, Role.PURCHASER},
        prefix=True,
    )


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_complaints

    demo_data.register("complaints", seed=seed_complaints, order=40)


def _register_quiet_period() -> None:
    """Satisfaction surveys leave a customer alone while a complaint of theirs is escalated
    beyond the relationship manager (satisfaction never imports complaints)."""
    from brm.web.registry import survey_quiet_periods

    from .selectors import customers_in_escalation

    survey_quiet_periods.register("complaints", customers=customers_in_escalation, order=10)
