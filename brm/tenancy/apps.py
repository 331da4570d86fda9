"""Tenants, memberships with roles, invitations, and the scoping that keeps tenants apart."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TenancyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"

    def ready(self):
        from brm import startup  # noqa: F401  (registers the deploy check of SECRET_KEY)

        from .rls import apply_row_level_security

        post_migrate.connect(apply_row_level_security, sender=self, dispatch_uid="brm_rls")
