from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Invitation, Membership, TenantOwnedModel
from brm.web.badges import badge_colours


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Service(TenantOwnedModel):
    """An IT service of the office's catalogue: what customers consume, what SLA lines measure."""

    @badge_colours(planned="info", live="success", retiring="warning", retired="secondary")
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        LIVE = "live", _("Live")
        RETIRING = "retiring", _("Retiring")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("service owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_services",
        help_text=_("The member of the IT staff accountable for the service."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"],
                name="service_name_unique",
                violation_error_message=_("A service with this name exists already."),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "name"]),
            models.Index(fields=["tenant", "owner", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class Customer(TenantOwnedModel):
    """A business unit whose manager holds the IT budget: who the BRM office serves.

    "Follow the money": the customer decides and signs; purchasers under it do not.
    """

    @badge_colours(prospect="info", active="success", dormant="secondary")
    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")

    name = models.CharField(_("name"), max_length=200)
    division = models.CharField(_("division"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    relationship_manager = models.ForeignKey(
        Membership,
        verbose_name=_("relationship manager"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    business_manager = models.ForeignKey(
        "Contact",
        verbose_name=_("business manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The customer contact who holds the IT budget."),
    )
    counterpart = models.ForeignKey(
        "Contact",
        verbose_name=_("business counterpart"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The one named person with authority for the relationship."),
    )
    strategy = models.TextField(_("strategy and operational plans"), blank=True)
    business_drivers = models.TextField(_("business drivers"), blank=True)
    demand_patterns = models.TextField(_("demand patterns"), blank=True)
    services = models.ManyToManyField(
        Service,
        through="CustomerService",
        related_name="customers",
        blank=True,
        verbose_name=_("services consumed"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"],
                name="customer_name_unique",
                violation_error_message=_("A customer with this name exists already."),
            ),
        ]
        # (tenant, name) is the unique constraint's index.
        indexes = [
            models.Index(fields=["tenant", "status", "name"]),
            models.Index(fields=["tenant", "relationship_manager", "name"]),
            models.Index(fields=["tenant", "division", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class CustomerService(TenantOwnedModel):
    """A customer consumes a catalogue service."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="service_links")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="customer_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "customer", "service"],
                name="customer_service_unique",
                violation_error_message=_("The customer consumes this service already."),
            ),
        ]
        indexes = [models.Index(fields=["tenant", "service", "customer"])]

    def __str__(self) -> str:
        return f"{self.customer_id} consumes {self.service_id}"


class RelationshipManagerAssignment(TenantOwnedModel):
    """One period in which a relationship manager looked after a customer (the history)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="rm_history")
    relationship_manager = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "customer", "started_at"])]

    def __str__(self) -> str:
        return f"{self.relationship_manager} for {self.customer}"


class Purchaser(TenantOwnedModel):
    """A line or department under a customer: orders and discusses existing services.

    Holds no mandate: cannot sign agreements or approve decisions.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="purchasers")
    name = models.CharField(_("name"), max_length=200)
    manager = models.ForeignKey(
        "Contact",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    it_contact = models.ForeignKey(
        Membership,
        verbose_name=_("designated IT contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who in IT looks after this purchaser."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "customer", "name"],
                name="purchaser_name_unique",
                violation_error_message=_("This customer has a purchaser with this name already."),
            ),
        ]
        # (tenant, customer, name) is the unique constraint's index.

    def __str__(self) -> str:
        return self.name


class Contact(TenantOwnedModel):
    """A person on the business side (stakeholder) of a customer, possibly of one purchaser."""

    class Authority(models.TextChoices):
        NONE = "none", _("None")
        INFLUENCES = "influences", _("Influences")
        RECOMMENDS = "recommends", _("Recommends")
        DECIDES = "decides", _("Decides (budget mandate)")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    purchaser = models.ForeignKey(
        Purchaser, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    role = models.CharField(
        _("role in the relationship"),
        max_length=200,
        blank=True,
        help_text=_("e.g. business manager, counterpart, service owner, key user"),
    )
    interests = models.TextField(_("interests"), blank=True)
    responsibilities = models.TextField(_("areas of responsibility"), blank=True)
    influence = models.CharField(_("influence"), max_length=8, choices=Level.choices, blank=True)
    authority = models.CharField(
        _("authority"), max_length=16, choices=Authority.choices, default=Authority.NONE
    )
    membership = models.OneToOneField(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
        help_text=_("The portal login of this contact."),
    )
    portal_invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "customer", "email"],
                condition=~Q(email=""),
                name="contact_email_unique_per_customer",
                violation_error_message=_("This customer has a contact with this email already."),
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "customer", "name"]),
            models.Index(fields=["tenant", "purchaser"]),
            models.Index(fields=["tenant", "email"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (
            self.purchaser_id
            and self.customer_id
            and self.purchaser.customer_id != self.customer_id
        ):
            raise ValidationError({"purchaser": _("This purchaser belongs to another customer.")})


class BusinessExpectation(TenantOwnedModel):
    """What the business expects of an IT service, with acceptance criteria and metrics."""

    @badge_colours(draft="light", proposed="info", agreed="success", retired="secondary")
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        RETIRED = "retired", _("Retired")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="expectations")
    title = models.CharField(_("title"), max_length=200)
    service = models.CharField(_("IT service"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    acceptance_criteria = models.TextField(_("acceptance criteria"), blank=True)
    metrics = models.TextField(_("metrics"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    agreed_by_business = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_by_it = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["tenant", "customer", "status"])]

    def __str__(self) -> str:
        return self.title


class RegisterItem(TenantOwnedModel):
    """An opportunity, risk or constraint in a customer's register, with owner and status."""

    @badge_colours(opportunity="success", risk="danger", constraint="secondary")
    class Kind(models.TextChoices):
        OPPORTUNITY = "opportunity", _("Opportunity")
        RISK = "risk", _("Risk")
        CONSTRAINT = "constraint", _("Constraint")

    @badge_colours(open="primary", in_progress="info", closed="secondary")
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="register")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impact = models.CharField(_("impact"), max_length=8, choices=Level.choices, blank=True)
    likelihood = models.CharField(
        _("likelihood"),
        max_length=8,
        choices=Level.choices,
        blank=True,
        help_text=_("For risks."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["tenant", "customer", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class ActionItem(TenantOwnedModel):
    """One item of the relationship's action plan: owner, due date, status, and its source.

    Owned by a staff member or by a business contact, never both. Agreements, meetings,
    complaints and surveys add items here too.
    """

    @badge_colours(open="primary", in_progress="info", done="success", cancelled="secondary")
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Action plan")
        AGREEMENT = "agreement", _("Agreement")
        MEETING = "meeting", _("Meeting")
        COMPLAINT = "complaint", _("Complaint")
        SURVEY = "survey", _("Survey")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_member = models.ForeignKey(
        Membership,
        verbose_name=_("owner (staff)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_contact = models.ForeignKey(
        Contact,
        verbose_name=_("owner (business contact)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner_member__isnull=False, owner_contact__isnull=False),
                name="action_item_one_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "due_date"]),
            # The default order (due date) read straight off an index, for all items and for
            # the open ones (open or in progress), which is what most lists ask for.
            models.Index(fields=["tenant", "due_date", "id"], name="action_item_due"),
            models.Index(
                fields=["tenant", "due_date", "id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="action_item_open_due",
            ),
            models.Index(fields=["tenant", "owner_member", "status", "due_date"]),
            models.Index(fields=["tenant", "owner_contact", "status"]),
            models.Index(fields=["tenant", "customer", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.owner_member or self.owner_contact

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    def clean(self):
        if self.owner_member_id and self.owner_contact_id:
            raise ValidationError(_("An action item has one owner: a staff member or a contact."))
        if (
            self.owner_contact_id
            and self.customer_id
            and (self.owner_contact.customer_id != self.customer_id)
        ):
            raise ValidationError({"owner_contact": _("This contact belongs to another customer.")})


class ActionItemComment(TenantOwnedModel):
    """A comment on an action item, by staff or by its business owner on the portal."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["tenant", "action_item", "created_at"])]

    def __str__(self) -> str:
        return self.body[:50]
