"""A cadence's rule in words ("Monthly on the 2nd Tuesday at 10:00") and the office's time zone
as people read it, for the staff pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Frequency, Weekday

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
EVERY_N = {
    Frequency.WEEKLY: lambda n: ngettext("Every %(n)d week", "Every %(n)d weeks", n),
    Frequency.MONTHLY: lambda n: ngettext("Every %(n)d month", "Every %(n)d months", n),
    Frequency.QUARTERLY: lambda n: ngettext("Every %(n)d quarter", "Every %(n)d quarters", n),
    Frequency.YEARLY: lambda n: ngettext("Every %(n)d year", "Every %(n)d years", n),
}


def _every(frequency: str, interval: int) -> str:
    if interval <= 1:
        return {
            Frequency.WEEKLY: _("Weekly"),
            Frequency.MONTHLY: _("Monthly"),
            Frequency.QUARTERLY: _("Quarterly"),
            Frequency.YEARLY: _("Yearly"),
        }[frequency]
    return EVERY_N[frequency](interval) % {"n": interval}


def rule_in_words(cadence) -> str:
    """ "Monthly on the 2nd Tuesday at 10:00", "Every 2 weeks on Monday at 09:30", "Quarterly on
    day 31 (or the month's last day) at 14:00"."""
    every = _every(cadence.frequency, cadence.interval or 1)
    if cadence.frequency == Frequency.WEEKLY:
        day = cadence.weekday if cadence.weekday is not None else cadence.starts_on.weekday()
        on = _("on %(weekday)s") % {"weekday": Weekday(day).label}
    elif cadence.week_of_month is not None and cadence.weekday is not None:
        on = _("on the %(nth)s %(weekday)s") % {
            "nth": ORDINALS.get(cadence.week_of_month, str(cadence.week_of_month)),
            "weekday": Weekday(cadence.weekday).label,
        }
    else:
        day = cadence.month_day or cadence.starts_on.day
        on = (
            _("on day %(day)d (or the month's last day)") % {"day": day}
            if day > 28
            else _("on day %(day)d") % {"day": day}
        )
    at = cadence.time_of_day.strftime("%H:%M")
    return _("%(every)s %(on)s at %(at)s") % {"every": every, "on": on, "at": at}
