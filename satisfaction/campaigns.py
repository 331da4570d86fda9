"""Campaign services: make and change a draft, schedule it (the survey freezes and the due jobs
are planned), cancel it, and what the due jobs do: open (invitations for the audience under the
fatigue rules, one email each), remind those who have not answered, close (and make the next
campaign of a repeat). Also the office's settings and the opt-out.

The pages, the portal, the API and the workers call these, so every rule is written once. Each
write is audited (brm.audit). The jobs run in brm.outbox's due-job transaction with the
campaign's row locked and check its status first, so each happens once whatever races them.

Emails go through the outbox, each with a key that names the invitation and what it is (the
invitation, reminder 1, reminder 2), and each carries a fresh link token of its own
(InvitationToken): the raw token is only ever in that email.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from brm.api.models import ApiKey
from brm.audit.services import audit_record, audited_create, audited_update
from brm.outbox.models import DueJob
from brm.outbox.services import due_job_cancel, due_job_schedule, outbox_enqueue_many
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Role, Tenant
from customers.models import Contact, Customer

from . import tokens
from .audience import audience_contacts, audience_customers, audience_decisions
from .models import (
    Campaign,
    Invitation,
    InvitationToken,
    SatisfactionSettings,
    Survey,
    SurveyOptOut,
)
from .selectors import settings_row_for_update

OPEN_JOB = "satisfaction.open"
REMIND_JOB = "satisfaction.remind"
CLOSE_JOB = "satisfaction.close"
CAMPAIGN_JOBS = (OPEN_JOB, REMIND_JOB, CLOSE_JOB)
INVITE_KEY = "satisfaction.invite:"  # + campaign:invitation
REMINDER_KEY = "satisfaction.reminder:"  # + campaign:invitation:n
LAST_REMINDER_BEFORE_CLOSE = timedelta(days=2)
REPEAT_MONTHS = {Campaign.Repeat.QUARTERLY: 3, Campaign.Repeat.HALF_YEARLY: 6}

# What a draft's form may set (status, times of the lifecycle and the links are the services').
CAMPAIGN_FIELDS = (
    "survey",
    "name",
    "audience_role",
    "audience_scope",
    "relationship_manager",
    "division",
    "opens_at",
    "closes_at",
    "repeat",
    "reminders_max",
    "first_reminder_days",
    "anonymity",
)
SETTINGS_FIELDS = (
    "invitations_per_year",
    "invitation_gap_days",
    "campaigns_per_customer_quarter",
    "minimum_answers",
)

Actor = Membership | ApiKey


# Who may -----------------------------------------------------------------------------------------


def _check_writer(actor: Actor | None) -> None:
    """Campaigns are the office's: staff who write, or a write key. Never the business side (a
    purchaser or a customer login), never an analyst or the steering group."""
    if isinstance(actor, ApiKey):
        if actor.scope != ApiKey.Scope.WRITE:
            raise PermissionDenied(_("This API key may only read."))
        return
    if actor is None or not actor.is_active or not actor.is_staff_role:
        raise PermissionDenied(_("Only the office's staff can do this."))
    if not actor.can_write:
        raise PermissionDenied(_("Your role reads campaigns; it does not change them."))


def _user(actor: Actor | None):
    if isinstance(actor, ApiKey):
        return actor.created_by
    return actor.user if actor is not None else None


def _locked(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("survey")
        .get(pk=campaign.pk)
    )


def _require(campaign: Campaign, statuses, message: str) -> None:
    if campaign.status not in statuses:
        raise ValidationError(message)


# Drafts ------------------------------------------------------------------------------------------


def _check_audience(campaign: Campaign, customers=None) -> None:
    scope = Campaign.AudienceScope
    errors = {}
    if campaign.audience_scope == scope.RELATIONSHIP_MANAGER:
        rm = campaign.relationship_manager
        if rm is None:
            errors["relationship_manager"] = _("Choose the relationship manager.")
        elif (
            rm.tenant_id != current_tenant_id()
            or rm.role != Role.RELATIONSHIP_MANAGER
            or not rm.is_active
        ):
            errors["relationship_manager"] = _("Choose an active relationship manager.")
    else:
        campaign.relationship_manager = None
    if campaign.audience_scope == scope.DIVISION:
        if not (campaign.division or "").strip():
            errors["division"] = _("Name the division.")
    else:
        campaign.division = ""
    if campaign.opens_at and campaign.closes_at and campaign.closes_at <= campaign.opens_at:
        errors["closes_at"] = _("The campaign must close after it opens.")
    if errors:
        raise ValidationError(errors)


def _set_customers(campaign: Campaign, customers) -> None:
    if campaign.audience_scope != Campaign.AudienceScope.CHOSEN:
        customers = []
    if customers is not None:
        ids = [getattr(c, "pk", c) for c in customers]
        found = list(Customer.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise ValidationError({"customers": _("Choose customers of this office.")})
        campaign.customers.set(found)
    if campaign.audience_scope == Campaign.AudienceScope.CHOSEN and not campaign.customers.exists():
        raise ValidationError({"customers": _("Choose at least one customer.")})


@transaction.atomic
def campaign_create(*, actor: Actor, survey: Survey, customers=None, **fields) -> Campaign:
    """A draft campaign of `survey`. `customers` are the chosen ones (scope "chosen")."""
    _check_writer(actor)
    data = {**fields, "survey": survey}
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_create got unknown fields: {sorted(unknown)}")

    def check(campaign):
        _check_audience(campaign)
        campaign.created_by = _user(actor)

    campaign = audited_create(
        Campaign,
        actor=_user(actor),
        action="satisfaction.campaign.created",
        data=data,
        fields=CAMPAIGN_FIELDS,
        check=check,
    )
    _set_customers(campaign, customers or [])
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: Actor, customers=None, **fields) -> dict:
    """Change a draft (nothing else changes: a scheduled campaign is cancelled and made anew).
    Returns the changes."""
    _check_writer(actor)
    campaign = _locked(campaign)
    _require(campaign, [Campaign.Status.DRAFT], _("Only a draft campaign can be changed."))
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_update got unknown fields: {sorted(unknown)}")
    changes = audited_update(
        campaign,
        actor=_user(actor),
        action="satisfaction.campaign.updated",
        data=fields,
        fields=CAMPAIGN_FIELDS,
        check=lambda c, _changes: _check_audience(c),
    )
    _set_customers(campaign, customers)
    return changes


# Scheduling --------------------------------------------------------------------------------------


def reminder_times(campaign: Campaign) -> list[datetime]:
    """When the reminders go: the first `first_reminder_days` after opening, the last two days
    before closing, any others evenly between; at most `reminders_max`, none at or after the
    close or before the opening. A short campaign whose first reminder would come after the
    last keeps the last one only."""
    if campaign.reminders_max == 0:
        return []
    first = campaign.opens_at + timedelta(days=campaign.first_reminder_days)
    last = campaign.closes_at - LAST_REMINDER_BEFORE_CLOSE
    if last <= campaign.opens_at:
        return []
    if first >= last:
        return [last]
    if campaign.reminders_max == 1:
        return [first]
    between = campaign.reminders_max - 2
    step = (last - first) / (between + 1)
    return [first, *(first + step * (i + 1) for i in range(between)), last]


def _job_key(handler: str, campaign: Campaign, n: int | None = None) -> str:
    return f"{handler}:{campaign.pk}" + (f":{n}" if n is not None else "")


def _schedule_errors(campaign: Campaign, now: datetime) -> dict:
    errors = {}
    if not campaign.survey.questions.exists():
        errors["survey"] = _("The survey has no questions yet.")
    if campaign.closes_at <= campaign.opens_at:
        errors["closes_at"] = _("The campaign must close after it opens.")
    elif campaign.closes_at <= now:
        errors["closes_at"] = _("The closing time has passed.")
    if campaign.audience_scope == Campaign.AudienceScope.CHOSEN and not campaign.customers.exists():
        errors["customers"] = _("Choose at least one customer.")
    elif not audience_contacts(campaign, audience_customers(campaign)).exists():
        errors["audience_role"] = _("Nobody is in the audience: widen the rule before scheduling.")
    return errors


def campaign_schedule_refusal(campaign: Campaign) -> str:
    """Why `campaign_schedule` would refuse the campaign now, in words ("" when it would not):
    the page shows it instead of the button."""
    if campaign.status != Campaign.Status.DRAFT:
        return _("Only a draft campaign can be scheduled.")
    return " ".join(str(message) for message in _schedule_errors(campaign, timezone.now()).values())


@transaction.atomic
def campaign_schedule(*, campaign: Campaign, actor: Actor) -> Campaign:
    """Put a draft on the calendar: the survey is frozen (edits make a new version from now
    on) and the due jobs are planned (open, each reminder, close). A campaign whose opening
    time has passed opens at once."""
    _check_writer(actor)
    campaign = _locked(campaign)
    _require(campaign, [Campaign.Status.DRAFT], _("Only a draft campaign can be scheduled."))
    now = timezone.now()
    errors = _schedule_errors(campaign, now)
    if errors:
        raise ValidationError(errors)
    _check_audience(campaign)
    Survey.objects.filter(pk=campaign.survey_id, frozen_at__isnull=True).update(frozen_at=now)
    campaign.status = Campaign.Status.SCHEDULED
    campaign.save(update_fields=["status", "updated_at"])
    _plan_jobs(campaign)
    audit_record(
        actor=_user(actor),
        action="satisfaction.campaign.scheduled",
        obj=campaign,
        changes={"status": [Campaign.Status.DRAFT, Campaign.Status.SCHEDULED]},
    )
    return campaign


def _plan_jobs(campaign: Campaign) -> None:
    due_job_schedule(
        handler=OPEN_JOB, key=_job_key(OPEN_JOB, campaign), due_at=campaign.opens_at, obj=campaign
    )
    for n, due_at in enumerate(reminder_times(campaign), start=1):
        due_job_schedule(
            handler=REMIND_JOB,
            key=_job_key(REMIND_JOB, campaign, n),
            due_at=due_at,
            payload={"n": n},
            obj=campaign,
        )
    due_job_schedule(
        handler=CLOSE_JOB,
        key=_job_key(CLOSE_JOB, campaign),
        due_at=campaign.closes_at,
        obj=campaign,
    )


def campaign_jobs(campaign: Campaign):
    return DueJob.objects.filter(
        object_type=Campaign._meta.label_lower,
        object_id=str(campaign.pk),
        handler__in=CAMPAIGN_JOBS,
    ).order_by("due_at", "pk")


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, actor: Actor) -> Campaign:
    """Call off a scheduled or open campaign: its jobs that have not run are cancelled, its
    links stop working (the answer page reads the status) and it is never reopened. Emails
    already queued still go out."""
    _check_writer(actor)
    campaign = _locked(campaign)
    _require(
        campaign,
        [Campaign.Status.SCHEDULED, Campaign.Status.OPEN],
        _("Only a scheduled or open campaign can be cancelled."),
    )
    before = campaign.status
    for key in campaign_jobs(campaign).values_list("key", flat=True):
        due_job_cancel(key=key)
    campaign.status, campaign.cancelled_at = Campaign.Status.CANCELLED, timezone.now()
    campaign.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=_user(actor),
        action="satisfaction.campaign.cancelled",
        obj=campaign,
        changes={"status": [before, Campaign.Status.CANCELLED]},
    )
    return campaign


# Emails ------------------------------------------------------------------------------------------


def survey_link(token: str) -> str:
    """The answer link of one email (the respond part serves it at /s/<token>/)."""
    return f"{settings.BRM_BASE_URL}/s/{token}/"


def opt_out_link(token: str) -> str:
    return f"{settings.BRM_BASE_URL}/s/{token}/opt-out/"


# The email is rendered once a campaign and these stand in for what differs per person: they
# are letters, digits and underscores, which escaping leaves as they are.
_NAME, _LINK, _OPT_OUT = "BRMSURVEYNAME0", "BRMSURVEYLINK0", "BRMSURVEYOPTOUT0"


@dataclass(frozen=True)
class _Template:
    subject: str
    text: str
    html: str

    def for_person(self, name: str, token: str) -> dict:
        link, out = survey_link(token), opt_out_link(token)
        return {
            "subject": self.subject,
            "text": self.text.replace(_NAME, name).replace(_LINK, link).replace(_OPT_OUT, out),
            "html": self.html.replace(_NAME, escape(name))
            .replace(_LINK, escape(link))
            .replace(_OPT_OUT, escape(out)),
        }


def _template(campaign: Campaign, kind: str, *, n: int = 0) -> _Template:
    """templates/satisfaction/email/<kind>.txt and .html in the office's language and time."""
    office = Tenant.objects.get(pk=current_tenant_id())
    last = n > 0 and n == len(reminder_times(campaign))
    with translation.override(office.language), timezone.override(office.zone):
        closes = timezone.localtime(campaign.closes_at, office.zone)
        context = {
            "office": office,
            "campaign": campaign,
            "survey": campaign.survey,
            "name": _NAME,
            "link": _LINK,
            "opt_out_link": _OPT_OUT,
            "closes": f"{date_format(closes, 'l j F Y')}, {closes:%H:%M} ({office.zone.key})",
            "anonymous": campaign.anonymity == Campaign.Anonymity.ANONYMOUS,
            "confidential": campaign.anonymity == Campaign.Anonymity.CONFIDENTIAL,
            "last": last,
        }
        if kind == "invitation":
            subject = _("%(office)s asks: %(campaign)s") % {
                "office": office.name,
                "campaign": campaign.name,
            }
        elif last:
            subject = _("Last reminder: %(campaign)s closes on %(day)s") % {
                "campaign": campaign.name,
                "day": date_format(closes, "j F"),
            }
        else:
            subject = _("Reminder: %(campaign)s") % {"campaign": campaign.name}
        text = render_to_string(f"satisfaction/email/{kind}.txt", context)
        html = render_to_string(f"satisfaction/email/{kind}.html", context)
    return _Template(subject=subject, text=text, html=html)


