"""The Partnership Agreement: one per customer, its numbered versions, their sections and the
four signatures that put a version in force.

A version is edited freely while it is a draft. Submitting it freezes it: its canonical content
gets a SHA-256 (agreements.content), and from then on a PostgreSQL trigger (migration 0002)
refuses any change to its content, its section rows and its signed or declined signatures.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, TenantOwnedModel
from brm.web.badges import badge_colours
from customers.models import ActionItem, Contact, Customer, Service

DEFAULT_REVIEW_MONTHS = 12


class AgreementSettings(TenantOwnedModel):
    """The office's settings for its agreements: how long a version in force runs to its review.

    One row per office, owned by this area (the tenant core knows nothing of agreements); an
    office without a row uses the defaults.
    """

    review_period_months = models.PositiveSmallIntegerField(
        _("review period (months)"),
        default=DEFAULT_REVIEW_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("An agreement in force is due for review this many months after signing."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="agreement_settings_one_per_office")
        ]

    def __str__(self) -> str:
        return f"Agreement settings ({self.review_period_months} months)"


class Agreement(TenantOwnedModel):
    """A customer's Partnership Agreement: the living document, one per customer.

    Its state is read off its versions (selectors.agreement_state); `review_due` is set when a
    version comes into force.
    """

    @badge_colours(
        none_in_force="secondary",
        in_force="success",
        in_force_newer_in_signature="info",
        review_overdue="danger",
    )
    class State(models.TextChoices):
        NONE_IN_FORCE = "none_in_force", _("None in force")
        IN_FORCE = "in_force", _("In force")
        IN_FORCE_NEWER_IN_SIGNATURE = (
            "in_force_newer_in_signature",
            _("In force, a newer version in signature"),
        )
        REVIEW_OVERDUE = "review_overdue", _("Review overdue")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "customer"],
                name="agreement_one_per_customer",
                violation_error_message=_("This customer has an agreement already."),
            ),
        ]
        indexes = [models.Index(fields=["tenant", "review_due"])]

    def __str__(self) -> str:
        return f"Partnership agreement with {self.customer}"


def sealed_pdf_path(version: AgreementVersion, filename: str) -> str:
    """Where a version's sealed PDF is stored: one name per version, so a second attempt at
    sealing finds the first one's file (agreements.services.version_seal)."""
    return (
        f"agreements/{version.tenant_id}/{version.agreement_id}/"
        f"agreement-{version.agreement_id}-v{version.number}-sealed.pdf"
    )


