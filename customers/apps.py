"""Customers and purchasers, their contacts, expectations, registers and the action plan."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self):
        from brm.tenancy.signals import invitation_accepted

        from .services import contact_link_membership

        invitation_accepted.connect(contact_link_membership, dispatch_uid="customers_contact_link")
        _register_pages()
        from . import search

        search.register()


# The customer page's own panels, in this order; later areas slot theirs in between by `order`
# (the agreement after the people, meetings and complaints after the action items...).
CUSTOMER_PANELS = (
    ("people", "customers/partials/_people.html", 10),
    ("profile", "customers/partials/_profile.html", 20),
    ("services", "customers/partials/_services.html", 25),
    ("purchasers", "customers/partials/_purchasers.html", 30),
    ("contacts", "customers/partials/_contacts.html", 40),
    ("expectations", "customers/partials/_expectations.html", 50),
    ("register", "customers/partials/_register.html", 60),
    ("actions", "customers/partials/_action_items.html", 70),
    ("history", "audit/partials/_history.html", 1000),
)


def _register_pages() -> None:
    from brm.tenancy.models import Role
    from brm.web.registry import (
        customer_panels,
        demo_data,
        portal_home_panels,
        portal_nav,
        staff_nav,
    )

    from .demo import seed_customers

    for key, template, order in CUSTOMER_PANELS:
        # Their context is the customer page's own (customers.views.customer_detail).
        customer_panels.register(key, template=template, order=order)
    staff_nav.register(
        "services", label=_("Services"), url_name="customers:service_list", order=35, prefix=True
    )
    staff_nav.register(
        "customers", label=_("Customers"), url_name="customers:customer_list", order=20, prefix=True
    )
    staff_nav.register(
        "my_customers",
        label=_("My customers"),
        url_name="customers:customer_mine",
        order=21,
        roles={Role.RELATIONSHIP_MANAGER},
    )
    staff_nav.register(
        "action_items",
        label=_("Action items"),
        url_name="customers:action_item_list",
        order=30,
        prefix=True,
    )
    staff_nav.register("coverage", label=_("Coverage"), url_name="customers:coverage", order=40)
    portal_nav.register(
        "organisation",
        label=_("My organisation"),
        url_name="customers:portal_organisation",
        order=10,
        also_active=("customers:portal_purchaser",),
    )
    portal_nav.register(
        "expectations",
        label=_("Expectations"),
        url_name="customers:portal_expectation_list",
        order=20,
        prefix=True,
    )
    portal_nav.register(
        "action_items",
        label=_("Action items"),
        url_name="customers:portal_action_item_list",
        order=30,
        prefix=True,
    )
    portal_home_panels.register(
        "customer_summary",
        template="customers/portal/partials/_home_summary.html",
        order=10,
    )
    demo_data.register("customers", seed=seed_customers, order=10)