def _tokens_for(invitations: list[Invitation], tenant_id: int) -> dict[int, str]:
    """A fresh token for each invitation's next email: the hashes stored, the tokens returned."""
    raw, rows = {}, []
    for invitation in invitations:
        token, digest = tokens.new_token()
        raw[invitation.pk] = token
        rows.append(InvitationToken(tenant_id=tenant_id, invitation=invitation, token_hash=digest))
    InvitationToken.objects.bulk_create(rows, batch_size=2000)
    return raw


# What the due jobs do ----------------------------------------------------------------------------


@dataclass
class Opened:
    invited: int = 0
    held_back: int = 0


def campaign_open(campaign: Campaign, *, now: datetime | None = None) -> Opened | None:
    """Open a scheduled campaign (its due job, with the row locked): record an invitation for
    every contact of the audience, invited or held back by its rule, and queue one email per
    invitation with its own link. None when the campaign is not scheduled any more (cancelled,
    or opened by an earlier run). Bulk reads and writes: the number of queries does not grow
    with the audience."""
    campaign = _locked(campaign)
    if campaign.status != Campaign.Status.SCHEDULED:
        return None
    now = now or timezone.now()
    tenant_id = current_tenant_id()
    rows = audience_decisions(campaign, at=max(now, campaign.opens_at))
    invitations = [
        Invitation(
            tenant_id=tenant_id,
            campaign=campaign,
            contact_id=row.contact.pk,
            customer_id=row.customer.pk,
            name=row.name[:200],
            email=row.email,
            status=Invitation.Status.HELD_BACK if row.held_back_rule else Invitation.Status.QUEUED,
            held_back_rule=row.held_back_rule,
            held_back_detail=row.detail,
        )
        for row in rows
    ]
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    invited = [i for i in invitations if i.status == Invitation.Status.QUEUED]
    raw = _tokens_for(invited, tenant_id)
    template = _template(campaign, "invitation")
    outbox_enqueue_many(
        {
            "key": f"{INVITE_KEY}{campaign.pk}:{invitation.pk}",
            "to": [invitation.email],
            **template.for_person(invitation.name, raw[invitation.pk]),
        }
        for invitation in invited
    )
    campaign.status, campaign.opened_at = Campaign.Status.OPEN, now
    campaign.save(update_fields=["status", "opened_at", "updated_at"])
    result = Opened(invited=len(invited), held_back=len(invitations) - len(invited))
    audit_record(
        actor=None,
        action="satisfaction.campaign.opened",
        obj=campaign,
        changes={
            "status": [Campaign.Status.SCHEDULED, Campaign.Status.OPEN],
            "invited": [None, result.invited],
            "held_back": [None, result.held_back],
        },
    )
    return result


