"""The communication plan and the notices that keep it (DOMAIN.md, "Communication plan").

A plan entry says what service information a customer hears from IT, who hears it (contacts by
name or by role), how often and by which channel, with its owner and when it is next due. A
notice is one such communication sent by the office: a planned maintenance window, a major
incident with its thread of updates, a change and release, a newsletter or a general notice,
to an audience of customers resolved to their contacts when it is sent. Each (notice or update,
contact) is one email through the outbox, keyed so it goes once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, TenantOwnedModel
from brm.web.badges import badge_colours
from customers.models import Contact, Customer, Purchaser, Service


class Topic(models.TextChoices):
    """What a plan entry and a notice are about."""

    SERVICE_REPORT = "service_report", _("Service report")
    PLANNED_MAINTENANCE = "planned_maintenance", _("Planned maintenance")
    MAJOR_INCIDENT = "major_incident", _("Major incident")
    CHANGE_RELEASE = "change_release", _("Change and release")
    NEWSLETTER = "newsletter", _("Newsletter")
    GENERAL = "general", _("General notice")
    OTHER = "other", _("Other")


# The kinds a notice takes (a service report is a document, delivered against the plan).
NOTICE_KINDS = [
    (Topic.PLANNED_MAINTENANCE.value, Topic.PLANNED_MAINTENANCE.label),
    (Topic.MAJOR_INCIDENT.value, Topic.MAJOR_INCIDENT.label),
    (Topic.CHANGE_RELEASE.value, Topic.CHANGE_RELEASE.label),
    (Topic.NEWSLETTER.value, Topic.NEWSLETTER.label),
    (Topic.GENERAL.value, Topic.GENERAL.label),
]
# What a portal user may opt out of. Planned maintenance, major incidents and changes and
# releases tell the business what happens to the services it works with: never opted out
# (docs/decisions.md, "Communications").
OPTIONAL_KINDS = frozenset({Topic.NEWSLETTER, Topic.GENERAL})


class AudienceRole(models.TextChoices):
    """Who of a customer's contacts receive a communication, by their role."""

    BUSINESS_MANAGER = "business_manager", _("Business manager")
    COUNTERPART = "counterpart", _("Business counterpart")
    PURCHASER_MANAGERS = "purchaser_managers", _("Purchasers' managers")
    PORTAL_USERS = "portal_users", _("Everyone with portal access")
    ALL_CONTACTS = "all_contacts", _("Every contact")


class PlanFrequency(models.TextChoices):
    """The cadences' frequencies, and "when it happens" for event-driven communications."""

    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    WHEN_IT_HAPPENS = "when_it_happens", _("When it happens")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal")
    MEETING = "meeting", _("Meeting")


