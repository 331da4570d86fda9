"""Partnership Agreements, their versions and signatures."""

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from . import sla_tasks  # noqa: F401  (registers the SLA reminder's due-job handler)