def reminder_recipients(campaign: Campaign, n: int):
    """Who reminder `n` goes to: invitations that went out and were not failed, reminded fewer
    than `n` times (and fewer than the campaign's cap), whose address has not opted out since;
    and, unless the campaign is anonymous (nobody knows who answered), not answered."""
    opted_out = SurveyOptOut.objects.annotate(address=Lower("email")).filter(
        address=Lower(OuterRef("email"))
    )
    recipients = (
        Invitation.objects.filter(
            campaign=campaign,
            status__in=[Invitation.Status.QUEUED, Invitation.Status.SENT],
            reminders_sent__lt=min(n, campaign.reminders_max),
        )
        .exclude(email="")
        .exclude(Exists(opted_out))
    )
    if campaign.links_responses:
        recipients = recipients.filter(answered_at__isnull=True, response__isnull=True)
    return recipients.order_by("pk")


def campaign_remind(campaign: Campaign, n: int, *, now: datetime | None = None) -> int | None:
    """Send reminder `n` of an open campaign (its due job). Returns how many were queued, None
    when the campaign is not open."""
    campaign = _locked(campaign)
    if campaign.status != Campaign.Status.OPEN or n > campaign.reminders_max:
        return None
    now = now or timezone.now()
    invitations = list(reminder_recipients(campaign, n).only("pk", "name", "email"))
    if not invitations:
        return 0
    raw = _tokens_for(invitations, current_tenant_id())
    template = _template(campaign, "reminder", n=n)
    outbox_enqueue_many(
        {
            "key": f"{REMINDER_KEY}{campaign.pk}:{invitation.pk}:{n}",
            "to": [invitation.email],
            **template.for_person(invitation.name, raw[invitation.pk]),
        }
        for invitation in invitations
    )
    ids = [i.pk for i in invitations]
    for start in range(0, len(ids), 5000):
        Invitation.objects.filter(pk__in=ids[start : start + 5000]).update(
            reminders_sent=n, last_reminded_at=now
        )
    return len(invitations)


