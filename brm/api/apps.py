"""The REST API core: tenant-scoped API keys, authentication, throttling, errors, schema."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from brm.tenancy.signals import membership_deactivated, membership_deactivation_effects

        from . import schema  # noqa: F401  (registers the OpenAPI security scheme)
        from .services import api_keys_deactivation_effects, api_keys_revoke_for_member

        membership_deactivated.connect(api_keys_revoke_for_member, dispatch_uid="api_keys_revoke")
        membership_deactivation_effects.connect(
            api_keys_deactivation_effects, dispatch_uid="api_keys_effects"
        )
