"""Complaints: raised by a customer, purchaser or user (portal, staff, API, email, a meeting),
acknowledged and resolved within the office's policy times in business hours, escalated along
the route (level 1 the customer's relationship manager, level 2 an IT manager, level 3 the IT
steering group) when a target is breached or on request, and closed by the raiser's
confirmation (or deemed accepted when the raiser does not answer).

The rules are in complaints/services.py, the clock (warnings, breaches, escalation on breach)
in complaints/clock.py, the reads in complaints/selectors.py.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, TenantOwnedModel
from brm.web.badges import badge_colours
from customers.models import Contact, Customer, Purchaser, Service

MAX_LEVEL = 3


@badge_colours(critical="danger", high="warning", medium="info", low="secondary")
class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# The office policy an office starts with (business hours): to acknowledge, to resolve at level
# 1 (counted from receipt), and the new resolve target each escalation sets (counted from the
# escalation). An office changes them per severity (ComplaintPolicy rows).
DEFAULT_POLICY: dict[str, dict[str, Decimal]] = {
    Severity.CRITICAL: {
        "ack": Decimal(2),
        "resolve": Decimal(16),
        "l2": Decimal(8),
        "l3": Decimal(4),
    },
    Severity.HIGH: {
        "ack": Decimal(4),
        "resolve": Decimal(40),
        "l2": Decimal(20),
        "l3": Decimal(10),
    },
    Severity.MEDIUM: {
        "ack": Decimal(8),
        "resolve": Decimal(80),
        "l2": Decimal(40),
        "l3": Decimal(20),
    },
    Severity.LOW: {
        "ack": Decimal(16),
        "resolve": Decimal(160),
        "l2": Decimal(80),
        "l3": Decimal(40),
    },
}

_hours = [MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(10000))]


def hours(value: Decimal | int | float | None) -> timedelta:
    """Business hours as a timedelta (a policy value)."""
    return timedelta(hours=float(value or 0))


class ComplaintPolicy(TenantOwnedModel):
    """The office's complaint policy for one severity: the business hours to acknowledge and to
    resolve, and the new resolve target at level 2 and at level 3.

    An office without a row for a severity uses DEFAULT_POLICY; saving a row overrides it.
    """

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    acknowledge_hours = models.DecimalField(
        _("hours to acknowledge"), max_digits=7, decimal_places=2, validators=_hours
    )
    resolve_hours = models.DecimalField(
        _("hours to resolve"), max_digits=7, decimal_places=2, validators=_hours
    )
    level_2_resolve_hours = models.DecimalField(
        _("hours to resolve once at level 2"), max_digits=7, decimal_places=2, validators=_hours
    )
    level_3_resolve_hours = models.DecimalField(
        _("hours to resolve once at level 3"), max_digits=7, decimal_places=2, validators=_hours
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "severity"], name="complaint_policy_one_per_severity"
            )
        ]

    def __str__(self) -> str:
        return f"Complaint policy ({self.get_severity_display()})"

    def resolve_hours_at(self, level: int) -> Decimal:
        return {1: self.resolve_hours, 2: self.level_2_resolve_hours}.get(
            level, self.level_3_resolve_hours
        )


class ComplaintCategory(TenantOwnedModel):
    """One entry of the office's list of complaint categories (e.g. "Service quality")."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("complaint categories")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"],
                name="complaint_category_name_unique",
                violation_error_message=_("A category with this name exists already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(TenantOwnedModel):
    """The last complaint number given in an office in a year: C-<year>-<number>. Locked while a
    number is taken, so two complaints received at once never share one."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year"], name="complaint_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(TenantOwnedModel):
    """A complaint: who raised it about what, how severe, where it stands, the targets in force
    (snapshotted from the policy with the values they came from), the escalation level, and how
    it was resolved and closed."""

    @badge_colours(
        new="primary",
        acknowledged="info",
        in_progress="info",
        waiting_on_raiser="warning",
        resolved="success",
        closed_confirmed="secondary",
        closed_deemed_accepted="secondary",
        reopened="danger",
    )
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING_ON_RAISER = "waiting_on_raiser", _("Waiting on the raiser")
        RESOLVED = "resolved", _("Resolved, awaiting confirmation")
        CLOSED_CONFIRMED = "closed_confirmed", _("Closed (confirmed)")
        CLOSED_DEEMED_ACCEPTED = "closed_deemed_accepted", _("Closed (deemed accepted)")
        REOPENED = "reopened", _("Reopened")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        STAFF = "staff", _("Entered by staff")
        API = "api", _("API (service desk)")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")

    class RootCause(models.TextChoices):
        PEOPLE = "people", _("People")
        PROCESS = "process", _("Process")
        TECHNOLOGY = "technology", _("Technology")
        SUPPLIER = "supplier", _("Supplier")
        COMMUNICATION = "communication", _("Communication")
        OTHER = "other", _("Other")

    Severity = Severity

    # The statuses in which the office is working on it (the clock may run).
    OPEN_STATUSES = (
        Status.NEW,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.WAITING_ON_RAISER,
        Status.REOPENED,
    )
    CLOSED_STATUSES = (Status.CLOSED_CONFIRMED, Status.CLOSED_DEEMED_ACCEPTED)
    # Work may go on (a message, an owner, an escalation, a resolution).
    WORKING_STATUSES = (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED)

    reference = models.CharField(_("reference"), max_length=20, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    purchaser = models.ForeignKey(
        Purchaser,
        verbose_name=_("purchaser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The raiser: a contact of the customer, or a name and an email (a user without a login).
    raiser_contact = models.ForeignKey(
        Contact,
        verbose_name=_("raised by (contact)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raiser_name = models.CharField(_("raiser's name"), max_length=200, blank=True)
    raiser_email = models.EmailField(_("raiser's email"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        ComplaintCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    desired_outcome = models.TextField(_("the outcome the raiser wants"), blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("related service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW
    )
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(
        _("escalation level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)],
    )
    # About the relationship manager: starts at level 2 and is never shown to that RM (the one
    # named here, the customer's RM when it was received).
    about_rm = models.BooleanField(_("about the relationship manager"), default=False)
    rm_concerned = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The targets in force, snapshotted from the policy: the hours and when each falls due
    # (moved on when the clock stops and runs again; see complaints/clock.py).
    acknowledge_hours = models.DecimalField(
        _("hours to acknowledge"), max_digits=7, decimal_places=2
    )
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    resolve_hours = models.DecimalField(_("hours to resolve"), max_digits=7, decimal_places=2)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    # When the resolve target in force started: receipt at level 1, the escalation after.
    resolve_started_at = models.DateTimeField()
    acknowledge_warned_at = models.DateTimeField(null=True, blank=True)
    resolve_warned_at = models.DateTimeField(null=True, blank=True)  # of the target in force
    resolve_target_breached_at = models.DateTimeField(null=True, blank=True)  # idem
    acknowledge_breached = models.BooleanField(_("acknowledge target breached"), default=False)
    resolve_breached = models.BooleanField(_("resolve target breached"), default=False)

    root_cause_category = models.CharField(
        _("root cause"), max_length=16, choices=RootCause.choices, blank=True
    )
    root_cause = models.TextField(_("root cause (details)"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("the raiser's rating of the handling"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    deemed_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    received_at = models.DateTimeField(_("received"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "reference"], name="complaint_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=MAX_LEVEL), name="complaint_level_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(raiser_contact__isnull=False) | ~Q(raiser_email=""),
                name="complaint_has_a_raiser",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "received_at", "id"], name="complaint_received"),
            models.Index(fields=["tenant", "status", "received_at"], name="complaint_status"),
            models.Index(fields=["tenant", "customer", "received_at"], name="complaint_customer"),
            models.Index(fields=["tenant", "level", "status"], name="complaint_level"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def raiser_display(self) -> str:
        return self.raiser_contact.name if self.raiser_contact_id else self.raiser_name

    @property
    def raiser_address(self) -> str:
        """Where the raiser's emails go ("" when there is nowhere)."""
        if self.raiser_contact_id:
            return self.raiser_contact.email
        return self.raiser_email

    @property
    def breached(self) -> bool:
        return self.acknowledge_breached or self.resolve_breached


class ClockSpan(TenantOwnedModel):
    """A stretch of time in which the complaint's clocks ran (from receipt, or from running
    again, to a pause or the resolution). Elapsed business time is the sum over the spans; the
    time between them (waiting on the raiser, awaiting confirmation) does not count."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="spans")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "complaint"],
                condition=Q(ended_at__isnull=True),
                name="complaint_one_running_span",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="complaint_span_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "complaint", "started_at"], name="complaint_span"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at} - {self.ended_at or '...'}"


class ComplaintMessage(TenantOwnedModel):
    """One message of the thread between the raiser and the office, or an internal note (staff
    only: never in the portal, an email or the portal-facing data)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("from"), max_length=200)
    from_raiser = models.BooleanField(_("from the raiser's side"), default=False)
    internal = models.BooleanField(_("internal note"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(internal=True, from_raiser=True),
                name="complaint_note_is_staff_only",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "complaint", "created_at"], name="complaint_message"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def attachment_path(attachment: ComplaintAttachment, filename: str) -> str:
    """A name nobody can guess (the original name is kept on the row, not in the path)."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"complaints/{attachment.tenant_id}/{secrets.token_urlsafe(24)}{extension}"


class ComplaintAttachment(TenantOwnedModel):
    """A file attached to a complaint (at most 10 MB, of an allowed type), served only through
    a view that checks `selectors.attachment_readable_by`. One attached to an internal note is
    staff only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ComplaintMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    internal = models.BooleanField(_("staff only"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_raiser = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["tenant", "complaint", "created_at"], name="complaint_attachment"),
        ]

    def __str__(self) -> str:
        return self.original_name


class Escalation(TenantOwnedModel):
    """One step along the route: from which level to which, who, when, why (a breached target,
    the raiser's request, a staff decision) and a note."""

    class Reason(models.TextChoices):
        BREACH = "breach", _("Resolve target breached")
        RAISER_REQUEST = "raiser_request", _("The raiser asked")
        STAFF_DECISION = "staff_decision", _("Staff decision")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_level=models.F("from_level") + 1),
                name="complaint_escalation_one_level_up",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "complaint", "at"], name="complaint_escalation"),
            models.Index(fields=["tenant", "at"], name="complaint_escalation_at"),
        ]

    def __str__(self) -> str:
        return f"{self.from_level} -> {self.to_level}"


class ComplaintEvent(TenantOwnedModel):
    """A line of the complaint's timeline: received, a status change, a new owner, a severity
    change with its reason and recomputed targets, a pause and a resume, a warning, a breach, an
    escalation, the resolution, the raiser's answer. `internal` ones are for staff only."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ASSIGNED = "assigned", _("Owner assigned")
        SEVERITY_CHANGED = "severity_changed", _("Severity changed")
        PAUSED = "paused", _("Waiting on the raiser")
        RESUMED = "resumed", _("Clock running again")
        WARNED = "warned", _("Target nearly reached")
        BREACHED = "breached", _("Target breached")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CONFIRMED = "confirmed", _("Resolution confirmed")
        REOPENED = "reopened", _("Resolution rejected, reopened")
        REMINDED = "reminded", _("Raiser reminded to confirm")
        DEEMED_ACCEPTED = "deemed_accepted", _("Closed as deemed accepted")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=24, choices=Complaint.Status.choices)  # after it
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["tenant", "complaint", "at"], name="complaint_event")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at}"
