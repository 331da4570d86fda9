"""Forms of the SLA appendix page: which periods to show, a measurement, a correction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brm.web.forms import date_input

from .models import SlaLine, SlaMeasurement
from .selectors import SLA_TABLE_MAX_PERIODS


class SlaPeriodsForm(forms.Form):
    periods = forms.IntegerField(
        label=_("Periods shown"),
        required=False,
        min_value=1,
        max_value=SLA_TABLE_MAX_PERIODS,
        help_text=_("How many finished months (or quarters) to show."),
    )


class SlaLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SlaLine) -> str:
        return f"{obj} ({obj.target_text}, {obj.get_period_display().lower()}) · {obj.key}"


class SlaMeasurementForm(forms.Form):
    """A new measurement of a line of the version in force, for one finished period."""

    line = SlaLineChoiceField(label=_("Line"), queryset=None)
    period_start = forms.DateField(
        label=_("Period start"),
        widget=date_input(),
        help_text=_("The first day of a calendar month or quarter."),
    )
    period_end = forms.DateField(
        label=_("Period end"),
        required=False,
        widget=date_input(),
        help_text=_("Empty: the last day of the month or quarter that starts on the first day."),
    )
    actual_value = forms.DecimalField(label=_("Actual"), max_digits=14, decimal_places=4)
    actual_workload = forms.CharField(label=_("Actual workload"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines


class SlaMeasurementCorrectionForm(forms.ModelForm):
    class Meta:
        model = SlaMeasurement
        fields = ["actual_value", "actual_workload", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