class CommunicationPlanEntry(TenantOwnedModel):
    """One line of a customer's communication plan: what service information goes to whom, how
    often, by which channel, who in IT owns it and when it is next due."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="communication_plan"
    )
    topic = models.CharField(_("what"), max_length=32, choices=Topic.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    roles = models.JSONField(
        _("to whom (by role)"),
        default=list,
        blank=True,
        help_text=_("Roles of the customer's contacts who receive it."),
    )
    # Contacts named (ids of this customer's contacts; resolved in the office when sent).
    contact_ids = models.JSONField(_("to whom (by name)"), default=list, blank=True)
    frequency = models.CharField(_("how often"), max_length=20, choices=PlanFrequency.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    owner = models.ForeignKey(
        Membership, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    next_due = models.DateField(_("next due"), null=True, blank=True)
    last_delivered_on = models.DateField(_("last delivered"), null=True, blank=True)
    # The due date its owner was last reminded of: an overdue entry reminds once.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["customer__name", "topic", "pk"]
        verbose_name = _("communication plan entry")
        verbose_name_plural = _("communication plan entries")
        indexes = [
            models.Index(fields=["tenant", "customer", "topic"]),
            models.Index(fields=["tenant", "next_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.get_frequency_display()})"

    @property
    def role_labels(self) -> list[str]:
        labels = dict(AudienceRole.choices)
        return [str(labels.get(r, r)) for r in self.roles]

    def clean(self):
        unknown = set(self.roles or []) - set(AudienceRole.values)
        if unknown:
            raise ValidationError({"roles": _("Choose roles from the list.")})
        if self.frequency == PlanFrequency.WHEN_IT_HAPPENS and self.next_due:
            raise ValidationError(
                {"next_due": _("A communication sent when it happens has no due date.")}
            )


class PlanDelivery(TenantOwnedModel):
    """A plan entry delivered: the date it was due, the date it went out (and the notice)."""

    entry = models.ForeignKey(
        CommunicationPlanEntry, on_delete=models.CASCADE, related_name="deliveries"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"))
    notice = models.ForeignKey(
        "Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        indexes = [models.Index(fields=["tenant", "customer", "delivered_on"])]

    def __str__(self) -> str:
        return f"{self.entry} delivered {self.delivered_on}"

    @property
    def on_time(self) -> bool:
        return self.due_on is None or self.delivered_on <= self.due_on


class Notice(TenantOwnedModel):
    """A communication from IT to an audience of customers: planned maintenance (with its
    window), a major incident (with its updates), a change and release, a newsletter or a
    general notice. A draft until sent; sending resolves the audience to contacts."""

    @badge_colours(draft="secondary", sent="success")
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    class Resolve(models.TextChoices):
        PLAN = "plan", _("Through each customer's communication plan")
        ROLES = "roles", _("By role")
        HAND = "hand", _("Chosen by hand")

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        API = "api", _("API")

    kind = models.CharField(_("kind"), max_length=32, choices=NOTICE_KINDS)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Plain text; **bold**, *italic*, lists and links are kept.")
    )
    window_starts_at = models.DateTimeField(_("maintenance starts"), null=True, blank=True)
    window_ends_at = models.DateTimeField(_("maintenance ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    # The audience: the customers named, and / or every customer consuming the service.
    # Ids of the office's customers and contacts, read in the office when the audience is
    # resolved (an id of another office matches nothing); see docs/decisions.md.
    customer_ids = models.JSONField(_("customers"), default=list, blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("every customer consuming"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purchasers_only = models.BooleanField(
        _("only the purchasers' contacts"),
        default=False,
        help_text=_("Narrow the audience to the contacts of purchaser units."),
    )
    resolve = models.CharField(
        _("recipients"), max_length=8, choices=Resolve.choices, default=Resolve.ROLES
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    contact_ids = models.JSONField(_("contacts"), default=list, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.STAFF)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When the audience was resolved to contacts (once, by the send job).
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="notice_recent"),
            models.Index(fields=["tenant", "status", "-sent_at"], name="notice_sent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_starts_at__isnull=True)
                | Q(window_ends_at__isnull=True)
                | Q(window_ends_at__gt=models.F("window_starts_at")),
                name="notice_window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_optional(self) -> bool:
        return self.kind in OPTIONAL_KINDS

    def clean(self):
        errors = {}
        if self.kind == Topic.PLANNED_MAINTENANCE:
            if not self.window_starts_at:
                errors["window_starts_at"] = _("A planned maintenance has a window: its start.")
            if not self.window_ends_at:
                errors["window_ends_at"] = _("A planned maintenance has a window: its end.")
        elif self.window_starts_at or self.window_ends_at:
            errors["window_starts_at"] = _("Only a planned maintenance has a window.")
        if (
            self.window_starts_at
            and self.window_ends_at
            and self.window_ends_at <= self.window_starts_at
        ):
            errors["window_ends_at"] = _("The window ends after it starts.")
        unknown = set(self.roles or []) - set(AudienceRole.values)
        if unknown:
            errors["roles"] = _("Choose roles from the list.")
        if errors:
            raise ValidationError(errors)


class NoticeUpdate(TenantOwnedModel):
    """A step of a major incident (investigating, identified, resolved), sent to the notice's
    audience as it was resolved when the notice went out."""

    @badge_colours(investigating="danger", identified="warning", resolved="success")
    class Stage(models.TextChoices):
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        RESOLVED = "resolved", _("Resolved")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="updates")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    body = models.TextField(_("update"))
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["tenant", "notice", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.notice}"


class NoticeRecipient(TenantOwnedModel):
    """A contact a sent notice went to, and why (the rule that chose them)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    purchaser = models.ForeignKey(
        Purchaser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("email"))
    reason = models.CharField(_("why"), max_length=200)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "notice", "contact"], name="notice_recipient_once"
            )
        ]
        indexes = [models.Index(fields=["tenant", "customer", "notice"])]

    def __str__(self) -> str:
        return f"{self.contact} ({self.notice})"


class NoticeAudience(TenantOwnedModel):
    """A customer a sent notice was addressed to, and the purchaser units it was narrowed to
    (none: the whole customer), for the portal's "News from IT"."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="audience")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    whole_customer = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "notice", "customer"], name="notice_audience_once"
            )
        ]
        indexes = [models.Index(fields=["tenant", "customer", "notice"])]

    def __str__(self) -> str:
        return f"{self.customer} ({self.notice})"


class CommunicationPreference(TenantOwnedModel):
    """What a contact chose not to receive: newsletters, general notices. The essential kinds
    (planned maintenance, major incidents, changes and releases) cannot be refused."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    newsletters = models.BooleanField(_("receive newsletters"), default=True)
    general = models.BooleanField(_("receive general notices"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "contact"], name="communication_preference_one_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.contact}"
