"""Serializers of the meetings API: cadences with their default attendees, meetings with their
attendees, agenda and minutes nested (read), and decisions with who is accountable.

Times a calendar cannot hold sensibly are refused here as input (a 400 naming the field): the
rules and the recurrence work in the office's zone, and a date near the ends of the calendar
would overflow that conversion.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brm.api.serializers import StrictCharField, TenantModelSerializer, TenantPrimaryKeyRelatedField
from brm.tenancy.models import Membership
from customers.models import Contact, Customer
from meetings.models import (
    AgendaItem,
    Attendee,
    Cadence,
    CadenceAttendee,
    Decision,
    Meeting,
    Minutes,
)

# The choices several records call "status" or "kind", named apart in the schema
# (ENUM_NAME_OVERRIDES in the settings).
CADENCE_STATUS = Cadence.Status
MEETING_STATUS = Meeting.Status
MEETING_KIND = Meeting.Kind
MINUTES_STATUS = Minutes.Status
DECISION_STATUS = Decision.Status
DECISION_KIND = Decision.Kind

EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)
RANGE_MESSAGE = _("Give a date from 2000-01-01 to 2199-12-31.")


def _in_range(day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise serializers.ValidationError(RANGE_MESSAGE)


def _moment_in_range(moment: datetime) -> datetime:
    _in_range(moment.astimezone(UTC).date())
    return moment


@extend_schema_field(
    {"type": "string", "maxLength": 500, "description": "A web address, or empty when none."}
)
class OnlineUrlField(serializers.URLField):
    """The online meeting link: a web address, or "" (which `format: uri` would not allow)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "description": "An email address, or empty when none."})
class InvitedEmailField(serializers.EmailField):
    """The address an invitation went to; a contact may have none."""


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "10:00",
        "description": "Office time, HH:MM (HH:MM:SS is read too).",
    }
)
class TimeOfDayField(serializers.TimeField):
    """A time of day in the office's zone, without an offset: `format: time` would demand one.
    Written HH:MM or HH:MM:SS only (an offset such as +01:00 is refused)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


def _people(model, help_text):
    return TenantPrimaryKeyRelatedField(
        queryset=model.all_tenants.all(),
        many=True,
        required=False,
        write_only=True,
        help_text=help_text,
    )


class CadenceAttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CadenceAttendee
        fields = ["id", "contact", "member"]
        read_only_fields = fields


class CadenceSerializer(TenantModelSerializer):
    """A recurring meeting with a customer (an engagement cadence): what it is for, when it
    recurs in the office's time zone, who organises and attends. Creating one plans its
    occurrences up to the office's horizon; changing it moves its future planned meetings."""

    customer = TenantPrimaryKeyRelatedField(
        queryset=Customer.all_tenants.all(), help_text="Set on create; a change is ignored."
    )
    organiser = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    time_of_day = TimeOfDayField()
    online_url = OnlineUrlField()
    attendees = CadenceAttendeeSerializer(many=True, read_only=True)
    contacts = _people(Contact, "Default attendees: contacts of the customer (the whole list).")
    members = _people(Membership, "Default attendees: staff members (the whole list).")

    class Meta:
        model = Cadence
        fields = [
            "id",
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
            "status",
            "attendees",
            "contacts",
            "members",
            "planned_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "planned_until", "created_at", "updated_at"]
        validators = []  # the services' rules answer, as 400s naming the field

    def validate_starts_on(self, value):
        _in_range(value)
        return value


class AttendeeSerializer(serializers.ModelSerializer):
    """A person invited to the meeting and, once it is held, whether they attended."""

    email = InvitedEmailField(read_only=True)

    class Meta:
        model = Attendee
        fields = ["id", "contact", "member", "name", "email", "attendance", "removed_at"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "notes", "presenter", "source", "withdrawn", "minutes"]
        read_only_fields = fields


class MinutesSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=MINUTES_STATUS.choices, read_only=True)

    class Meta:
        model = Minutes
        fields = ["status", "summary", "published_at"]
        read_only_fields = fields


class MinutesField(MinutesSerializer):
    """The meeting's minutes, or null while none are written."""

    def get_attribute(self, instance):
        try:
            return instance.minutes
        except Minutes.DoesNotExist:
            return None


