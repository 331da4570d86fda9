"""Engagement with a customer: the agreed cadence of review meetings, each meeting with its
attendees, agenda and minutes, the decisions taken and who approved them.

A cadence is a promise of the Partnership Agreement (its engagement strategy rows become
cadences); its occurrences are created ahead by a daily job, and a period that passes without a
held meeting with published minutes is recorded as a missed cadence.
Times are stored in UTC and shown in the office's time zone; a cadence's time of day is the
office's local time, so a 10:00 review stays at 10:00 across a daylight-saving change.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, TenantOwnedModel
from brm.web.badges import badge_colours
from customers.models import ActionItem, Contact, Customer

DEFAULT_HORIZON_DAYS = 120
# The dates a meeting or a cadence may take: far enough either way for any real plan, and inside
# what every time zone can convert (a year 1 or 9999 date overflows a zone's offset).
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2199, 12, 31)
DAY_RANGE_MESSAGE = _("Choose a date between 2000 and 2199.")


def validate_day_in_range(value: date) -> None:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(DAY_RANGE_MESSAGE)


DEFAULT_REMINDER_DAYS = 2
DEFAULT_MINUTES_DUE_WORKING_DAYS = 3


class MeetingSettings(TenantOwnedModel):
    """The office's settings for its meetings; an office without a row uses the defaults."""

    horizon_days = models.PositiveSmallIntegerField(
        _("plan occurrences ahead (days)"),
        default=DEFAULT_HORIZON_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("send the agenda this many days before"),
        default=DEFAULT_REMINDER_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    minutes_due_working_days = models.PositiveSmallIntegerField(
        _("minutes are due this many working days after the meeting"),
        default=DEFAULT_MINUTES_DUE_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="meeting_settings_one_per_office")
        ]

    def __str__(self) -> str:
        return f"Meeting settings ({self.horizon_days} days ahead)"


class MeetingType(models.TextChoices):
    SERVICE_REVIEW = "service_review", _("Service review")
    INITIATIVE_REVIEW = "initiative_review", _("Initiative review")
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