def _add_months(moment: datetime, months: int, zone) -> datetime:
    """The same local time `months` later (the 31st becomes the month's last day)."""
    local = timezone.localtime(moment, zone)
    month0 = local.month - 1 + months
    year, month = local.year + month0 // 12, month0 % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _newest_version(survey: Survey) -> Survey:
    while True:
        following = Survey.objects.filter(previous=survey).first()
        if following is None:
            return survey
        survey = following


def campaign_close(campaign: Campaign, *, now: datetime | None = None) -> Campaign | None:
    """Close an open campaign at its closing time (its due job): answers are final from now.
    For a repeating one, the next campaign is made and scheduled (returned). None when the
    campaign is not open (cancelled)."""
    campaign = _locked(campaign)
    if campaign.status != Campaign.Status.OPEN:
        return None
    now = now or timezone.now()
    campaign.status, campaign.closed_at = Campaign.Status.CLOSED, now
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=None,
        action="satisfaction.campaign.closed",
        obj=campaign,
        changes={"status": [Campaign.Status.OPEN, Campaign.Status.CLOSED]},
    )
    if campaign.repeat:
        return campaign_repeat(campaign)
    return None


def campaign_repeat(campaign: Campaign) -> Campaign:
    """The next campaign of a repeat, scheduled one quarter or half a year after this one (the
    same local times), with the newest version of the survey and the same audience, reminders,
    anonymity and repeat. Made once: `previous` is unique."""
    existing = Campaign.objects.filter(previous=campaign).first()
    if existing is not None:
        return existing
    zone = Tenant.objects.get(pk=current_tenant_id()).zone
    months = REPEAT_MONTHS[campaign.repeat]
    opens_at = _add_months(campaign.opens_at, months, zone)
    closes_at = opens_at + (campaign.closes_at - campaign.opens_at)
    now = timezone.now()
    if closes_at <= now:  # closed very late: the next one still gets its full length
        opens_at, closes_at = now, now + (campaign.closes_at - campaign.opens_at)
    following = Campaign.objects.create(
        survey=_newest_version(campaign.survey),
        name=campaign.name,
        status=Campaign.Status.SCHEDULED,
        audience_role=campaign.audience_role,
        audience_scope=campaign.audience_scope,
        relationship_manager=campaign.relationship_manager,
        division=campaign.division,
        opens_at=opens_at,
        closes_at=closes_at,
        repeat=campaign.repeat,
        reminders_max=campaign.reminders_max,
        first_reminder_days=campaign.first_reminder_days,
        anonymity=campaign.anonymity,
        previous=campaign,
        created_by=campaign.created_by,
    )
    following.customers.set(campaign.customers.all())
    Survey.objects.filter(pk=following.survey_id, frozen_at__isnull=True).update(frozen_at=now)
    _plan_jobs(following)
    audit_record(
        actor=None,
        action="satisfaction.campaign.repeated",
        obj=following,
        changes={"previous": [None, campaign.pk], "status": [None, Campaign.Status.SCHEDULED]},
    )
    return following


