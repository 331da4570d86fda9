"""The office's business calendar: working days and hours, holidays, and business-hours
arithmetic for the clocks that run in them (complaints' acknowledge and resolve targets)."""

from django.apps import AppConfig


class HoursConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.hours"
    label = "hours"
    verbose_name = "Business hours"

    def ready(self):
        from brm.web.registry import demo_data

        from .demo import seed_business_calendar

        # Before every area (customers seed at 10): their records may run on the calendar.
        demo_data.register("business_calendar", seed=seed_business_calendar, order=5)