class Cadence(TenantOwnedModel):
    """A recurring meeting with a customer: type, purpose, when it recurs, who attends.

    The rule (frequency, interval, month_day / weekday / week_of_month) is the same data as an
    engagement row of the agreement; meetings.recurrence turns it into dates from `starts_on`.
    """

    @badge_colours(active="success", paused="secondary")
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="cadences")
    meeting_type = models.CharField(_("meeting"), max_length=32, choices=MeetingType.choices)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Every N weeks, months, quarters or years."),
    )
    month_day = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("A day past the end of a month falls on its last day."),
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
    starts_on = models.DateField(_("first meeting on or after"), validators=[validate_day_in_range])
    time_of_day = models.TimeField(_("time (office time)"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    organiser = models.ForeignKey(
        Membership, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    agenda_template = models.TextField(
        _("agenda template"), blank=True, help_text=_("One agenda item a line.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # Made from the agreement's engagement row of this key (type and name): making cadences
    # from the agreement again finds it instead of making a second one.
    engagement_key = models.CharField(max_length=240, blank=True, editable=False)
    # Occurrences are planned up to this date (the daily job moves it on).
    planned_until = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    RULE_FIELDS = ("frequency", "interval", "month_day", "weekday", "week_of_month", "starts_on")

    class Meta:
        ordering = ["customer__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "customer", "engagement_key"],
                condition=~Q(engagement_key=""),
                name="cadence_one_per_engagement_row",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "planned_until"]),
            models.Index(fields=["tenant", "customer", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        by_position = self.week_of_month is not None
        if by_position and self.weekday is None:
            errors["weekday"] = _("A week of the month needs a weekday (e.g. the 2nd Tuesday).")
        if self.week_of_month == 0:
            errors["week_of_month"] = _("Choose 1 to 5, or -1 for the last.")
        if self.frequency == Frequency.WEEKLY:
            if self.month_day is not None or by_position:
                errors["frequency"] = _("A weekly meeting is on a weekday, not a day of a month.")
        elif self.month_day is not None and by_position:
            errors["month_day"] = _("Choose a day of the month or a weekday position, not both.")
        if self.online_url and not self.online_url.startswith(("https://", "http://")):
            errors["online_url"] = _("Enter a web address starting with https://.")
        if errors:
            raise ValidationError(errors)


class CadenceAttendee(TenantOwnedModel):
    """A default attendee of a cadence's meetings: a contact of the customer or a staff member."""

    cadence = models.ForeignKey(Cadence, on_delete=models.CASCADE, related_name="attendees")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["tenant", "cadence"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, member__isnull=True)
                | Q(contact__isnull=True, member__isnull=False),
                name="cadence_attendee_contact_or_member",
            ),
            models.UniqueConstraint(
                fields=["tenant", "cadence", "contact"],
                condition=Q(contact__isnull=False),
                name="cadence_attendee_contact_once",
            ),
            models.UniqueConstraint(
                fields=["tenant", "cadence", "member"],
                condition=Q(member__isnull=False),
                name="cadence_attendee_member_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.contact or self.member)


class Meeting(TenantOwnedModel):
    """One meeting with a customer: an occurrence of a cadence, or a one-off.

    `sequence` is the iCalendar SEQUENCE of its invitation: raised on every change of time,
    place or status, so calendars replace the event they hold.
    """

    @badge_colours(planned="primary", held="success", cancelled="secondary")
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        CADENCE = "cadence", _("Cadence meeting")
        MAJOR_EVENT = "major_event", _("Major event")
        ESCALATION = "escalation", _("Escalation")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="meetings")
    cadence = models.ForeignKey(
        Cadence, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    # The date the cadence's rule gave this occurrence: kept when the meeting is moved, so the
    # daily job never plans the same occurrence twice.
    occurrence_date = models.DateField(null=True, blank=True, editable=False)
    # Moved or changed on its own: a later edit of the cadence leaves it alone.
    detached = models.BooleanField(default=False, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    organiser = models.ForeignKey(
        Membership, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    agenda_refreshed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "cadence", "occurrence_date"],
                condition=Q(cadence__isnull=False, occurrence_date__isnull=False),
                name="meeting_one_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "starts_at"]),
            models.Index(fields=["tenant", "customer", "starts_at"]),
            models.Index(fields=["tenant", "status", "starts_at"]),
            models.Index(fields=["tenant", "organiser", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A meeting ends after it starts.")
        if self.online_url and not self.online_url.startswith(("https://", "http://")):
            errors["online_url"] = _("Enter a web address starting with https://.")
        if errors:
            raise ValidationError(errors)


class Attendee(TenantOwnedModel):
    """A person invited to a meeting (a contact or a staff member) and, once it is held, whether
    they attended. The invitation and the attendance are separate facts.

    A removed attendee keeps their row (with `removed_at`), so the cancellation sent to them is
    on record and they are not invited again by a refresh.
    """

    @badge_colours(unknown="secondary", attended="success", absent="danger", excused="warning")
    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # As invited: the invitation went to this address under this name.
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    # The last SEQUENCE of the meeting this attendee was sent (a request or a cancel).
    sent_sequence = models.IntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, member__isnull=True)
                | Q(contact__isnull=True, member__isnull=False),
                name="attendee_contact_or_member",
            ),
            models.UniqueConstraint(
                fields=["tenant", "meeting", "contact"],
                condition=Q(contact__isnull=False),
                name="attendee_contact_once",
            ),
            models.UniqueConstraint(
                fields=["tenant", "meeting", "member"],
                condition=Q(member__isnull=False),
                name="attendee_member_once",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "meeting"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_business(self) -> bool:
        return self.contact_id is not None


class AgendaItem(TenantOwnedModel):
    """One item of a meeting's agenda, and the minutes' notes on it.

    Items proposed by an area's agenda provider carry its `source` and a `source_key`, so a
    refresh before the meeting updates them in place and adds new ones; items added by hand
    (source "") are never touched by a refresh.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    source = models.CharField(max_length=60, blank=True, editable=False)
    source_key = models.CharField(max_length=200, blank=True, editable=False)
    # A proposal no provider makes any more (the action item was closed): kept, marked stale
    # until the meeting starts, so nothing typed on it is lost.
    withdrawn = models.BooleanField(default=False, editable=False)
    # Changed by hand: a refresh no longer overwrites its title, notes or presenter.
    edited = models.BooleanField(default=False, editable=False)

    class Audience(models.TextChoices):
        ALL = "all", _("Everyone invited")
        CUSTOMER = "customer", _("Staff and those who speak for the customer")

    # A proposal about the whole customer (its open action items, its decisions awaiting
    # approval) is not for a purchaser's eyes: the portal, emails and feeds leave it out for them.
    audience = models.CharField(
        max_length=16, choices=Audience.choices, default=Audience.ALL, editable=False
    )
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "meeting", "source", "source_key"],
                condition=~Q(source_key=""),
                name="agenda_item_one_per_proposal",
            )
        ]
        indexes = [models.Index(fields=["tenant", "meeting", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def for_everyone(self) -> bool:
        return self.audience == self.Audience.ALL


class Minutes(TenantOwnedModel):
    """A meeting's minutes: the overall notes (each agenda item has its own), draft then
    published. Publishing emails the attendees."""

    @badge_colours(draft="warning", published="success")
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "meeting"], name="minutes_one_per_meeting")
        ]
        indexes = [models.Index(fields=["tenant", "status"])]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class Decision(TenantOwnedModel):
    """A decision taken with a customer: who is accountable, and their approval or rejection.

    A business decision is approved by a contact of the customer with the budget mandate (in the
    portal, as a customer-role login), never a purchaser; an IT decision by an IT manager or a
    steering group member. Only the accountable person decides (services.decision_decide).
    """

    @badge_colours(proposed="warning", approved="success", rejected="danger")
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business decision")
        IT = "it", _("IT decision")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    accountable_contact = models.ForeignKey(
        Contact,
        verbose_name=_("accountable (business)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accountable_member = models.ForeignKey(
        Membership,
        verbose_name=_("accountable (IT)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="business",
                        accountable_contact__isnull=False,
                        accountable_member__isnull=True,
                    )
                    | Q(
                        kind="it",
                        accountable_contact__isnull=True,
                        accountable_member__isnull=False,
                    )
                ),
                name="decision_accountable_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed")
                | Q(decided_at__isnull=False, decided_by__isnull=False)
                | Q(decided_at__isnull=False, decided_by_name__gt=""),
                name="decision_decided_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "customer", "created_at"]),
            models.Index(fields=["tenant", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def accountable_name(self) -> str:
        return str(self.accountable_contact or self.accountable_member or "")


class MeetingAction(TenantOwnedModel):
    """Links an action item made from a meeting's minutes (source "meeting") to its meeting.

    The link lives here so the customers area never knows of meetings."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_links")
    action_item = models.OneToOneField(
        ActionItem, on_delete=models.CASCADE, related_name="meeting_link"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "action_item"], name="meeting_action_once_per_item"
            )
        ]
        indexes = [models.Index(fields=["tenant", "meeting"])]

    def __str__(self) -> str:
        return f"{self.action_item} ({self.meeting})"


class MissedCadence(TenantOwnedModel):
    """A period of a cadence that passed without a held meeting with published minutes.

    Recorded once per cadence and period by the due job; a cancelled or unheld occurrence
    counts as missed. The RM is alerted once, and the customer page shows it.
    """

    cadence = models.ForeignKey(Cadence, on_delete=models.CASCADE, related_name="missed")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "cadence", "period_start"], name="missed_cadence_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["tenant", "customer", "period_start"])]

    def __str__(self) -> str:
        return f"{self.cadence} missed {self.period_start}–{self.period_end}"


class CalendarFeed(TenantOwnedModel):
    """A person's calendar subscription (an .ics URL with a secret token) listing their upcoming
    meetings. Only the token's SHA-256 is stored; revoking it ends the subscription."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    # The feed URL names no office: its token finds the row before a tenant is known, and only
    # while the request's transaction names that token's hash (meetings.feeds._candidates).
    rls_extra_read_condition = (
        "token_hash = NULLIF(current_setting('app.calendar_feed_token', true), '')"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "membership"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_member",
            )
        ]
        indexes = [models.Index(fields=["tenant", "membership"])]

    def __str__(self) -> str:
        return f"Calendar feed of {self.membership}"


# The communication plan and notices live in their own module; imported here so that Django
# finds them and their migrations stay in meetings/migrations.
from .communication_models import (  # noqa: E402, F401
    CommunicationPlanEntry,
    CommunicationPreference,
    Notice,
    NoticeAudience,
    NoticeRecipient,
    NoticeUpdate,
    PlanDelivery,
)
