"""Serializers of the agreements API: agreements with their derived state, versions with their
sections as nested lists of rows, and the four signers a submission names."""

from rest_framework import serializers

from agreements import services
from agreements.models import (
    ActionPlanRow,
    Agreement,
    AgreementVersion,
    EngagementRow,
    ObjectiveRow,
    PartnerPlanRow,
    Signature,
)
from brm.api.filters import ID_MAX, ID_MIN
from brm.api.serializers import (
    StrictCharField,
    TenantModelSerializer,
    TenantPrimaryKeyRelatedField,
)
from brm.tenancy.models import Membership
from customers.models import Contact, Customer

# The choices several records call "status", named apart in the schema (ENUM_NAME_OVERRIDES).
VERSION_STATUS = AgreementVersion.Status
SIGNATURE_STATUS = Signature.Status
OBJECTIVE_STATUS = ObjectiveRow.Status


def flat_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Nested validation errors as one level, the field named by its path: a section row's
    error `{"engagement": [{}, {"weekday": [...]}]}` becomes `{"engagement.1.weekday": [...]}`
    (the API's error shape has one list of messages per field)."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = prefix if key == "non_field_errors" and prefix else f"{prefix}.{key}".strip(".")
            flat.update(flat_errors(value, name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(flat_errors(item, f"{prefix}.{index}".strip(".")))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


class AgreementSerializer(TenantModelSerializer):
    """A customer's Partnership Agreement: the living document, one per customer, with its state
    read off its versions. Creating one makes its first version, a draft."""

    customer = TenantPrimaryKeyRelatedField(queryset=Customer.all_tenants.all())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    state = serializers.ChoiceField(
        choices=Agreement.State.choices,
        read_only=True,
        help_text="Derived from the versions: none in force, in force, in force with a newer "
        "version in signature, review overdue.",
    )
    in_force_version = serializers.IntegerField(
        source="in_force_number",
        read_only=True,
        allow_null=True,
        help_text="The number of the version in force.",
    )
    in_signature_version = serializers.IntegerField(
        source="in_signature_number",
        read_only=True,
        allow_null=True,
        help_text="The number of the version in signature.",
    )
    pending_signatures = serializers.IntegerField(
        read_only=True, help_text="Signatures awaited on the version in signature."
    )
    latest_version_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The id of the newest version (a new agreement's draft), for "
        "/api/v1/agreement-versions/{id}/.",
    )
    relationship_philosophy = StrictCharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="The first draft's relationship philosophy (on create only).",
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "customer",
            "customer_name",
            "state",
            "review_due",
            "in_force_version",
            "in_signature_version",
            "pending_signatures",
            "latest_version_id",
            "relationship_philosophy",
            "created_at",
        ]
        read_only_fields = ["id", "review_due", "created_at"]
        # The service says "has an agreement already" (a 400 with the message).
        validators = []


class SectionRows(serializers.ListSerializer):
    """A version's rows of one section (the field's name), in position order."""

    def get_attribute(self, instance):
        return list(services.section_rows(instance, self.field_name))


ROW_ID_HELP = (
    "The id of one of the section's rows, to keep and change it; leave it out to add a row."
)


def _row_id():
    return serializers.IntegerField(
        required=False, min_value=ID_MIN, max_value=ID_MAX, help_text=ROW_ID_HELP
    )


def _person(model, **kwargs):
    return TenantPrimaryKeyRelatedField(
        queryset=model.all_tenants.all(), required=False, allow_null=True, **kwargs
    )


class PartnerPlanRowSerializer(TenantModelSerializer):
    id = _row_id()
    contact = _person(Contact)
    member = _person(Membership)

    class Meta:
        model = PartnerPlanRow
        list_serializer_class = SectionRows
        fields = ["id", "contact", "member", "name", "title", "email", "phone", "role"]
        extra_kwargs = {"name": {"required": False}, "role": {"required": False}}


class EngagementRowSerializer(TenantModelSerializer):
    id = _row_id()
    attendee_roles = serializers.ListField(
        child=StrictCharField(max_length=100), required=False, max_length=20
    )
    attendee_contact_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=ID_MIN, max_value=ID_MAX),
        required=False,
        max_length=50,
        help_text="Contacts of the customer who attend.",
    )
    attendee_member_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=ID_MIN, max_value=ID_MAX),
        required=False,
        max_length=50,
        help_text="Staff members (membership ids) who attend.",
    )

    class Meta:
        model = EngagementRow
        list_serializer_class = SectionRows
        fields = ["id", *services.SECTION_FIELDS["engagement"]]
        extra_kwargs = {"meeting_type": {"required": False}, "frequency": {"required": False}}


