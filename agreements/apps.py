"""Partnership Agreements, their versions and signatures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self):
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


def _customer_panel_context(request, customer):
    from .views import customer_panel_context

    return customer_panel_context(request, customer)
