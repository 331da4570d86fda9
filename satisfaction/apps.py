"""Customer satisfaction surveys and their results."""

from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satisfaction"
    verbose_name = "Satisfaction"

    def ready(self):
        # The campaign's due-job handlers and the invitations' delivery listener, known wherever
        # the app is loaded (scheduling a campaign checks its handlers exist).
        from . import tasks  # noqa: F401

        _register_answering()
        _register_pages()
        _register_demo()
        from . import search

        search.register()


def _register_answering() -> None:
    """The portal's "Surveys" entry: the open surveys the signed-in contact is invited to."""
    from django.utils.translation import gettext_lazy as _

    from brm.tenancy.models import Role
    from brm.web.registry import portal_nav

    portal_nav.register(
        "surveys",
        label=_("Surveys"),
        url_name="satisfaction:portal_surveys",
        order=40,
        roles={Role.CUSTOMER, Role.PURCHASER},
        prefix=True,
        also_active=("satisfaction:portal_results",),
    )


def _customer_panel_context(request, customer):
    from .views import customer_panel_context

    return customer_panel_context(request, customer)


# The staff pages of the area outside /satisfaction/campaigns/ that keep its entry active.
_ALSO_ACTIVE = (
    "satisfaction:survey_list",
    "satisfaction:survey_create",
    "satisfaction:survey_detail",
    "satisfaction:survey_edit",
    "satisfaction:survey_new_version",
    "satisfaction:question_create",
    "satisfaction:question_edit",
    "satisfaction:question_delete",
    "satisfaction:settings",
    "satisfaction:results_overview",
    "satisfaction:campaign_results",
    "satisfaction:campaign_publish",
)


def _register_pages() -> None:
    """The staff navigation entry and the customer page's satisfaction panel."""
    from django.utils.translation import gettext_lazy as _

    from brm.tenancy.models import STAFF_ROLES
    from brm.web.registry import customer_panels, staff_nav

    customer_panels.register(
        "satisfaction",
        template="satisfaction/partials/_customer_panel.html",
        context=_customer_panel_context,
        order=28,
    )
    staff_nav.register(
        "satisfaction",
        label=_("Satisfaction"),
        url_name="satisfaction:campaign_list",
        order=37,
        roles=STAFF_ROLES,
        prefix=True,
        also_active=_ALSO_ACTIVE,
    )


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_satisfaction

    demo_data.register("satisfaction", seed=seed_satisfaction, order=50)
