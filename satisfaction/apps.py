"""Customer satisfaction surveys and their results."""

from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satisfaction"
    verbose_name = "Satisfaction"
