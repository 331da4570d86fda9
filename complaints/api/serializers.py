"""Serializers of the complaints API: the complaint as the office's staff side sees it, what a
service desk sends to record one, the corrections staff may make, the bodies of the actions,
and the thread's messages (internal notes included: a key is the staff side)."""

from rest_framework import serializers

from brm.api.serializers import (
    StrictBooleanField,
    StrictCharField,
    TenantModelSerializer,
    TenantPrimaryKeyRelatedField,
)
from brm.tenancy.models import Membership
from complaints.models import Complaint, ComplaintCategory, ComplaintMessage
from customers.models import Contact, Customer, Purchaser, Service

# The choices several records call "status", named apart in the schema
# (ENUM_NAME_OVERRIDES in the settings).
COMPLAINT_STATUS = Complaint.Status


def _related(model, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return TenantPrimaryKeyRelatedField(queryset=model.all_tenants.all(), **kwargs)


class ComplaintSerializer(TenantModelSerializer):
    """A complaint: who raised it about what, how severe, where it stands on the route (level 1
    the relationship manager, 2 an IT manager, 3 the IT steering group), the targets in force
    (business hours, and when each falls due while the clock runs), whether they were breached,
    and how it was resolved and closed."""

    # Blank until there is one: documented as such (an empty email is no email address).
    raiser_email = serializers.CharField(
        read_only=True, help_text="The raiser's email when they are not a contact, else blank."
    )
    root_cause_category = serializers.ChoiceField(
        choices=Complaint.RootCause.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank until it is resolved.",
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "customer",
            "purchaser",
            "raiser_contact",
            "raiser_name",
            "raiser_email",
            "channel",
            "category",
            "severity",
            "subject",
            "description",
            "desired_outcome",
            "service",
            "status",
            "owner",
            "level",
            "about_rm",
            "acknowledge_hours",
            "acknowledge_due_at",
            "acknowledge_breached",
            "resolve_hours",
            "resolve_due_at",
            "resolve_breached",
            "root_cause_category",
            "root_cause",
            "resolution",
            "rating",
            "reopen_count",
            "received_at",
            "acknowledged_at",
            "resolved_at",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = fields


class ComplaintCreateSerializer(TenantModelSerializer):
    """A complaint as a service desk records it: the customer, the raiser (a contact of the
    customer, or a name and an email), what it is about and how severe. The channel is `api`
    unless said otherwise (a complaint that came by email or in a meeting); `received_at`, if
    before now, is when it arrived. The reference, the targets and the owner (the customer's
    relationship manager, or none at level 2 for a complaint about them) are set on receipt."""

    customer = TenantPrimaryKeyRelatedField(queryset=Customer.all_tenants.all())
    purchaser = _related(Purchaser)
    raiser_contact = _related(Contact)
    category = _related(ComplaintCategory)
    service = _related(Service)
    raiser_name = StrictCharField(required=False, allow_blank=True, max_length=200)
    raiser_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    channel = serializers.ChoiceField(
        choices=Complaint.Channel.choices,
        required=False,
        help_text="How it came in; `api` when left out.",
    )
    desired_outcome = StrictCharField(required=False, allow_blank=True)
    about_rm = StrictBooleanField(
        required=False,
        default=False,
        help_text="The complaint is about the customer's relationship manager: it starts at "
        "level 2 and is never shown to them.",
    )
    received_at = serializers.DateTimeField(
        required=False, help_text="When it arrived, if before now."
    )

    class Meta:
        model = Complaint
        fields = [
            "customer",
            "purchaser",
            "raiser_contact",
            "raiser_name",
            "raiser_email",
            "channel",
            "category",
            "severity",
            "subject",
            "description",
            "desired_outcome",
            "service",
            "about_rm",
            "received_at",
        ]
        extra_kwargs = {"severity": {"required": False}}


class ComplaintUpdateSerializer(TenantModelSerializer):
    """The corrections staff make to what a complaint is about (audited). Its severity changes
    with a reason, its raiser and customer never."""

    category = _related(ComplaintCategory)
    service = _related(Service)
    desired_outcome = StrictCharField(required=False, allow_blank=True)

    class Meta:
        model = Complaint
        fields = ["subject", "description", "desired_outcome", "category", "service"]


class AcknowledgeSerializer(serializers.Serializer):
    """Acknowledging a new complaint, with an optional line added to the raiser's email."""

    message = StrictCharField(required=False, allow_blank=True)


class AssignSerializer(serializers.Serializer):
    """The new owner: an active staff member who is not an analyst nor the relationship manager
    the complaint is about."""

    owner = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())


class EscalateSerializer(serializers.Serializer):
    """A staff decision to escalate one level: why, and optionally who takes it there (without
    one, the people at the new level take it)."""

    note = StrictCharField()
    owner = _related(Membership)


class CorrectiveActionSerializer(serializers.Serializer):
    """A corrective action item to make with the resolution (source "complaint")."""

    title = StrictCharField(max_length=200)
    description = StrictCharField(required=False, allow_blank=True)
    owner_member = _related(Membership)
    due_date = serializers.DateField(required=False, allow_null=True)


class ResolveSerializer(serializers.Serializer):
    """The resolution: the root cause (category and text) and what was done, with optional
    corrective action items. The raiser is then asked to confirm, in the portal."""

    root_cause_category = serializers.ChoiceField(choices=Complaint.RootCause.choices)
    root_cause = StrictCharField()
    resolution = StrictCharField()
    actions = CorrectiveActionSerializer(many=True, required=False)


class ComplaintMessageSerializer(TenantModelSerializer):
    """A message of the complaint's thread between the raiser's side and the office, or an
    internal note (`internal`: staff only, never emailed, never shown to the raiser's side).
    Messages written through the API come from the office; staff messages are emailed to the
    raiser."""

    body = StrictCharField()
    internal = StrictBooleanField(required=False, default=False)

    class Meta:
        model = ComplaintMessage
        fields = ["id", "author_name", "from_raiser", "internal", "body", "created_at"]
        read_only_fields = ["id", "author_name", "from_raiser", "created_at"]
