"""The business calendar's forms: plain forms whose cleaned data the services take."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brm.web.forms import date_input

from .models import WEEKDAY_NAMES
from .public_holidays import supported_countries


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def _country_choices() -> list[tuple[str, str]]:
    return [("", _("None (add holidays by hand)"))] + [
        (code, f"{name} ({code})") for code, name in supported_countries().items()
    ]


class BusinessCalendarForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=[(str(number), name) for number, name in enumerate(WEEKDAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
    )
    opens = forms.TimeField(label=_("Opens"), widget=_time_input())
    closes = forms.TimeField(
        label=_("Closes"),
        widget=_time_input(),
        help_text=_("One span of working hours a day, on the office's own clock."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_country_choices,
        required=False,
        help_text=_("Its public holidays can be seeded into the holiday list."),
    )
    subdivision = forms.CharField(
        label=_("Subdivision"),
        max_length=10,
        required=False,
        help_text=_(
            "A province or state with public holidays of its own, by its code (e.g. BY for "
            "Bavaria); leave empty for the country's."
        ),
    )

    def clean_weekdays(self) -> str:
        return "".join(sorted(self.cleaned_data["weekdays"]))

    def clean_subdivision(self) -> str:
        return self.cleaned_data["subdivision"].strip().upper()


def calendar_initial(calendar) -> dict:
    return {
        "weekdays": list(calendar.weekdays),
        "opens": calendar.opens,
        "closes": calendar.closes,
        "country": calendar.country,
        "subdivision": calendar.subdivision,
    }


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_input())
    name = forms.CharField(label=_("Name"), max_length=200)


class HolidayFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
