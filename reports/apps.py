"""Reports: dashboards, relationship health, the office's maturity and review packs.

It sits on top of every other area and reads them all; nothing imports it.
"""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Reports"
