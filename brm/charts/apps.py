"""Server-drawn SVG charts (a template tag library, no models)."""

from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "brm.charts"
    label = "charts"
    verbose_name = "Charts"
