"""Forms of the meetings staff pages. Times are typed in office time (a date and a time of day)
and turned into UTC here, with the office's zone; relation fields get their querysets in
__init__, inside the request's tenant."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brm.web.forms import MemberChoiceField, date_input, search_field
from customers.forms import ContactChoiceField
from customers.models import Contact, Customer

from . import recurrence, selectors
from .models import (
    AgendaItem,
    Attendee,
    Cadence,
    Decision,
    Frequency,
    Meeting,
    MeetingType,
    Weekday,
    validate_day_in_range,
)

TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
WEEK_OF_MONTH_CHOICES = [
    ("", _("— (a day of the month)")),
    ("1", _("1st")),
    ("2", _("2nd")),
    ("3", _("3rd")),
    ("4", _("4th")),
    ("5", _("5th")),
    ("-1", _("Last")),
]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ContactsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} ({obj.customer.name})"


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.full_name or obj.user.email


# Lists -------------------------------------------------------------------------------------------


class MeetingFilterForm(forms.Form):
    q = search_field(_("Title or customer"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Meeting.Status.choices],
    )
    organiser = MemberChoiceField(
        label=_("Organiser"), queryset=None, required=False, empty_label=_("Anyone")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")
        self.fields["organiser"].queryset = selectors.organiser_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is on or after its start."))
        return data


class CadenceFilterForm(forms.Form):
    q = search_field(_("Name or customer"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    meeting_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *MeetingType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Cadence.Status.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")


class DecisionFilterForm(forms.Form):
    q = search_field(_("Title or description"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Decision.Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Decision.Kind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")


# Meetings ----------------------------------------------------------------------------------------


class MeetingTimesForm(forms.Form):
    """When and where, in office time: the day, the start and the end."""

    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=date_input(), validators=[validate_day_in_range])
    start_time = forms.TimeField(label=_("Starts (office time)"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends (office time)"), widget=TIME_INPUT)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    organiser = MemberChoiceField(label=_("Organiser"), queryset=None)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["organiser"].queryset = selectors.organiser_choices()
        help_text = _("Office time: %(zone)s.") % {"zone": zone.key}
        self.fields["start_time"].help_text = help_text

    @staticmethod
    def initial_of(meeting: Meeting, zone) -> dict:
        starts = timezone.localtime(meeting.starts_at, zone)
        ends = timezone.localtime(meeting.ends_at, zone)
        return {
            "title": meeting.title,
            "day": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0),
            "location": meeting.location,
            "online_url": meeting.online_url,
            "organiser": meeting.organiser_id,
        }

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("A meeting ends after it starts (the same day)."))
            else:
                data["starts_at"] = recurrence.local_datetime(day, start, self.zone)
                data["ends_at"] = recurrence.local_datetime(day, end, self.zone)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        names = ("title", "starts_at", "ends_at", "location", "online_url", "organiser")
        return {name: data[name] for name in names}


class MeetingCreateForm(MeetingTimesForm):
    """A one-off meeting: a major event, an escalation or another."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in Meeting.Kind.choices if c[0] != Meeting.Kind.CADENCE],
        initial=Meeting.Kind.OTHER,
    )
    contacts = ContactsField(
        label=_("Business attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = MembersField(
        label=_("Staff attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["customer", "kind", "title", "day", "start_time", "end_time"]

    def __init__(self, *args, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")
        contacts = Contact.objects.select_related("customer").order_by("customer__name", "name")
        if customer is not None:
            self.fields["customer"].initial = customer.pk
            contacts = contacts.filter(customer=customer)
        self.fields["contacts"].queryset = contacts
        self.fields["members"].queryset = selectors.staff_attendee_choices()

    def clean(self):
        data = super().clean()
        customer = data.get("customer")
        for contact in data.get("contacts") or ():
            if customer is not None and contact.customer_id != customer.pk:
                self.add_error(
                    "contacts",
                    _("%(name)s is not a contact of %(customer)s.")
                    % {"name": contact.name, "customer": customer.name},
                )
        return data

    def values(self) -> dict:
        return {**super().values(), "customer": self.cleaned_data["customer"]}


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=_textarea(2),
        help_text=_("Sent with the cancellation to everyone invited."),
    )


class AttendeesAddForm(forms.Form):
    contacts = ContactsField(
        label=_("Business attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = MembersField(
        label=_("Staff attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = list(
            meeting.attendees.filter(removed_at__isnull=True).values_list("contact_id", "member_id")
        )
        self.fields["contacts"].queryset = (
            Contact.objects.filter(customer_id=meeting.customer_id)
            .exclude(pk__in=[c for c, _m in invited if c])
            .select_related("customer")
            .order_by("name", "pk")
        )
        self.fields["members"].queryset = selectors.staff_attendee_choices().exclude(
            pk__in=[m for _c, m in invited if m]
        )

    def clean(self):
        data = super().clean()
        if not data.get("contacts") and not data.get("members"):
            raise forms.ValidationError(_("Choose at least one person to invite."))
        return data


class AttendanceForm(forms.Form):
    """One choice per attendee (attended, absent, excused)."""

    CHOICES = [c for c in Attendee.Attendance.choices if c[0] != Attendee.Attendance.UNKNOWN]

    def __init__(self, *args, attendees: list[Attendee], **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = attendees
        for attendee in attendees:
            initial = attendee.attendance
            self.fields[f"attendee_{attendee.pk}"] = forms.ChoiceField(
                label=attendee.name,
                choices=self.CHOICES,
                initial=initial if initial != Attendee.Attendance.UNKNOWN else None,
                widget=forms.RadioSelect,
                required=False,
            )

    def attendance(self) -> dict[int, str]:
        return {
            a.pk: self.cleaned_data[f"attendee_{a.pk}"]
            for a in self.attendees
            if self.cleaned_data.get(f"attendee_{a.pk}")
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "notes", "presenter"]
        widgets = {"notes": _textarea(3)}


class AgendaItemEditForm(AgendaItemForm):
    class Meta(AgendaItemForm.Meta):
        fields = ["title", "notes", "presenter", "position"]
        help_texts = {"position": _("Items are shown in this order, smallest first.")}


class MinutesForm(forms.Form):
    """The overall minutes and a field per agenda item."""

    summary = forms.CharField(label=_("Overall minutes"), required=False, widget=_textarea(6))

    def __init__(self, *args, items: list[AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=_("Minutes: %(title)s") % {"title": item.title},
                required=False,
                initial=item.minutes,
                widget=_textarea(3),
            )

    def item_minutes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}", "") for item in self.items}


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Decision.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(3))
    accountable_contact = ContactChoiceField(
        label=_("Accountable (business decision)"),
        queryset=None,
        required=False,
        empty_label=_("Choose a contact with the budget mandate"),
        help_text=_("Only the customer's contacts with the budget mandate can approve."),
    )
    accountable_member = MemberChoiceField(
        label=_("Accountable (IT decision)"),
        queryset=None,
        required=False,
        empty_label=_("Choose an IT manager or steering member"),
    )

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accountable_contact"].queryset = selectors.business_decider_choices(customer)
        self.fields["accountable_member"].queryset = selectors.it_decider_choices()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Decision.Kind.BUSINESS:
            data["accountable_member"] = None
            if not data.get("accountable_contact"):
                self.add_error("accountable_contact", _("Name the accountable business contact."))
        elif kind == Decision.Kind.IT:
            data["accountable_contact"] = None
            if not data.get("accountable_member"):
                self.add_error(
                    "accountable_member", _("Name the accountable IT manager or steering member.")
                )
        return data


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2), max_length=2000)


class ActionItemFromMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(3))
    owner_member = MemberChoiceField(
        label=_("Owner in IT"), queryset=None, required=False, empty_label=_("No staff owner")
    )
    owner_contact = ContactChoiceField(
        label=_("Owner in the business"),
        queryset=None,
        required=False,
        empty_label=_("No business owner"),
        help_text=_("An action item has one owner: a staff member or a contact, not both."),
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=date_input())
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=None, required=False, empty_label=_("None")
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = selectors.staff_attendee_choices()
        self.fields["owner_contact"].queryset = Contact.objects.filter(
            customer_id=meeting.customer_id
        ).order_by("name", "pk")
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()

    def clean(self):
        data = super().clean()
        if data.get("owner_member") and data.get("owner_contact"):
            self.add_error(
                "owner_contact", _("Choose a staff owner or a business owner, not both.")
            )
        return data


# Cadences ----------------------------------------------------------------------------------------


class CadenceForm(forms.ModelForm):
    """A cadence's rule, time and people. The rule's combinations are checked here with
    messages that say what to choose; the model and the service check them again."""

    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"),
        choices=WEEK_OF_MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("With a weekday: the 2nd Tuesday, the last Friday..."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https"
    )
    organiser = MemberChoiceField(label=_("Organiser"), queryset=None)
    contacts = ContactsField(
        label=_("Business attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = MembersField(
        label=_("Staff attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cadence
        fields = [
            "customer",
            "meeting_type",
            "name",
            "purpose",
            "frequency",
            "interval",
            "month_day",
            "weekday",
            "week_of_month",
            "starts_on",
            "time_of_day",
            "duration_minutes",
            "location",
            "online_url",
            "organiser",
            "agenda_template",
        ]
        widgets = {
            "purpose": _textarea(2),
            "agenda_template": _textarea(4),
            "starts_on": date_input(),
            "time_of_day": TIME_INPUT,
        }

    def __init__(self, *args, zone, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        customer = self.instance.customer if editing else customer
        self.fields["meeting_type"].label = _("Type")
        self.fields["time_of_day"].help_text = _("Office time: %(zone)s.") % {"zone": zone.key}
        self.fields["organiser"].queryset = selectors.organiser_choices()
        self.fields["members"].queryset = selectors.staff_attendee_choices()
        contacts = Contact.objects.select_related("customer").order_by("customer__name", "name")
        if customer is not None:
            contacts = contacts.filter(customer=customer)
        self.fields["contacts"].queryset = contacts
        if editing:
            del self.fields["customer"]
            attendees = list(self.instance.attendees.all())
            self.initial["contacts"] = [a.contact_id for a in attendees if a.contact_id]
            self.initial["members"] = [a.member_id for a in attendees if a.member_id]
        else:
            self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")
            if customer is not None:
                self.fields["customer"].initial = customer.pk

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        month_day = data.get("month_day")
        weekday = data.get("weekday")
        week = data.get("week_of_month")
        if frequency == Frequency.WEEKLY:
            if month_day is not None or week is not None:
                self.add_error(
                    "frequency",
                    _(
                        "A meeting every N weeks is on a weekday: leave the day of the month "
                        "and the week of the month empty."
                    ),
                )
        elif frequency:
            if month_day is not None and week is not None:
                self.add_error(
                    "month_day",
                    _(
                        "Choose a day of the month or a weekday position (e.g. the 2nd "
                        "Tuesday), not both."
                    ),
                )
            if week is not None and weekday is None:
                self.add_error(
                    "weekday", _("A week of the month needs a weekday (e.g. the 2nd Tuesday).")
                )
            if weekday is not None and week is None and month_day is None:
                self.add_error(
                    "week_of_month",
                    _("Say which %(weekday)s of the month (1st to 5th, or last).")
                    % {"weekday": Weekday(weekday).label},
                )
        customer = data.get("customer") or getattr(self.instance, "customer", None)
        for contact in data.get("contacts") or ():
            if customer is not None and contact.customer_id != customer.pk:
                self.add_error(
                    "contacts",
                    _("%(name)s is not a contact of %(customer)s.")
                    % {"name": contact.name, "customer": customer.name},
                )
        return data

    def _post_clean(self):
        # The service validates and saves (audited); the model's own checks run there.
        pass

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        contacts = list(data.pop("contacts", None) or [])
        members = list(data.pop("members", None) or [])
        return {"contacts": contacts, "members": members, **data}
