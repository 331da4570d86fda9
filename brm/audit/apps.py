"""Audit trail: who changed what, when, in a tenant."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.audit"
    label = "audit"
    verbose_name = "Audit"
