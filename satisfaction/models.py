"""Satisfaction: surveys (templates of questions, frozen once sent, changed by a new version),
campaigns that send a survey to an audience of contacts under the office's fatigue rules,
invitations (one per contact per campaign, reached by a link whose token is stored only as its
SHA-256), responses with their answers, opt-outs, and the office's satisfaction settings.

The rules are in satisfaction/services.py (and audience.py for who is invited and who a rule
holds back), the reads in satisfaction/selectors.py, the figures in satisfaction/stats.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, TenantOwnedModel
from brm.web.badges import badge_colours
from customers.models import ActionItem, Contact, Customer, Service


class SatisfactionSettings(TenantOwnedModel):
    """The office's fatigue rules and the minimum number of answers behind a shown figure. One
    row per office, saved on its first change; read through selectors.settings_for_office."""

    invitations_per_year = models.PositiveSmallIntegerField(
        _("invitations per contact in 12 months"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("A contact is invited at most this many times in any 12 months."),
    )
    invitation_gap_days = models.PositiveSmallIntegerField(
        _("days between a contact's invitations"),
        default=60,
        validators=[MaxValueValidator(365)],
        help_text=_("At least this many days between two invitations of the same contact."),
    )
    campaigns_per_customer_quarter = models.PositiveSmallIntegerField(
        _("campaigns per customer in a quarter"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("A customer organisation takes part in at most this many campaigns a quarter."),
    )
    minimum_answers = models.PositiveSmallIntegerField(
        _("minimum number of answers"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Below this many answers a figure is shown as 'fewer than N answers'."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("satisfaction settings")
        verbose_name_plural = _("satisfaction settings")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="satisfaction_settings_one_per_office")
        ]

    def __str__(self) -> str:
        return str(_("Satisfaction settings"))


class Survey(TenantOwnedModel):
    """A survey template. Once a campaign has sent it (`frozen_at`), it is not changed again:
    a change makes a new version (`previous` points at the version it replaces, `version`
    counts up along the chain)."""

    name = models.CharField(_("name"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        editable=False,
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "-version"]
        indexes = [models.Index(fields=["tenant", "name"], name="survey_tenant_name")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})" if self.version > 1 else self.name

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(TenantOwnedModel):
    """One question of a survey, in the office's language (`text`) and, optionally, others
    (`translations`: language code to text)."""

    class Kind(models.TextChoices):
        NPS = "nps", _("Likelihood to recommend (0-10)")
        CSAT = "csat", _("Satisfaction (1-5)")
        SERVICE_RATING = "service_rating", _("Rating per service used (1-5)")
        EFFORT = "effort", _("Effort (1-7)")
        CHOICE = "choice", _("Single choice")
        TEXT = "text", _("Free text")

    # The scale of each scored kind: (lowest, highest).
    SCALES = {
        Kind.NPS: (0, 10),
        Kind.CSAT: (1, 5),
        Kind.SERVICE_RATING: (1, 5),
        Kind.EFFORT: (1, 7),
    }

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("The options of a single choice.")
    )

    class Meta:
        ordering = ["survey", "position", "pk"]
        indexes = [models.Index(fields=["tenant", "survey", "position"], name="question_order")]

    def __str__(self) -> str:
        return self.text

    @property
    def scale(self) -> tuple[int, int] | None:
        return self.SCALES.get(self.kind)

    def text_in(self, language: str) -> str:
        return (self.translations or {}).get(language) or self.text


class Campaign(TenantOwnedModel):
    """A survey sent to an audience between two times, with its reminders and anonymity."""

    @badge_colours(
        draft="secondary", scheduled="info", open="primary", closed="dark", cancelled="secondary"
    )
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class AudienceRole(models.TextChoices):
        BUSINESS_MANAGERS = "business_managers", _("Business managers")
        COUNTERPARTS = "counterparts", _("Counterparts")
        MANDATE = "mandate", _("Contacts with the mandate")
        PURCHASER_CONTACTS = "purchaser_contacts", _("Purchasers' contacts")
        ALL_CONTACTS = "all_contacts", _("All contacts with an email")

    class AudienceScope(models.TextChoices):
        ALL = "all", _("All active customers")
        RELATIONSHIP_MANAGER = "relationship_manager", _("One relationship manager's customers")
        DIVISION = "division", _("A division's customers")
        CHOSEN = "chosen", _("Chosen customers")

    class Repeat(models.TextChoices):
        NONE = "", _("Does not repeat")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")

    class Anonymity(models.TextChoices):
        ATTRIBUTED = "attributed", _("Attributed")
        CONFIDENTIAL = "confidential", _("Confidential (staff see aggregates only)")
        ANONYMOUS = "anonymous", _("Anonymous (no link from response to invitation)")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    audience_role = models.CharField(
        _("who"), max_length=24, choices=AudienceRole.choices, default=AudienceRole.ALL_CONTACTS
    )
    audience_scope = models.CharField(
        _("of which customers"),
        max_length=24,
        choices=AudienceScope.choices,
        default=AudienceScope.ALL,
    )
    relationship_manager = models.ForeignKey(
        Membership,
        verbose_name=_("relationship manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.CharField(_("division"), max_length=200, blank=True)
    customers = models.ManyToManyField(
        Customer, verbose_name=_("customers"), blank=True, related_name="+"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    repeat = models.CharField(
        _("repeat"), max_length=16, choices=Repeat.choices, default=Repeat.NONE, blank=True
    )
    reminders_max = models.PositiveSmallIntegerField(
        _("reminders at most"), default=2, validators=[MaxValueValidator(5)]
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("first reminder after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    anonymity = models.CharField(
        _("anonymity"), max_length=16, choices=Anonymity.choices, default=Anonymity.ATTRIBUTED
    )
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_campaign",
        editable=False,
    )
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Called off while scheduled or open: its jobs cancelled, its links closed, never reopened.
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    summary = models.TextField(_("you said, we did"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Empty for a campaign made by an API key nobody signed for, or by a repeat's close.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "-opens_at"], name="campaign_tenant_opens")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def links_responses(self) -> bool:
        """Whether a response is linked to its invitation (not in anonymous mode)."""
        return self.anonymity != self.Anonymity.ANONYMOUS

    @property
    def shows_individual_responses(self) -> bool:
        """Whether staff (and the API) may see a response per person (attributed mode only)."""
        return self.anonymity == self.Anonymity.ATTRIBUTED


class Invitation(TenantOwnedModel):
    """One contact invited to one campaign, or held back by a fatigue rule (recorded with the
    rule, never silently dropped). The link's tokens are in InvitationToken."""

    @badge_colours(
        pending="secondary", queued="info", sent="success", failed="danger", held_back="warning"
    )
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")
        HELD_BACK = "held_back", _("Held back")

    class Rule(models.TextChoices):
        PER_YEAR = "per_year", _("Invited too often in 12 months")
        GAP = "gap", _("Invited too recently")
        CUSTOMER_QUARTER = "customer_quarter", _("Customer surveyed enough this quarter")
        QUIET_PERIOD = "quiet_period", _("Customer in a quiet period")
        OPTED_OUT = "opted_out", _("Opted out of surveys")
        NO_EMAIL = "no_email", _("No email address")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        Contact, null=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("delivery"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    held_back_rule = models.CharField(
        _("held back by"), max_length=24, choices=Rule.choices, blank=True
    )
    held_back_detail = models.CharField(_("why"), max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "customer", "name", "pk"]
        indexes = [
            models.Index(fields=["tenant", "campaign", "status"], name="invitation_campaign"),
            models.Index(fields=["tenant", "contact", "sent_at"], name="invitation_contact_sent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact"], name="invitation_one_per_contact_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(status="held_back") ^ Q(held_back_rule=""),
                name="invitation_held_back_has_its_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.campaign})"

    @property
    def is_held_back(self) -> bool:
        return self.status == self.Status.HELD_BACK


class InvitationToken(TenantOwnedModel):
    """One link of an invitation: 256 random bits, of which only the SHA-256 is stored. The
    invitation and each reminder carry a fresh link; any of them opens the invitation."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # The answer link names no office: its token finds the row before a tenant is known, and only
    # while the request's transaction names that token's hash (satisfaction.responses).
    rls_extra_read_condition = "token_hash = NULLIF(current_setting('app.survey_token', true), '')"

    class Meta:
        indexes = [models.Index(fields=["tenant", "invitation"], name="invitation_token_inv")]

    def __str__(self) -> str:
        return self.token_hash[:8]


class Response(TenantOwnedModel):
    """The answers of one respondent to one campaign, editable until the campaign closes.

    In attributed and confidential mode it is linked to its invitation (one response per
    invitation). In anonymous mode `invitation` is empty and `respondent_key` (a keyed hash the
    database alone cannot turn back into an invitation) keeps it to one per invitation."""

    class Channel(models.TextChoices):
        LINK = "link", _("Survey link")
        PORTAL = "portal", _("Portal")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    # Where it was answered (a feedback channel of the office's measures).
    channel = models.CharField(
        _("answered through"), max_length=8, choices=Channel.choices, default=Channel.LINK
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    respondent_key = models.CharField(max_length=64, blank=True, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    follow_up = models.OneToOneField(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "-submitted_at", "pk"]
        indexes = [
            models.Index(fields=["tenant", "campaign", "customer"], name="response_campaign")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent_key"],
                condition=~Q(respondent_key=""),
                name="response_one_per_respondent_key",
            )
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.campaign}"


class Answer(TenantOwnedModel):
    """One answer: a score (`value`) for the scored kinds, the chosen option for a single
    choice, or the text; a service rating has one answer per service rated."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question__position", "pk"]
        indexes = [models.Index(fields=["tenant", "question"], name="answer_question")]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "service"],
                nulls_distinct=False,
                name="answer_one_per_question_and_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value if self.value is not None else self.text[:40]}"


class SurveyOptOut(TenantOwnedModel):
    """An email address that is never invited to (or reminded of) a survey again."""

    email = models.EmailField(_("email"))
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "email"], name="survey_opt_out_one_per_email")
        ]

    def __str__(self) -> str:
        return self.email
