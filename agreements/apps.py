"""Partnership Agreements, their versions and signatures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from . import search

        search.register()

        from brm.tenancy.models import Role
        from brm.web.registry import customer_panels, portal_nav, staff_nav

        # After the people (10) and the profile (20), before the services (25).
        customer_panels.register(
            "agreement",
            template="agreements/partials/_customer_panel.html",
            context=_customer_panel_context,
            order=22,
        )
        staff_nav.register(
            "agreements",
            label=_("Agreements"),
            url_name="agreements:agreement_list",
            order=25,
            prefix=True,
        )
        portal_nav.register(
            "agreement",
            label=_("Agreement"),
            url_name="agreements:portal_agreement",
            order=15,
            roles={Role.CUSTOMER, Role.PURCHASER},
            prefix=True,
            also_active=("agreements:portal_compare",),
        )

        from . import sla_tasks  # noqa: F401  (registers the SLA reminder's due-job handler)

        _register_pdf_pages()
        _register_demo()
        _register_agenda()


def _customer_panel_context(request, customer):
    from .views import customer_panel_context

    return customer_panel_context(request, customer)


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_agreements

    demo_data.register("agreements", seed=seed_agreements, order=20)


def _register_agenda() -> None:
    from brm.web.registry import agenda_providers

    from . import agenda

    agenda_providers.register(
        "agreements.sla", label=_("SLA results"), propose=agenda.sla_results, order=30
    )
    agenda_providers.register(
        "agreements.review", label=_("Agreement review"), propose=agenda.review_date, order=40
    )


def _register_pdf_pages() -> None:
    from brm.web.registry import staff_nav

    staff_nav.register(
        "agreement_pdf_verify",
        label=_("Verify a PDF"),
        url_name="agreement_pdf:verify",
        order=45,
    )