# Delivery ----------------------------------------------------------------------------------------


def invitation_delivered(*, key: str, status: str, at: datetime) -> None:
    """The outbox delivered an invitation's email, or gave up on it (brm.outbox's delivery
    listener for INVITE_KEY): the invitation says so. Reminders leave it as it is."""
    try:
        invitation_id = int(key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return
    invitations = Invitation.objects.filter(pk=invitation_id).exclude(
        status=Invitation.Status.HELD_BACK
    )
    if status == "sent":
        invitations.update(status=Invitation.Status.SENT, sent_at=at)
    elif status == "failed":
        invitations.exclude(status=Invitation.Status.SENT).update(status=Invitation.Status.FAILED)


# Settings and opt-out ----------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, actor: Actor, **fields) -> SatisfactionSettings:
    """Change the office's fatigue rules and minimum number of answers (admins)."""
    if not isinstance(actor, Membership) or not actor.is_active or actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an admin changes the satisfaction settings."))
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"settings_update got unknown fields: {sorted(unknown)}")
    current = settings_row_for_update()
    audited_update(
        current,
        actor=actor.user,
        action="satisfaction.settings.updated",
        data=fields,
        fields=SETTINGS_FIELDS,
    )
    return current


@transaction.atomic
def opt_out(email: str, *, contact: Contact | None = None) -> SurveyOptOut:
    """Never invite or remind this address again (the opt-out link of any survey email). The
    address is kept in lower case; a second opt-out returns the first."""
    address = (email or "").strip().lower()
    if not address:
        raise ValidationError({"email": _("An email address is needed to opt out.")})
    existing = SurveyOptOut.objects.filter(email__iexact=address).first()
    if existing is not None:
        return existing
    record, created = SurveyOptOut.objects.get_or_create(
        email=address, defaults={"contact": contact}
    )
    if created:
        audit_record(actor=None, action="satisfaction.opted_out", obj=record)
    return record
