"""The page layer every area builds on: access decorators, list / form / confirmation helpers,
generic templates, form pieces, the status badge, and the registries through which an area adds
its panels, navigation entries, agenda items and demo data without a lower layer importing it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "brm.web"
    label = "web"
    verbose_name = "Pages"

    def ready(self):
        from brm.tenancy.models import Role

        from .registry import portal_nav, staff_nav

        # The core's own entries; each area adds its own in its AppConfig.ready().
        staff_nav.register("overview", label=_("Overview"), url_name="tenancy:staff_home", order=0)
        admin_only = {Role.ADMIN}
        for order, (key, label, url_name) in enumerate(
            (
                ("members", _("Members"), "tenancy:member_list"),
                ("invitations", _("Invitations"), "tenancy:invitation_list"),
                ("audit", _("Audit log"), "audit:event_list"),
                ("api_keys", _("API keys"), "api_keys:list"),
                ("outbox", _("Outbox"), "outbox:message_list"),
                ("settings", _("Settings"), "tenancy:tenant_settings"),
            )
        ):
            # The settings entry stays marked on the pages under it (the business calendar).
            staff_nav.register(
                key,
                label=label,
                url_name=url_name,
                order=900 + order,
                roles=admin_only,
                prefix=key == "settings",
            )
        portal_nav.register("home", label=_("Home"), url_name="tenancy:portal_home", order=0)