class MeetingSerializer(TenantModelSerializer):
    """One meeting with a customer: an occurrence of a cadence or a one-off, with its
    invitations, agenda and minutes. `sequence` is its calendar SEQUENCE, raised on every change
    of time, place or status."""

    customer = TenantPrimaryKeyRelatedField(
        queryset=Customer.all_tenants.all(), help_text="Set on create; a change is ignored."
    )
    organiser = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    kind = serializers.ChoiceField(
        choices=MEETING_KIND.choices,
        required=False,
        help_text="A one-off's kind; a cadence's meetings are planned from the cadence.",
    )
    online_url = OnlineUrlField()
    status = serializers.ChoiceField(choices=MEETING_STATUS.choices, read_only=True)
    attendees = AttendeeSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    minutes = MinutesField(read_only=True, allow_null=True)
    contacts = _people(Contact, "Invite these contacts of the customer (on create).")
    members = _people(Membership, "Invite these staff members (on create).")
    agenda_template = StrictCharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="The first agenda items, one a line (on create).",
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "customer",
            "cadence",
            "occurrence_date",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "status",
            "organiser",
            "sequence",
            "cancel_reason",
            "attendees",
            "agenda",
            "minutes",
            "contacts",
            "members",
            "agenda_template",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "cadence",
            "occurrence_date",
            "sequence",
            "cancel_reason",
            "created_at",
            "updated_at",
        ]
        validators = []

    def validate_kind(self, value):
        # meeting_create refuses it; a one-off is not turned into a cadence's occurrence later
        # (a cadence's own meeting may send its kind back unchanged).
        own = self.instance is not None and self.instance.cadence_id is not None
        if value == Meeting.Kind.CADENCE and not own:
            raise serializers.ValidationError(
                _("A cadence's meetings are planned from the cadence.")
            )
        return value

    def validate_starts_at(self, value):
        return _moment_in_range(value)

    def validate_ends_at(self, value):
        return _moment_in_range(value)


class MeetingListSerializer(TenantModelSerializer):
    """A meeting in a list: read one for its attendees, agenda and minutes."""

    status = serializers.ChoiceField(choices=MEETING_STATUS.choices, read_only=True)
    kind = serializers.ChoiceField(choices=MEETING_KIND.choices, read_only=True)
    online_url = OnlineUrlField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "customer",
            "cadence",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "status",
            "organiser",
            "sequence",
        ]
        read_only_fields = fields


class CancelSerializer(serializers.Serializer):
    """Calling a planned meeting off, with the reason the invitees read."""

    reason = StrictCharField(
        required=False, allow_blank=True, max_length=500, help_text="Why it is called off."
    )


class DecisionSerializer(TenantModelSerializer):
    """A decision taken with a customer: who is accountable (a business contact with the budget
    mandate, or an IT manager or steering member for an IT decision) and, once decided, by whom
    and when. Approval is by the accountable person, never by an API key."""

    customer = TenantPrimaryKeyRelatedField(queryset=Customer.all_tenants.all())
    meeting = TenantPrimaryKeyRelatedField(
        queryset=Meeting.all_tenants.all(), required=False, allow_null=True
    )
    accountable_contact = TenantPrimaryKeyRelatedField(
        queryset=Contact.all_tenants.all(),
        required=False,
        allow_null=True,
        help_text="For a business decision: a contact of the customer with the budget mandate.",
    )
    accountable_member = TenantPrimaryKeyRelatedField(
        queryset=Membership.all_tenants.all(),
        required=False,
        allow_null=True,
        help_text="For an IT decision: an IT manager or a steering group member.",
    )
    kind = serializers.ChoiceField(choices=DECISION_KIND.choices)
    status = serializers.ChoiceField(choices=DECISION_STATUS.choices, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "customer",
            "meeting",
            "title",
            "description",
            "kind",
            "accountable_contact",
            "accountable_member",
            "status",
            "decided_by_name",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = ["id", "decided_by_name", "decided_at", "decision_note", "created_at"]
        validators = []


class DecideSerializer(serializers.Serializer):
    """The accountable person's approval or rejection, with a note kept beside it."""

    note = StrictCharField(
        required=False, allow_blank=True, max_length=2000, help_text="Kept with the decision."
    )
