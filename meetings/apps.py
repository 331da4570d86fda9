"""Review meetings: agenda, minutes, decisions and action items."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Meetings"