class ObjectiveRowSerializer(TenantModelSerializer):
    id = _row_id()
    owner_member = _person(Membership)

    class Meta:
        model = ObjectiveRow
        list_serializer_class = SectionRows
        fields = ["id", *services.SECTION_FIELDS["objectives"]]
        extra_kwargs = {"objective": {"required": False}}


class ActionPlanRowSerializer(TenantModelSerializer):
    """The action plan: a customer's action item (source "agreement") in this version, with its
    title, owner and due date as of the version. Writing a row writes the action item."""

    id = _row_id()
    owner_member = _person(Membership, write_only=True, help_text="The item's staff owner.")
    owner_contact = _person(
        Contact, write_only=True, help_text="Or its owner on the business side."
    )

    class Meta:
        model = ActionPlanRow
        list_serializer_class = SectionRows
        fields = [
            "id",
            "action_item",
            "title",
            "owner_name",
            "owner_member",
            "owner_contact",
            "due_date",
        ]
        read_only_fields = ["action_item", "owner_name"]
        extra_kwargs = {"title": {"required": False}}


class SignatureSerializer(TenantModelSerializer):
    """Acceptance: one of the four signatures of a version, and where it stands. People sign on
    the staff pages and the portal, never through the API."""

    class Meta:
        model = Signature
        fields = [
            "id",
            "role",
            "membership",
            "status",
            "signer_name",
            "signed_at",
            "declined_at",
            "voided_at",
            "auth_method",
            "mandate_checked",
            "mandate_source",
            "content_sha256",
        ]
        read_only_fields = fields


VERSION_FIELDS = [
    "id",
    "agreement",
    "customer",
    "number",
    "status",
    "relationship_philosophy",
    "content_sha256",
    "submitted_at",
    "in_force_at",
    "superseded_at",
    "withdrawn_at",
    "withdrawn_reason",
    "sealed_pdf_sha256",
    "created_at",
    "updated_at",
]


class AgreementVersionListSerializer(TenantModelSerializer):
    """One numbered version of an agreement (draft, in signature, in force, superseded or
    withdrawn), without its sections: read one version for those."""

    customer = serializers.IntegerField(source="agreement.customer_id", read_only=True)

    class Meta:
        model = AgreementVersion
        fields = VERSION_FIELDS
        read_only_fields = [f for f in VERSION_FIELDS if f != "relationship_philosophy"]


class AgreementVersionSerializer(AgreementVersionListSerializer):
    """One numbered version of an agreement with every section. A draft is changed with PATCH:
    `relationship_philosophy`, and any section given as the whole list of its rows (a row with
    the `id` of an existing row changes it, one without is added, a row left out is deleted, and
    the list's order is the section's order)."""

    partner_plan = PartnerPlanRowSerializer(many=True, required=False)
    engagement = EngagementRowSerializer(many=True, required=False)
    objectives = ObjectiveRowSerializer(many=True, required=False)
    action_plan = ActionPlanRowSerializer(many=True, required=False)
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta(AgreementVersionListSerializer.Meta):
        fields = [
            *VERSION_FIELDS,
            "partner_plan",
            "engagement",
            "objectives",
            "action_plan",
            "signatures",
        ]
        extra_kwargs = {"relationship_philosophy": {"required": False}}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(flat_errors(exc.detail)) from None


class SubmitSerializer(serializers.Serializer):
    """The four signers a version in signature needs, by membership id: the customer's
    relationship manager, an IT manager, the customer's business manager and a business line
    manager (both contacts of the customer with the budget mandate and a customer portal
    login). Four different people; a purchaser is refused."""

    relationship_manager = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    it_manager = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    business_manager = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    business_line_manager = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())


class WithdrawSerializer(serializers.Serializer):
    """Why the version is taken out of signature (kept in its history)."""

    reason = StrictCharField(required=False, allow_blank=True, max_length=2000)