class AgreementVersion(TenantOwnedModel):
    """One numbered version of an agreement (1, 2, ...): draft, in signature, in force,
    superseded or withdrawn. Every version that left draft is kept unchanged."""

    @badge_colours(
        draft="light",
        in_signature="info",
        in_force="success",
        superseded="secondary",
        withdrawn="dark",
    )
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_SIGNATURE = "in_signature", _("In signature")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Superseded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.DRAFT, Status.IN_SIGNATURE)

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    relationship_philosophy = models.TextField(_("relationship philosophy"), blank=True)
    # Set when submitted (frozen from then on).
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    affirmation_text = models.TextField(_("affirmation"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The life after freezing: the only columns the trigger lets change.
    in_force_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)
    # The sealed PDF, made once when the version comes into force (agreements.pdf); the trigger
    # lets these be set once and never changed after.
    sealed_pdf = models.FileField(
        _("sealed PDF"), upload_to=sealed_pdf_path, max_length=200, blank=True
    )
    sealed_pdf_sha256 = models.CharField(_("sealed PDF SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "agreement", "number"], name="agreement_version_number_unique"
            ),
            # One version being worked on (draft or in signature) and one in force at a time.
            models.UniqueConstraint(
                fields=["tenant", "agreement"],
                condition=Q(status__in=["draft", "in_signature"]),
                name="agreement_one_open_version",
                violation_error_message=_("This agreement has a version in progress already."),
            ),
            models.UniqueConstraint(
                fields=["tenant", "agreement"],
                condition=Q(status="in_force"),
                name="agreement_one_version_in_force",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"])]

    def __str__(self) -> str:
        return f"{self.agreement}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class SectionRow(TenantOwnedModel):
    """A row of one of a version's structured sections, in `position` order."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)

    # The row's fields in the canonical content (and copied to a new draft).
    CONTENT_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def content(self) -> dict:
        values = {}
        for name in self.CONTENT_FIELDS:
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            values[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
        return values


class PartnerPlanRow(SectionRow):
    """Partner plan staff: a person of the relationship (a contact of the customer or a staff
    member), their title and contact details as of this version, and their role in it."""

    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        Membership,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    role = models.CharField(_("role in the agreement"), max_length=200)

    CONTENT_FIELDS = ("contact", "member", "name", "title", "email", "phone", "role", "position")

    class Meta(SectionRow.Meta):
        indexes = [models.Index(fields=["tenant", "version", "position"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    def clean(self):
        # Exactly one person; the database would take both. SET_NULL when the person is deleted
        # later leaves none, and the snapshot (name, title, ...) stays.
        if bool(self.contact_id) == bool(self.member_id):
            raise ValidationError(_("Name either a contact of the customer or a staff member."))


class EngagementRow(SectionRow):
    """Engagement strategy: one formal meeting type of the relationship, its purpose, attendees,
    frequency (as data the calendar can express) and usual duration.

    The meetings area turns these rows into cadences.
    """

    class MeetingType(models.TextChoices):
        MONTHLY_SERVICE_REVIEW = "monthly_service_review", _("Monthly service review")
        QUARTERLY_INITIATIVE_REVIEW = (
            "quarterly_initiative_review",
            _("Quarterly initiative review"),
        )
        ANNUAL_ALIGNMENT = "annual_alignment", _("Annual alignment of budget and strategy")
        OTHER = "other", _("Other")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every N weeks")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    meeting_type = models.CharField(_("meeting"), max_length=32, choices=MeetingType.choices)
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("For a meeting of another type.")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    attendee_roles = models.JSONField(_("attending roles"), default=list, blank=True)
    # Ids, not many-to-many tables: a join table would carry no tenant_id (no row-level
    # security), and the ids are part of the frozen content anyway.
    attendee_contact_ids = models.JSONField(_("attending contacts"), default=list, blank=True)
    attendee_member_ids = models.JSONField(_("attending staff"), default=list, blank=True)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("every"), default=1, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    month_day = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, choices=Weekday.choices
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(5)],
        help_text=_("1 to 5 for the first to fifth, -1 for the last (with a weekday)."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("usual duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )

    CONTENT_FIELDS = (
        "meeting_type",
        "name",
        "purpose",
        "attendee_roles",
        "attendee_contact_ids",
        "attendee_member_ids",
        "frequency",
        "interval",
        "month_day",
        "weekday",
        "week_of_month",
        "duration_minutes",
        "position",
    )

    class Meta(SectionRow.Meta):
        indexes = [models.Index(fields=["tenant", "version", "position"])]

    def __str__(self) -> str:
        return self.name or self.get_meeting_type_display()

    def clean(self):
        errors = {}
        if self.meeting_type == self.MeetingType.OTHER and not self.name.strip():
            errors["name"] = _("Name the meeting.")
        by_position = self.week_of_month is not None
        if by_position and self.weekday is None:
            errors["weekday"] = _("A week of the month needs a weekday (e.g. the 2nd Tuesday).")
        if self.week_of_month == 0:
            errors["week_of_month"] = _("Choose 1 to 5, or -1 for the last.")
        if self.frequency == self.Frequency.WEEKLY:
            if self.month_day is not None or by_position:
                errors["frequency"] = _("A weekly meeting is on a weekday, not a day of a month.")
        elif self.month_day is not None and by_position:
            errors["month_day"] = _("Choose a day of the month or a weekday position, not both.")
        elif self.frequency == self.Frequency.MONTHLY and not (self.month_day or by_position):
            errors["month_day"] = _(
                "A monthly meeting needs a day of the month or a weekday position."
            )
        for name in ("attendee_contact_ids", "attendee_member_ids"):
            values = getattr(self, name)
            if not isinstance(values, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in values
            ):
                errors[name] = _("A list of record ids.")
        if not isinstance(self.attendee_roles, list) or not all(
            isinstance(v, str) for v in self.attendee_roles
        ):
            errors["attendee_roles"] = _("A list of role names.")
        if errors:
            raise ValidationError(errors)


class ObjectiveRow(SectionRow):
    """Shared objectives and initiatives: an objective, the initiative towards it, its owner
    (named in words, or a staff member), target date and status."""

    @badge_colours(planned="light", in_progress="info", achieved="success", dropped="secondary")
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    objective = models.CharField(_("objective"), max_length=300)
    initiative = models.TextField(_("initiative"), blank=True)
    owner_text = models.CharField(_("owner"), max_length=200, blank=True)
    owner_member = models.ForeignKey(
        Membership,
        verbose_name=_("owner (staff)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )

    CONTENT_FIELDS = (
        "objective",
        "initiative",
        "owner_text",
        "owner_member",
        "target_date",
        "status",
        "position",
    )

    class Meta(SectionRow.Meta):
        indexes = [models.Index(fields=["tenant", "version", "position"])]

    def __str__(self) -> str:
        return self.objective

    def clean(self):
        if self.owner_text.strip() and self.owner_member_id:
            raise ValidationError(_("An objective has one owner: named, or a staff member."))


class ActionPlanRow(SectionRow):
    """The action plan: a customer's action item (source "agreement") linked to this version,
    with its title, owner and due date as of this version.

    The link lives here, on the agreements side, so the customers area never knows of
    agreements; the item itself goes on (in progress, done) in the customer's action plan while
    the frozen version keeps what was agreed.
    """

    action_item = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    CONTENT_FIELDS = ("action_item", "title", "owner_name", "due_date", "position")

    class Meta(SectionRow.Meta):
        indexes = [models.Index(fields=["tenant", "version", "position"])]

    def __str__(self) -> str:
        return self.title


class Signature(TenantOwnedModel):
    """Acceptance: one of the four signatures a version in signature needs, with the evidence
    of how it was given (or declined). Signed and declined signatures never change."""

    class SignerRole(models.TextChoices):
        RELATIONSHIP_MANAGER = "relationship_manager", _("Relationship manager")
        IT_MANAGER = "it_manager", _("IT manager")
        BUSINESS_MANAGER = "business_manager", _("Business manager")
        BUSINESS_LINE_MANAGER = "business_line_manager", _("Business line manager")

    STAFF_SIDE = (SignerRole.RELATIONSHIP_MANAGER, SignerRole.IT_MANAGER)
    CUSTOMER_SIDE = (SignerRole.BUSINESS_MANAGER, SignerRole.BUSINESS_LINE_MANAGER)

    @badge_colours(pending="warning", signed="success", declined="danger", voided="secondary")
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")
        VOIDED = "voided", _("Voided")

    class AuthMethod(models.TextChoices):
        PASSWORD = "password", _("Password")
        TOTP = "totp", _("Authenticator app (TOTP)")

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    role = models.CharField(_("signs as"), max_length=32, choices=SignerRole.choices)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # The evidence, recorded when signed or declined.
    signed_at = models.DateTimeField(_("signed at (UTC)"), null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(_("name"), max_length=200, blank=True)
    signer_email = models.EmailField(_("email"), blank=True)
    mandate_checked = models.BooleanField(_("mandate checked"), default=False)
    mandate_source = models.CharField(_("mandate source"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    auth_method = models.CharField(
        _("authenticated by"), max_length=16, choices=AuthMethod.choices, blank=True
    )
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    affirmation_text = models.TextField(_("affirmation"), blank=True)
    affirmation_sha256 = models.CharField(max_length=64, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "version", "role"], name="signature_one_per_role"
            ),
            models.UniqueConstraint(
                fields=["tenant", "version", "membership"], name="signature_one_per_person"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "membership", "status"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.version}"


class SlaLine(SectionRow):
    """The SLA and OLA appendix: one agreed service level of a catalogue service, either with
    the customer (SLA) or inside IT (OLA), with its target, the period it is measured over, and
    the workload limit and exceptions it holds under (ISO/IEC 20000-1 8.3.3).

    `key` (a slug of service and metric) names the measured series: a revision copies the line
    with its key, so the measurements go on across versions; `target_met` is derived from the
    measurement and the line, never stored.
    """

    class Kind(models.TextChoices):
        SLA = "sla", _("SLA (with the customer)")
        OLA = "ola", _("OLA (inside IT)")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SLA)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    metric = models.CharField(_("metric"), max_length=200)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.AT_LEAST
    )
    period = models.CharField(
        _("measurement period"), max_length=8, choices=Period.choices, default=Period.MONTH
    )
    workload_limit = models.TextField(_("workload limit"), blank=True)
    exceptions = models.TextField(_("exceptions"), blank=True)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Reminded of missing measurements. Empty: the service owner, then the RM."),
    )
    key = models.SlugField(_("key"), max_length=100)

    CONTENT_FIELDS = (
        "kind",
        "service",
        "metric",
        "target_value",
        "unit",
        "direction",
        "period",
        "workload_limit",
        "exceptions",
        "owner",
        "key",
        "position",
    )

    class Meta(SectionRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "version", "key"],
                name="sla_line_key_unique_in_version",
                violation_error_message=_(
                    "This version has a line for this service and metric already."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "version", "position"]),
            models.Index(fields=["tenant", "service"]),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.metric}"

    def content(self) -> dict:
        values = super().content()
        # A fixed number of decimals: the same target always reads the same in the JSON.
        values["target_value"] = format(self.target_decimal, "f")
        return values

    @property
    def target_decimal(self) -> Decimal:
        places = self._meta.get_field("target_value").decimal_places
        return Decimal(self.target_value).quantize(Decimal(1).scaleb(-places))

    @property
    def target_text(self) -> str:
        target = format(Decimal(self.target_value).normalize(), "f")
        sign = "≥" if self.direction == self.Direction.AT_LEAST else "≤"
        return f"{sign} {target} {self.unit}".strip()

    def met_by(self, actual) -> bool:
        """Whether `actual` meets the target, by the line's direction."""
        if self.direction == self.Direction.AT_LEAST:
            return Decimal(actual) >= Decimal(self.target_value)
        return Decimal(actual) <= Decimal(self.target_value)


class SlaMeasurement(TenantOwnedModel):
    """A measured actual of an SLA or OLA line for one period (a calendar month or quarter in
    the office's time zone): the value, the workload it was delivered under, where it came from.

    It belongs to the agreement and the line's key, so it outlives the version it was measured
    against (`line`: the line of the version in force for that period). Whether the target was
    met is derived (`target_met`), never stored.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        IMPORTED = "imported", _("Imported")
        API = "api", _("API")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    line_key = models.SlugField(_("line"), max_length=100)
    # RESTRICT, not PROTECT: the line may go with its draft or its agreement when the
    # measurement goes too (a deleted agreement takes both), never on its own.
    line = models.ForeignKey(
        SlaLine, verbose_name=_("measured against"), on_delete=models.RESTRICT, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    actual_value = models.DecimalField(_("actual"), max_digits=14, decimal_places=4)
    actual_workload = models.CharField(_("actual workload"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.ENTERED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "line_key", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "agreement", "line_key", "period_start"],
                name="sla_measurement_one_per_period",
                violation_error_message=_("This line has a measurement for this period already."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="sla_measurement_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "line", "period_start"]),
            models.Index(fields=["tenant", "period_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.line_key} {self.period_start:%Y-%m-%d}"

    @property
    def target_met(self) -> bool:
        return self.line.met_by(self.actual_value)
