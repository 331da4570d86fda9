"""Forms of the communication pages: a plan entry, a notice, an incident's update, the filters
of the lists and the portal's preferences. Relation fields get their querysets in __init__,
inside the request's office."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import STAFF_ROLES, Membership
from brm.web.forms import MemberChoiceField, date_input, search_field
from customers.models import Contact, Customer, Service

from .communication_models import (
    NOTICE_KINDS,
    AudienceRole,
    Channel,
    CommunicationPlanEntry,
    Notice,
    NoticeUpdate,
    PlanFrequency,
    Topic,
)
from .models import EARLIEST_DAY, LATEST_DAY, validate_day_in_range

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
        help_text=_("Office time."),
    )


def _in_range(value: datetime | None, field: str, errors: dict) -> None:
    if value and not EARLIEST_DAY <= value.date() <= LATEST_DAY:
        errors[field] = _("Choose a date between 2000 and 2199.")


def _staff():
    return (
        Membership.objects.filter(is_active=True, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by("user__email")
    )


class PlanEntryForm(forms.Form):
    topic = forms.ChoiceField(label=_("What"), choices=Topic.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    roles = forms.MultipleChoiceField(
        label=_("To whom (by role)"),
        choices=AudienceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("To whom (by name)"), queryset=None, required=False
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=PlanFrequency.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    owner = MemberChoiceField(label=_("Owner"), queryset=None)
    next_due = forms.DateField(
        label=_("Next due"),
        required=False,
        widget=date_input(),
        validators=[validate_day_in_range],
    )

    def __init__(
        self, *args, customer: Customer, entry: CommunicationPlanEntry | None = None, **kwargs
    ):
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "topic": entry.topic,
                    "description": entry.description,
                    "roles": entry.roles,
                    "contacts": entry.contact_ids,
                    "frequency": entry.frequency,
                    "channel": entry.channel,
                    "owner": entry.owner_id,
                    "next_due": entry.next_due,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.filter(customer=customer).order_by(
            "name", "pk"
        )
        self.fields["owner"].queryset = _staff()

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["contact_ids"] = [c.pk for c in data.pop("contacts")]
        return data


class PlanFilterForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    owner = MemberChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Anyone")
    )
    topic = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Anything")), *Topic.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")
        self.fields["owner"].queryset = _staff()


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NOTICE_KINDS)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Body"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; **bold**, *italic*, lists and [links](https://...) are kept."),
    )
    window_starts_at = _datetime_field(_("Maintenance starts"))
    window_ends_at = _datetime_field(_("Maintenance ends"))
    customers = forms.ModelMultipleChoiceField(label=_("Customers"), queryset=None, required=False)
    service = forms.ModelChoiceField(
        label=_("Or every customer consuming"),
        queryset=None,
        required=False,
        empty_label=_("No service"),
    )
    purchasers_only = forms.BooleanField(label=_("Only the purchasers' contacts"), required=False)
    resolve = forms.ChoiceField(
        label=_("Recipients"), choices=Notice.Resolve.choices, widget=forms.RadioSelect
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles (by role)"),
        choices=AudienceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts (chosen by hand)"), queryset=None, required=False
    )

    def __init__(self, *args, notice: Notice | None = None, **kwargs):
        if notice is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": notice.kind,
                    "subject": notice.subject,
                    "body": notice.body,
                    "window_starts_at": notice.window_starts_at,
                    "window_ends_at": notice.window_ends_at,
                    "customers": notice.customer_ids,
                    "service": notice.service_id,
                    "purchasers_only": notice.purchasers_only,
                    "resolve": notice.resolve,
                    "roles": notice.roles,
                    "contacts": notice.contact_ids,
                },
            )
        kwargs.setdefault("initial", {}).setdefault("resolve", Notice.Resolve.ROLES)
        super().__init__(*args, **kwargs)
        self.fields["customers"].queryset = Customer.objects.order_by("name", "pk")
        self.fields["service"].queryset = Service.objects.order_by("name", "pk")
        self.fields["contacts"].queryset = Contact.objects.select_related("customer").order_by(
            "customer__name", "name", "pk"
        )
        self.fields["contacts"].label_from_instance = lambda c: f"{c.name} ({c.customer.name})"

    def clean(self):
        data = super().clean()
        errors: dict = {}
        _in_range(data.get("window_starts_at"), "window_starts_at", errors)
        _in_range(data.get("window_ends_at"), "window_ends_at", errors)
        if errors:
            raise ValidationError(errors)
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["customer_ids"] = [c.pk for c in data.pop("customers")]
        data["contact_ids"] = [c.pk for c in data.pop("contacts")]
        return data


class NoticeFilterForm(forms.Form):
    q = search_field(_("Subject or body"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *NOTICE_KINDS]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Notice.Status.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")


class NoticeUpdateForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=NoticeUpdate.Stage.choices)
    body = forms.CharField(
        label=_("What is known"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PreferencesForm(forms.Form):
    newsletters = forms.BooleanField(label=_("Newsletters"), required=False)
    general = forms.BooleanField(label=_("General notices"), required=False)
