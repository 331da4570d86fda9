"""`{{ target.left|business_time }}`: business time as the pages show it ("3 h 15 min")."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def business_time(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(abs(value.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
    return _("%(time)s over") % {"time": text} if value < timedelta(0) else text


@register.filter
def hours_text(value) -> str:
    """A policy value in business hours: 16 -> "16 h", 0.5 -> "0.5 h"."""
    return f"{value.normalize():f} h" if hasattr(value, "normalize") else f"{value} h"
