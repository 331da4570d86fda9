"""Forms of the satisfaction staff pages. Relation fields get their querysets in __init__ (inside
the request's office); the services check the rest and their refusals land on these forms."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, Role
from brm.web.forms import MemberChoiceField, date_input, search_field
from customers.models import Customer

from .models import Campaign, Question, SatisfactionSettings, Survey

TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _in_range(day: datetime.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between %(a)s and %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}
        )


# Surveys ----------------------------------------------------------------------------------------


class SurveyFilterForm(forms.Form):
    q = search_field(_("Survey name"))
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any")), ("editable", _("Editable")), ("frozen", _("Frozen (sent)"))],
    )


class SurveyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown above the questions."),
    )


class QuestionForm(forms.Form):
    """A question in the office's language, with its translations into the other languages."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Options (single choice)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option a line, 2 to 10 of them. Only for a single choice."),
    )

    def __init__(self, *args, office_language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = [
            (code, name) for code, name in settings.LANGUAGES if code != office_language
        ]
        office_name = dict(settings.LANGUAGES).get(office_language, office_language)
        self.fields["text"].help_text = _("In the office's language (%(language)s).") % {
            "language": office_name
        }
        for code, name in self.languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("In %(language)s (optional)") % {"language": name},
                required=False,
                max_length=500,
            )

    @staticmethod
    def initial_of(question: Question) -> dict:
        return {
            "kind": question.kind,
            "text": question.text,
            "required": question.required,
            "choices": "\n".join(question.choices or []),
            **{f"text_{code}": text for code, text in (question.translations or {}).items()},
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "required": data["required"],
            "choices": [line.strip() for line in data["choices"].splitlines() if line.strip()],
            "translations": {
                code: data[f"text_{code}"].strip()
                for code, _name in self.languages
                if data.get(f"text_{code}", "").strip()
            },
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Which way"),
        choices=[("up", _("Up")), ("down", _("Down"))],
        widget=forms.RadioSelect,
    )


# Campaigns --------------------------------------------------------------------------------------


class CampaignFilterForm(forms.Form):
    q = search_field(_("Campaign or survey name"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Campaign.Status.choices],
    )


def survey_choices():
    """The surveys a campaign can send: the latest version of each."""
    return Survey.objects.filter(next_version__isnull=True).order_by("name", "-version", "pk")


class CampaignForm(forms.Form):
    """A campaign's survey, audience, times (in office time), reminders and anonymity."""

    name = forms.CharField(label=_("Name"), max_length=200)
    survey = forms.ModelChoiceField(label=_("Survey"), queryset=None)
    audience_role = forms.ChoiceField(label=_("Who"), choices=Campaign.AudienceRole.choices)
    audience_scope = forms.ChoiceField(
        label=_("Of which customers"), choices=Campaign.AudienceScope.choices
    )
    relationship_manager = MemberChoiceField(
        label=_("Relationship manager"),
        queryset=None,
        required=False,
        help_text=_("For “one relationship manager's customers”."),
    )
    division = forms.CharField(
        label=_("Division"),
        max_length=200,
        required=False,
        help_text=_("For “a division's customers”."),
    )
    customers = forms.ModelMultipleChoiceField(
        label=_("Customers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “chosen customers”."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=date_input(), validators=[_in_range])
    opens_time = forms.TimeField(label=_("at (office time)"), widget=TIME_INPUT)
    closes_on = forms.DateField(label=_("Closes on"), widget=date_input(), validators=[_in_range])
    closes_time = forms.TimeField(label=_("at (office time)"), widget=TIME_INPUT)
    repeat = forms.ChoiceField(label=_("Repeat"), choices=Campaign.Repeat.choices, required=False)
    reminders_max = forms.IntegerField(
        label=_("Reminders at most"), min_value=0, max_value=5, initial=2
    )
    first_reminder_days = forms.IntegerField(
        label=_("First reminder after (days)"),
        min_value=1,
        max_value=90,
        initial=7,
        help_text=_("The last one goes 2 days before the close."),
    )
    anonymity = forms.ChoiceField(label=_("Anonymity"), choices=Campaign.Anonymity.choices)

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["survey"].queryset = survey_choices()
        self.fields["relationship_manager"].queryset = (
            Membership.objects.filter(role=Role.RELATIONSHIP_MANAGER, is_active=True)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.fields["customers"].queryset = Customer.objects.only("name").order_by("name", "pk")
        self.fields["opens_time"].help_text = _("Office time: %(zone)s.") % {"zone": zone.key}

    @staticmethod
    def initial_of(campaign: Campaign | None, zone: ZoneInfo) -> dict:
        if campaign is None:
            start = timezone.localtime(timezone.now(), zone) + datetime.timedelta(days=1)
            return {
                "opens_on": start.date(),
                "opens_time": datetime.time(9, 0),
                "closes_on": start.date() + datetime.timedelta(days=21),
                "closes_time": datetime.time(17, 0),
                "audience_role": Campaign.AudienceRole.BUSINESS_MANAGERS,
                "anonymity": Campaign.Anonymity.ATTRIBUTED,
                "reminders_max": 2,
                "first_reminder_days": 7,
            }
        opens = timezone.localtime(campaign.opens_at, zone)
        closes = timezone.localtime(campaign.closes_at, zone)
        return {
            "name": campaign.name,
            "survey": campaign.survey_id,
            "audience_role": campaign.audience_role,
            "audience_scope": campaign.audience_scope,
            "relationship_manager": campaign.relationship_manager_id,
            "division": campaign.division,
            "customers": list(campaign.customers.values_list("pk", flat=True)),
            "opens_on": opens.date(),
            "opens_time": opens.time().replace(second=0, microsecond=0),
            "closes_on": closes.date(),
            "closes_time": closes.time().replace(second=0, microsecond=0),
            "repeat": campaign.repeat,
            "reminders_max": campaign.reminders_max,
            "first_reminder_days": campaign.first_reminder_days,
            "anonymity": campaign.anonymity,
        }

    def clean(self):
        data = super().clean()
        for name in ("opens", "closes"):
            day, time = data.get(f"{name}_on"), data.get(f"{name}_time")
            if day and time:
                data[f"{name}_at"] = datetime.datetime.combine(day, time, tzinfo=self.zone)
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_on", _("The campaign closes after it opens."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        names = (
            "name",
            "survey",
            "audience_role",
            "audience_scope",
            "relationship_manager",
            "division",
            "customers",
            "opens_at",
            "closes_at",
            "repeat",
            "reminders_max",
            "first_reminder_days",
            "anonymity",
        )
        return {name: data[name] for name in names}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SatisfactionSettings
        fields = [
            "invitations_per_year",
            "invitation_gap_days",
            "campaigns_per_customer_quarter",
            "minimum_answers",
        ]
