"""The rules of complaints: receipt, acknowledgement, ownership, severity, waiting on the raiser,
the thread, escalation, resolution and the raiser's answer.

The staff pages, the portal and the API all call these, so each rule is written once. Every
function runs in the current office, locks the complaint's row while it changes it (the clock's
due jobs lock it too), writes the timeline (ComplaintEvent) and the audit log, and queues its
emails through brm.outbox with a key, so a retry never sends one twice.

Who may act: the office's staff who write (admins, relationship managers, IT managers) and the
steering group once a complaint is at level 3; never analysts, and never a relationship manager
on a complaint about them (they cannot see it). The raiser's side (a portal member who sees the
complaint) replies, asks for escalation and confirms or rejects a resolution. An API key with
the write scope acts for the office on the staff side; confirming is never a key's.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.api.models import ApiKey
from brm.audit.services import audit_record, audited_update
from brm.hours.arithmetic import Calendar, add_business_time
from brm.hours.selectors import office_calendar
from brm.outbox.services import due_job_schedule, outbox_enqueue
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Role, Tenant
from customers import services as customer_services
from customers.models import ActionItem, Contact, Customer, Purchaser, Service
from customers.selectors import portal_scope

from . import selectors
from .clock import ACKNOWLEDGE, RESOLVE, WARN, clock_schedule
from .models import (
    MAX_ATTACHMENT_BYTES,
    MAX_LEVEL,
    ClockSpan,
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintPolicy,
    Escalation,
    ReferenceCounter,
    Severity,
)

Status = Complaint.Status
Kind = ComplaintEvent.Kind
Actor = Membership | ApiKey

DEEMED_JOB = "complaints.deemed_acceptance"
# No answer to a resolution: a reminder after 5 working days, closed as deemed accepted after
# 5 more (the office's business days, at the time of day it was resolved).
DEEMED_REMINDER_WORKING_DAYS = 5
DEEMED_CLOSE_WORKING_DAYS = 10


# Who acts --------------------------------------------------------------------------------------


def _user(actor: Actor | None):
    if isinstance(actor, ApiKey):
        return actor.created_by
    return actor.user if actor is not None else None


def _name(actor: Actor | None) -> str:
    if isinstance(actor, ApiKey):
        return actor.name
    if actor is None:
        return ""
    return actor.user.get_full_name() or actor.user.email


def _check_staff(complaint: Complaint | None, actor: Actor) -> None:
    """The staff side may act: a write key, or a staff member who writes (the steering group at
    level 3) and sees the complaint."""
    if isinstance(actor, ApiKey):
        if actor.scope != ApiKey.Scope.WRITE:
            raise PermissionDenied(_("This API key may only read."))
        return
    if actor is None or not actor.is_active or not actor.is_staff_role:
        raise PermissionDenied(_("Only the office's staff can do this."))
    if actor.never_writes:
        raise PermissionDenied(_("Analysts have read-only access."))
    if complaint is not None and not selectors.complaint_visible_to(complaint, actor):
        raise PermissionDenied(_("You cannot act on this complaint."))
    at_steering = complaint is not None and complaint.level == MAX_LEVEL
    if not actor.can_write and not (actor.role == Role.STEERING and at_steering):
        raise PermissionDenied(
            _("The steering group works on complaints once they reach it (level 3).")
        )


def _check_raiser_side(complaint: Complaint, actor: Actor) -> None:
    if not isinstance(actor, Membership) or not actor.is_portal or not actor.is_active:
        raise PermissionDenied(_("Only the raiser's side can do this, in the portal."))
    if not selectors.complaint_visible_to(complaint, actor):
        raise PermissionDenied(_("You cannot act on this complaint."))


def _locked(complaint: Complaint) -> Complaint:
    """The complaint's row, locked until the transaction ends, as it is now."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("customer__relationship_manager__user", "raiser_contact", "owner__user")
        .get(pk=complaint.pk)
    )


def _require_status(complaint: Complaint, statuses: Iterable[str], message: str) -> None:
    if complaint.status not in statuses:
        raise ValidationError(message)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _event(
    complaint: Complaint,
    kind: str,
    *,
    actor: Actor | None = None,
    note: str = "",
    data: Mapping | None = None,
    internal: bool = False,
    at: datetime | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        status=complaint.status,
        actor=_user(actor),
        note=note,
        data=dict(data or {}),
        internal=internal,
        at=at or timezone.now(),
    )


def _hours_text(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _targets(complaint: Complaint) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "acknowledge_hours": _hours_text(complaint.acknowledge_hours),
        "acknowledge_due_at": iso(complaint.acknowledge_due_at),
        "resolve_hours": _hours_text(complaint.resolve_hours),
        "resolve_due_at": iso(complaint.resolve_due_at),
    }


# Links and emails ------------------------------------------------------------------------------


def _url(name: str, fallback: str, complaint: Complaint) -> str:
    slug = Tenant.objects.filter(pk=complaint.tenant_id).values_list("slug", flat=True).first()
    try:
        path = reverse(name, kwargs={"tenant_slug": slug, "pk": complaint.pk})
    except NoReverseMatch:  # the pages come in their own app release; the address is fixed
        path = f"/t/{slug}/{fallback}{complaint.pk}/"
    return f"{settings.BRM_BASE_URL}{path}"


def portal_url(complaint: Complaint) -> str:
    """Where the raiser follows the complaint (and confirms its resolution)."""
    return _url("complaints:portal_complaint", "portal/complaints/", complaint)


def staff_url(complaint: Complaint) -> str:
    return _url("complaints:complaint_detail", "complaints/", complaint)


def _watchers(complaint: Complaint) -> list[Membership]:
    """Who hears of the complaint's clock and replies: its owner, or the people at its level
    while it has none."""
    owner = complaint.owner
    if owner is not None and owner.is_active and owner.pk != complaint.rm_concerned_id:
        return [owner]
    return selectors.level_people(complaint)


def _email_staff(complaint: Complaint, people, key: str, subject: str, text: str) -> None:
    link = staff_url(complaint)
    for member in people:
        if member.user.email:
            outbox_enqueue(
                key=f"{key}:{member.pk}",
                to=member.user.email,
                subject=subject,
                text=f"{text}\n\n{link}",
            )


def _email_raiser(complaint: Complaint, key: str, subject: str, text: str) -> None:
    address = complaint.raiser_address
    if not address:
        return
    greeting = _("Dear %(name)s,") % {"name": complaint.raiser_display}
    outbox_enqueue(
        key=key,
        to=address,
        subject=subject,
        text=f"{greeting}\n\n{text}\n\n{_('Follow it here:')}\n{portal_url(complaint)}",
    )


def _local(moment: datetime | None, complaint: Complaint) -> str:
    if moment is None:
        return "-"
    zone = Tenant.objects.get(pk=complaint.tenant_id).zone
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")


def _subject(complaint: Complaint, what: str) -> str:
    return f"{complaint.reference}: {what}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


# The policy and the categories -----------------------------------------------------------------


def _check_admin(actor: Actor) -> None:
    if not isinstance(actor, Membership) or not actor.is_active or not actor.is_admin:
        raise PermissionDenied(_("Only an admin changes the complaints policy."))


@transaction.atomic
def complaint_policy_update(*, actor: Actor, severity: str, **values) -> ComplaintPolicy:
    """Set the office's targets for one severity (business hours); complaints received before
    keep the targets they were given."""
    _check_admin(actor)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    current = selectors.complaint_policy()[severity]
    row = ComplaintPolicy.objects.filter(severity=severity).first() or ComplaintPolicy(
        severity=severity,
        acknowledge_hours=current.acknowledge_hours,
        resolve_hours=current.resolve_hours,
        level_2_resolve_hours=current.level_2_resolve_hours,
        level_3_resolve_hours=current.level_3_resolve_hours,
    )
    changes = {}
    for name in (
        "acknowledge_hours",
        "resolve_hours",
        "level_2_resolve_hours",
        "level_3_resolve_hours",
    ):
        if name in values and values[name] is not None:
            changes[name] = [str(getattr(row, name)), str(values[name])]
            setattr(row, name, values[name])
    row.full_clean()
    row.save()
    audit_record(actor=_user(actor), action="complaint_policy.updated", obj=row, changes=changes)
    return row


@transaction.atomic
def complaint_policy_seed() -> list[ComplaintPolicy]:
    """Write the default policy rows of the severities the office has none for (idempotent)."""
    have = set(ComplaintPolicy.objects.values_list("severity", flat=True))
    made = []
    for severity, values in selectors.complaint_policy().items():
        if severity not in have:
            made.append(
                ComplaintPolicy.objects.create(
                    severity=severity,
                    acknowledge_hours=values.acknowledge_hours,
                    resolve_hours=values.resolve_hours,
                    level_2_resolve_hours=values.level_2_resolve_hours,
                    level_3_resolve_hours=values.level_3_resolve_hours,
                )
            )
    return made


@transaction.atomic
def category_create(*, actor: Actor, name: str, description: str = "", position: int = 0):
    _check_admin(actor)
    category = ComplaintCategory(
        name=_text(name, "name", _("Name the category.")),
        description=description or "",
        position=position or 0,
    )
    category.tenant_id = current_tenant_id()
    category.full_clean()
    category.save()
    audit_record(actor=_user(actor), action="complaint_category.created", obj=category)
    return category


@transaction.atomic
def category_update(*, actor: Actor, category: ComplaintCategory, **data) -> ComplaintCategory:
    _check_admin(actor)
    changes = {}
    for name in ("name", "description", "position", "is_active"):
        if name in data and data[name] != getattr(category, name):
            changes[name] = [getattr(category, name), data[name]]
            setattr(category, name, data[name])
    category.full_clean()
    category.save()
    if changes:
        audit_record(
            actor=_user(actor), action="complaint_category.updated", obj=category, changes=changes
        )
    return category


# Receipt ---------------------------------------------------------------------------------------


def _next_reference(received_at: datetime, zone) -> str:
    """C-<year>-<number>, numbered per office and year: the year's counter row is made if
    missing (ON CONFLICT DO NOTHING, so two first complaints of a year do not collide) and
    locked while its number is taken."""
    year = timezone.localtime(received_at, zone).year
    tenant_id = current_tenant_id()
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(tenant_id=tenant_id, year=year)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"C-{year}-{counter.last:04d}"


def _check_receipt(
    *,
    actor: Actor,
    customer: Customer,
    purchaser: Purchaser | None,
    raiser_contact: Contact | None,
    raiser_name: str,
    raiser_email: str,
    category: ComplaintCategory | None,
) -> tuple[Purchaser | None, Contact | None]:
    if isinstance(actor, Membership) and actor.is_portal:
        scope = portal_scope(actor) if actor.is_active else None
        if scope is None:
            raise PermissionDenied(_("Your portal login is not linked to a contact yet."))
        if customer.pk != scope.contact.customer_id:
            raise PermissionDenied(_("You can raise complaints only for your own business."))
        if not scope.whole_customer:
            if purchaser is not None and purchaser.pk != scope.contact.purchaser_id:
                raise PermissionDenied(_("A purchaser raises complaints only for their own unit."))
            purchaser = scope.contact.purchaser
        raiser_contact = scope.contact
    else:
        _check_staff(None, actor)
    errors = {}
    if purchaser is not None and purchaser.customer_id != customer.pk:
        errors["purchaser"] = _("This purchaser belongs to another customer.")
    if raiser_contact is not None:
        if raiser_contact.customer_id != customer.pk:
            errors["raiser_contact"] = _("This contact belongs to another customer.")
        elif purchaser is None and raiser_contact.purchaser_id:
            purchaser = raiser_contact.purchaser
    elif not (raiser_name.strip() and raiser_email.strip()):
        errors["raiser_email"] = _(
            "Name the raiser: a contact of the customer, or a name and an email."
        )
    if category is not None and not category.is_active:
        errors["category"] = _("This category is no longer offered.")
    if errors:
        raise ValidationError(errors)
    return purchaser, raiser_contact


@transaction.atomic
def complaint_receive(
    *,
    actor: Actor,
    customer: Customer,
    subject: str,
    description: str,
    severity: str = Severity.MEDIUM,
    channel: str | None = None,
    category: ComplaintCategory | None = None,
    purchaser: Purchaser | None = None,
    raiser_contact: Contact | None = None,
    raiser_name: str = "",
    raiser_email: str = "",
    desired_outcome: str = "",
    service: Service | None = None,
    about_rm: bool = False,
    received_at: datetime | None = None,
) -> Complaint:
    """Record a complaint from any channel and start its clocks.

    A portal member raises for their own business (a purchaser for their own unit) and is the
    raiser; staff and the API name the raiser (a contact, or a name and an email). The targets
    are snapshotted from the office policy for the severity. A complaint about the
    relationship manager starts at level 2 (the IT managers) and is never shown to that RM.
    `received_at` (staff and API only) is when it arrived, e.g. by email, if before now.
    """
    now = timezone.now()
    portal = isinstance(actor, Membership) and actor.is_portal
    purchaser, raiser_contact = _check_receipt(
        actor=actor,
        customer=customer,
        purchaser=purchaser,
        raiser_contact=raiser_contact,
        raiser_name=raiser_name or "",
        raiser_email=raiser_email or "",
        category=category,
    )
    if portal:
        channel, received_at = Complaint.Channel.PORTAL, None
    elif isinstance(actor, ApiKey):
        channel = channel or Complaint.Channel.API
    channel = channel or Complaint.Channel.STAFF
    received_at = received_at or now
    errors = {}
    if received_at > now:
        errors["received_at"] = _("A complaint cannot be received in the future.")
    if channel not in Complaint.Channel.values:
        errors["channel"] = _("Choose a channel.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    if errors:
        raise ValidationError(errors)
    policy = selectors.complaint_policy()[severity]
    rm = customer.relationship_manager
    cal = office_calendar()
    complaint = Complaint(
        reference=_next_reference(received_at, cal.zone),
        customer=customer,
        purchaser=purchaser,
        raiser_contact=raiser_contact,
        raiser_name="" if raiser_contact else raiser_name.strip(),
        raiser_email="" if raiser_contact else raiser_email.strip(),
        entered_by=_user(actor),
        channel=channel,
        category=category,
        severity=severity,
        subject=(subject or "").strip(),
        description=(description or "").strip(),
        desired_outcome=(desired_outcome or "").strip(),
        service=service,
        level=2 if about_rm else 1,
        about_rm=bool(about_rm),
        rm_concerned=rm if about_rm else None,
        owner=None if about_rm else rm,
        acknowledge_hours=policy.acknowledge_hours,
        resolve_hours=policy.resolve_hours,
        resolve_started_at=received_at,
        received_at=received_at,
    )
    complaint.tenant_id = current_tenant_id()
    complaint.full_clean(exclude=["reference"])
    complaint.save()
    ClockSpan.objects.create(complaint=complaint, started_at=received_at)
    clock_schedule(complaint, cal=cal)
    _event(
        complaint,
        Kind.RECEIVED,
        actor=actor,
        data={"channel": channel, "level": complaint.level, **_targets(complaint)},
        at=received_at,
    )
    audit_record(actor=_user(actor), action="complaint.received", obj=complaint)
    _email_staff(
        complaint,
        selectors.level_people(complaint),
        f"complaint-received:{complaint.pk}",
        _subject(complaint, _("a new complaint from %(customer)s") % {"customer": customer.name}),
        _(
            "%(customer)s raised a %(severity)s complaint: %(subject)s\n"
            "Acknowledge by %(ack)s, resolve by %(resolve)s (office time)."
        )
        % {
            "customer": customer.name,
            "severity": complaint.get_severity_display().lower(),
            "subject": complaint.subject,
            "ack": _local(complaint.acknowledge_due_at, complaint),
            "resolve": _local(complaint.resolve_due_at, complaint),
        },
    )
    return complaint


# Working on it ---------------------------------------------------------------------------------


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, actor: Actor, message: str = "") -> Complaint:
    """Tell the raiser it is received and being handled (stops the acknowledge clock)."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    _require_status(complaint, [Status.NEW], _("This complaint was acknowledged already."))
    complaint.status = Status.ACKNOWLEDGED
    complaint.acknowledged_at = timezone.now()
    complaint.save(update_fields=["status", "acknowledged_at", "updated_at"])
    _event(complaint, Kind.ACKNOWLEDGED, actor=actor, note=(message or "").strip())
    audit_record(
        actor=_user(actor),
        action="complaint.acknowledged",
        obj=complaint,
        changes={"status": [Status.NEW, Status.ACKNOWLEDGED]},
    )
    text = _(
        'We have received your complaint "%(subject)s" (%(reference)s) and are handling it. '
        "We aim to resolve it by %(due)s."
    ) % {
        "subject": complaint.subject,
        "reference": complaint.reference,
        "due": _local(complaint.resolve_due_at, complaint),
    }
    if message and message.strip():
        text += "\n\n" + message.strip()
    _email_raiser(
        complaint,
        f"complaint-acknowledged:{complaint.pk}",
        _subject(complaint, _("your complaint is being handled")),
        text,
    )
    return complaint


# What a complaint is about, as staff correct it (not its severity: that has a reason and moves
# the targets; not its raiser or customer: those say whose complaint it is).
EDITABLE_FIELDS = ("subject", "description", "desired_outcome", "category", "service")


@transaction.atomic
def complaint_update(*, complaint: Complaint, actor: Actor, **data) -> Complaint:
    """Correct what the complaint is about (EDITABLE_FIELDS), audited; refused once closed."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    if complaint.is_closed:
        raise ValidationError(_("This complaint is closed."))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This cannot be changed here.") for name in sorted(unknown)})
    category = data.get("category")
    if category is not None and category.pk != complaint.category_id and not category.is_active:
        raise ValidationError({"category": _("This category is no longer offered.")})
    for name in ("subject", "description", "desired_outcome"):
        if name in data:
            data[name] = (data[name] or "").strip()
    audited_update(complaint, actor=_user(actor), action="complaint.updated", data=data)
    return complaint


def _check_owner(complaint: Complaint, owner: Membership) -> None:
    if owner.tenant_id != complaint.tenant_id or not owner.is_active or not owner.is_staff_role:
        raise ValidationError({"owner": _("The owner must be an active staff member.")})
    if owner.never_writes:
        raise ValidationError({"owner": _("An analyst cannot own a complaint.")})
    if owner.pk == complaint.rm_concerned_id:
        raise ValidationError(
            {"owner": _("A complaint about a relationship manager is not theirs to handle.")}
        )


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: Actor, owner: Membership) -> Complaint:
    """Make `owner` the complaint's owner (who is warned of its clock)."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    _require_status(
        complaint, Complaint.OPEN_STATUSES, _("A resolved or closed complaint keeps its owner.")
    )
    _check_owner(complaint, owner)
    before = complaint.owner
    complaint.owner = owner
    if complaint.status in (Status.ACKNOWLEDGED, Status.REOPENED):
        complaint.status = Status.IN_PROGRESS
    complaint.save(update_fields=["owner", "status", "updated_at"])
    event = _event(
        complaint,
        Kind.ASSIGNED,
        actor=actor,
        data={"owner": owner.pk, "owner_name": _name(owner)},
    )
    audit_record(
        actor=_user(actor),
        action="complaint.assigned",
        obj=complaint,
        changes={"owner": [str(before) if before else None, str(owner)]},
    )
    _email_staff(
        complaint,
        [owner],
        f"complaint-assigned:{event.pk}",
        _subject(complaint, _("assigned to you")),
        _('The complaint "%(subject)s" of %(customer)s is yours to handle.')
        % {"subject": complaint.subject, "customer": complaint.customer.name},
    )
    return complaint


@transaction.atomic
def complaint_severity_change(
    *, complaint: Complaint, actor: Actor, severity: str, reason: str
) -> Complaint:
    """Change the severity: the targets are recomputed from the policy, counted from receipt
    (the resolve target from its escalation once escalated), and the reason recorded."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    _require_status(
        complaint,
        Complaint.OPEN_STATUSES,
        _("The severity of a resolved or closed complaint stays as it was."),
    )
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    reason = _text(reason, "reason", _("Say why the severity changes."))
    if severity == complaint.severity:
        raise ValidationError({"severity": _("The complaint has this severity already.")})
    policy = selectors.complaint_policy()[severity]
    before = complaint.severity, _targets(complaint)
    complaint.severity = severity
    if complaint.acknowledged_at is None:
        complaint.acknowledge_hours = policy.acknowledge_hours
    escalated = complaint.resolve_started_at != complaint.received_at
    complaint.resolve_hours = (
        policy.resolve_hours_at(complaint.level) if escalated else policy.resolve_hours
    )
    complaint.save(update_fields=["severity", "acknowledge_hours", "resolve_hours", "updated_at"])
    clock_schedule(complaint)
    _event(
        complaint,
        Kind.SEVERITY_CHANGED,
        actor=actor,
        note=reason,
        data={"from": before[0], "to": severity, "before": before[1], **_targets(complaint)},
    )
    audit_record(
        actor=_user(actor),
        action="complaint.severity_changed",
        obj=complaint,
        changes={"severity": [before[0], severity]},
    )
    return complaint


def _stop_clock(complaint: Complaint, at: datetime) -> None:
    ClockSpan.objects.filter(complaint=complaint, ended_at__isnull=True).update(ended_at=at)


def _start_clock(complaint: Complaint, at: datetime) -> None:
    if not ClockSpan.objects.filter(complaint=complaint, ended_at__isnull=True).exists():
        ClockSpan.objects.create(complaint=complaint, started_at=at)
    clock_schedule(complaint)


@transaction.atomic
def complaint_wait_on_raiser(*, complaint: Complaint, actor: Actor, question: str) -> Complaint:
    """Ask the raiser something and stop both clocks until they answer."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    _require_status(
        complaint,
        Complaint.WORKING_STATUSES,
        _("Only an acknowledged complaint that is being worked on can wait on the raiser."),
    )
    question = _text(question, "question", _("Write what you need from the raiser."))
    now = timezone.now()
    _stop_clock(complaint, now)
    complaint.status = Status.WAITING_ON_RAISER
    complaint.save(update_fields=["status", "updated_at"])
    _post(complaint, actor, question, internal=False, from_raiser=False)
    _event(complaint, Kind.PAUSED, actor=actor, at=now)
    return complaint


def _resume(complaint: Complaint, actor: Actor | None, *, note: str = "") -> None:
    now = timezone.now()
    complaint.status = Status.IN_PROGRESS
    complaint.save(update_fields=["status", "updated_at"])
    _start_clock(complaint, now)
    _event(complaint, Kind.RESUMED, actor=actor, note=note, data=_targets(complaint), at=now)


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: Actor) -> Complaint:
    """Run the clocks again without the raiser's answer (staff decide not to wait)."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    _require_status(
        complaint, [Status.WAITING_ON_RAISER], _("This complaint is not waiting on the raiser.")
    )
    _resume(complaint, actor)
    return complaint


# The thread ------------------------------------------------------------------------------------


def _post(
    complaint: Complaint, actor: Actor, body: str, *, internal: bool, from_raiser: bool
) -> ComplaintMessage:
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        author=_user(actor),
        author_name=_name(actor),
        from_raiser=from_raiser,
        internal=internal,
        body=body,
    )
    if internal:
        return message  # a note stays in the office: no email, no portal
    if from_raiser:
        _email_staff(
            complaint,
            _watchers(complaint),
            f"complaint-raiser-message:{message.pk}",
            _subject(complaint, _("a reply from %(name)s") % {"name": message.author_name}),
            _("%(name)s wrote:\n\n%(body)s") % {"name": message.author_name, "body": body},
        )
    else:
        _email_raiser(
            complaint,
            f"complaint-message:{message.pk}",
            _subject(complaint, _("a message about your complaint")),
            _("%(name)s wrote:\n\n%(body)s") % {"name": message.author_name, "body": body},
        )
    return message


@transaction.atomic
def complaint_message_add(
    *, complaint: Complaint, actor: Actor, body: str, internal: bool = False
) -> ComplaintMessage:
    """A message in the thread, or (staff only) an internal note.

    Staff messages are emailed to the raiser; the raiser's are emailed to the owner and run a
    clock that was waiting on them. Internal notes are never emailed and never reach the
    raiser's side.
    """
    complaint = _locked(complaint)
    raiser_side = isinstance(actor, Membership) and actor.is_portal
    if raiser_side:
        if internal:
            raise PermissionDenied(_("Internal notes are for the office's staff."))
        _check_raiser_side(complaint, actor)
    else:
        _check_staff(complaint, actor)
    if complaint.is_closed:
        raise ValidationError(_("This complaint is closed."))
    body = _text(body, "body", _("Write a message."))
    message = _post(complaint, actor, body, internal=internal, from_raiser=raiser_side)
    if raiser_side and complaint.status == Status.WAITING_ON_RAISER:
        _resume(complaint, actor, note=_("The raiser answered."))
    return message


# Attachments -----------------------------------------------------------------------------------


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _zip_has(data: bytes, check) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return check(archive)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def _ooxml(folder: str):
    def check(archive: zipfile.ZipFile) -> bool:
        names = archive.namelist()
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


def _odf(mimetype: str):
    def check(archive: zipfile.ZipFile) -> bool:
        return archive.read("mimetype").decode("ascii", "replace").strip() == mimetype

    return check


_ODT = "application/vnd.oasis.opendocument.text"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Extension -> (the type it is stored and served as, how its content is recognised). The
# content decides: a file whose bytes are not what its name says is refused.
ALLOWED_ATTACHMENTS = {
    ".pdf": ("application/pdf", lambda head, data: head.startswith(b"%PDF-")),
    ".png": ("image/png", lambda head, data: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda head, data: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda head, data: head.startswith(b"\xff\xd8\xff")),
    ".gif": ("image/gif", lambda head, data: head[:6] in (b"GIF87a", b"GIF89a")),
    ".txt": ("text/plain", lambda head, data: _is_text(head)),
    ".csv": ("text/csv", lambda head, data: _is_text(head)),
    ".log": ("text/plain", lambda head, data: _is_text(head)),
    ".docx": (_DOCX, lambda head, data: _zip_has(data(), _ooxml("word/"))),
    ".xlsx": (_XLSX, lambda head, data: _zip_has(data(), _ooxml("xl/"))),
    ".pptx": (_PPTX, lambda head, data: _zip_has(data(), _ooxml("ppt/"))),
    ".odt": (_ODT, lambda head, data: _zip_has(data(), _odf(_ODT))),
    ".ods": (_ODS, lambda head, data: _zip_has(data(), _odf(_ODS))),
}
SNIFF_BYTES = 8192


def _checked_type(upload) -> str:
    """The allowed type of the upload, read from its content, or a ValidationError."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_ATTACHMENTS:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ALLOWED_ATTACHMENTS))
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached (allowed: %(types)s).")
                % {"types": allowed}
            }
        )
    size = upload.size
    if size is None or size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("A file may be at most 10 MB.")})
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, recognise = ALLOWED_ATTACHMENTS[extension]
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)

    def whole() -> bytes:
        upload.seek(0)
        return upload.read()

    if not recognise(head, whole):
        raise ValidationError(
            {
                "file": _("The file's content is not the type its name says (%(ext)s).")
                % {"ext": extension}
            }
        )
    upload.seek(0)
    return content_type


@transaction.atomic
def attachment_add(
    *,
    complaint: Complaint,
    actor: Actor,
    upload,
    message: ComplaintMessage | None = None,
    internal: bool = False,
) -> ComplaintAttachment:
    """Attach a file (at most 10 MB, of an allowed type recognised by its content), stored
    under a name nobody can guess. A file of an internal note is staff only."""
    complaint = _locked(complaint)
    raiser_side = isinstance(actor, Membership) and actor.is_portal
    if raiser_side:
        if internal or (message is not None and message.internal):
            raise PermissionDenied(_("Internal notes are for the office's staff."))
        _check_raiser_side(complaint, actor)
    else:
        _check_staff(complaint, actor)
    if complaint.is_closed:
        raise ValidationError(_("This complaint is closed."))
    if message is not None and message.complaint_id != complaint.pk:
        raise ValidationError({"message": _("This message belongs to another complaint.")})
    content_type = _checked_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    attachment = ComplaintAttachment(
        complaint=complaint,
        message=message,
        original_name=os.path.basename(upload.name)[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        internal=bool(internal or (message is not None and message.internal)),
        uploaded_by=_user(actor),
        from_raiser=raiser_side,
    )
    attachment.tenant_id = complaint.tenant_id
    attachment.file.save(os.path.basename(upload.name), upload, save=False)
    attachment.save()
    audit_record(actor=_user(actor), action="complaint.attachment_added", obj=complaint)
    return attachment


# Escalation ------------------------------------------------------------------------------------


def _escalate(
    complaint: Complaint,
    *,
    reason: str,
    actor: Actor | None,
    note: str,
    at: datetime,
    owner: Membership | None = None,
) -> Escalation:
    """One level up the route with that level's own new resolve target (counted from `at`);
    the people at the new level are told, and so is the raiser."""
    if complaint.level >= MAX_LEVEL:
        raise ValidationError(_("This complaint is with the IT steering group already."))
    if owner is not None:
        _check_owner(complaint, owner)
    policy = selectors.complaint_policy()[complaint.severity]
    escalation = Escalation.objects.create(
        complaint=complaint,
        from_level=complaint.level,
        to_level=complaint.level + 1,
        reason=reason,
        by=_user(actor),
        note=note,
        at=at,
    )
    complaint.level += 1
    complaint.owner = owner
    complaint.resolve_started_at = at
    complaint.resolve_hours = policy.resolve_hours_at(complaint.level)
    complaint.resolve_warned_at = None
    complaint.resolve_target_breached_at = None
    complaint.save(
        update_fields=[
            "level",
            "owner",
            "resolve_started_at",
            "resolve_hours",
            "resolve_warned_at",
            "resolve_target_breached_at",
            "updated_at",
        ]
    )
    clock_schedule(complaint)
    _event(
        complaint,
        Kind.ESCALATED,
        actor=actor,
        note=note,
        data={
            "from": escalation.from_level,
            "to": escalation.to_level,
            "reason": reason,
            **_targets(complaint),
        },
        at=at,
    )
    audit_record(
        actor=_user(actor),
        action="complaint.escalated",
        obj=complaint,
        changes={"level": [escalation.from_level, escalation.to_level]},
    )
    why = escalation.get_reason_display()
    people = [owner] if owner is not None else selectors.level_people(complaint)
    if complaint.level == MAX_LEVEL:
        # The whole steering group hears of a complaint that reaches it, owner or not.
        people = list({m.pk: m for m in [*people, *selectors.level_people(complaint)]}.values())
    _email_staff(
        complaint,
        people,
        f"complaint-escalated:{escalation.pk}",
        _subject(complaint, _("escalated to level %(level)s") % {"level": complaint.level}),
        _(
            'The complaint "%(subject)s" of %(customer)s is escalated to you (level '
            "%(level)s). Why: %(why)s. %(note)s\nResolve by %(due)s (office time)."
        )
        % {
            "subject": complaint.subject,
            "customer": complaint.customer.name,
            "level": complaint.level,
            "why": why,
            "note": note,
            "due": _local(complaint.resolve_due_at, complaint),
        },
    )
    _email_raiser(
        complaint,
        f"complaint-escalated-raiser:{escalation.pk}",
        _subject(complaint, _("escalated to level %(level)s") % {"level": complaint.level}),
        _('Your complaint "%(subject)s" is now handled at level %(level)s of our route (%(who)s).')
        % {
            "subject": complaint.subject,
            "level": complaint.level,
            "who": _("an IT manager") if complaint.level == 2 else _("the IT steering group"),
        },
    )
    return escalation


@transaction.atomic
def complaint_escalation_request(*, complaint: Complaint, actor: Actor, reason: str) -> Escalation:
    """The raiser asks for escalation, with a reason: the complaint goes one level up."""
    complaint = _locked(complaint)
    _check_raiser_side(complaint, actor)
    _require_status(
        complaint, Complaint.OPEN_STATUSES, _("Only an open complaint can be escalated.")
    )
    reason = _text(reason, "reason", _("Say why you ask for escalation."))
    return _escalate(
        complaint,
        reason=Escalation.Reason.RAISER_REQUEST,
        actor=actor,
        note=reason,
        at=timezone.now(),
    )


@transaction.atomic
def complaint_escalate(
    *, complaint: Complaint, actor: Actor, note: str, owner: Membership | None = None
) -> Escalation:
    """Staff escalate one level (a staff decision), with a note and optionally the new owner."""
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    _require_status(
        complaint, Complaint.OPEN_STATUSES, _("Only an open complaint can be escalated.")
    )
    note = _text(note, "note", _("Say why it is escalated."))
    return _escalate(
        complaint,
        reason=Escalation.Reason.STAFF_DECISION,
        actor=actor,
        note=note,
        at=timezone.now(),
        owner=owner,
    )


# Resolution and the raiser's answer ------------------------------------------------------------


def _deemed_jobs(complaint: Complaint, cal: Calendar) -> None:
    day = cal.day_length
    stamp = _stamp(complaint.resolved_at)
    for step, days in (
        ("remind", DEEMED_REMINDER_WORKING_DAYS),
        ("close", DEEMED_CLOSE_WORKING_DAYS),
    ):
        due_job_schedule(
            handler=DEEMED_JOB,
            key=f"{DEEMED_JOB}:{complaint.pk}:{stamp}:{step}",
            due_at=add_business_time(complaint.resolved_at, day * days, cal),
            payload={"step": step, "resolved_at": complaint.resolved_at.isoformat()},
            obj=complaint,
        )


def _action_items(complaint: Complaint, actor: Actor, actions) -> list[ActionItem]:
    items = []
    for i, action in enumerate(actions or ()):
        title = (action.get("title") or "").strip()
        if not title:
            raise ValidationError({"actions": _("Action %(n)s needs a title.") % {"n": i + 1}})
        items.append(
            customer_services.action_item_create(
                actor=_user(actor),
                customer=complaint.customer,
                title=title,
                description=action.get("description", ""),
                owner_member=action.get("owner_member"),
                due_date=action.get("due_date"),
                source=ActionItem.Source.COMPLAINT,
                source_ref=complaint.reference,
            )
        )
    return items


@transaction.atomic
def complaint_resolve(
    *,
    complaint: Complaint,
    actor: Actor,
    root_cause_category: str,
    root_cause: str,
    resolution: str,
    actions: Iterable[Mapping] = (),
) -> Complaint:
    """Resolve with the root cause and the resolution (both required), optionally making
    corrective action items (source "complaint"); the clocks stop and the raiser is asked to
    confirm. No answer: a reminder after 5 working days, closed as deemed accepted after 5 more.
    """
    complaint = _locked(complaint)
    _check_staff(complaint, actor)
    if complaint.status == Status.NEW:
        raise ValidationError(_("Acknowledge the complaint before resolving it."))
    _require_status(
        complaint,
        (*Complaint.WORKING_STATUSES, Status.WAITING_ON_RAISER),
        _("This complaint is resolved or closed already."),
    )
    errors = {}
    if root_cause_category not in Complaint.RootCause.values:
        errors["root_cause_category"] = _("Choose the root cause.")
    if not (root_cause or "").strip():
        errors["root_cause"] = _("Describe the root cause.")
    if not (resolution or "").strip():
        errors["resolution"] = _("Describe the resolution.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    _stop_clock(complaint, now)
    before = complaint.status
    complaint.status = Status.RESOLVED
    complaint.root_cause_category = root_cause_category
    complaint.root_cause = root_cause.strip()
    complaint.resolution = resolution.strip()
    complaint.resolved_at = now
    complaint.deemed_reminder_sent_at = None
    complaint.save()
    items = _action_items(complaint, actor, actions)
    _deemed_jobs(complaint, office_calendar())
    _event(
        complaint,
        Kind.RESOLVED,
        actor=actor,
        note=complaint.resolution,
        data={"root_cause": root_cause_category, "action_items": [i.pk for i in items]},
        at=now,
    )
    audit_record(
        actor=_user(actor),
        action="complaint.resolved",
        obj=complaint,
        changes={"status": [before, Status.RESOLVED]},
    )
    _email_raiser(
        complaint,
        f"complaint-resolved:{complaint.pk}:{_stamp(now)}",
        _subject(complaint, _("resolved: please confirm")),
        _(
            'Your complaint "%(subject)s" is resolved.\n\n%(resolution)s\n\n'
            "Please confirm that it is resolved, or tell us why not, in the portal (the link "
            "below). Without an answer it is closed as accepted after %(days)s working days."
        )
        % {
            "subject": complaint.subject,
            "resolution": complaint.resolution,
            "days": DEEMED_CLOSE_WORKING_DAYS,
        },
    )
    return complaint


@transaction.atomic
def complaint_confirm(
    *, complaint: Complaint, actor: Actor, rating: int | None = None
) -> Complaint:
    """The raiser's side confirms the resolution (with an optional 1-5 rating of the handling):
    closed, confirmed."""
    complaint = _locked(complaint)
    _check_raiser_side(complaint, actor)
    _require_status(complaint, [Status.RESOLVED], _("There is no resolution to confirm."))
    if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
        raise ValidationError({"rating": _("Rate the handling from 1 to 5.")})
    complaint.status = Status.CLOSED_CONFIRMED
    complaint.rating = rating
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "rating", "closed_at", "updated_at"])
    _event(complaint, Kind.CONFIRMED, actor=actor, data={"rating": rating})
    audit_record(
        actor=_user(actor),
        action="complaint.confirmed",
        obj=complaint,
        changes={"status": [Status.RESOLVED, Status.CLOSED_CONFIRMED]},
    )
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    """The raiser's side rejects the resolution with a reason: reopened, the clock runs again
    (the resolve target as it stood, without the time it sat resolved)."""
    complaint = _locked(complaint)
    _check_raiser_side(complaint, actor)
    _require_status(complaint, [Status.RESOLVED], _("There is no resolution to reject."))
    reason = _text(reason, "reason", _("Say why it is not resolved."))
    now = timezone.now()
    complaint.status = Status.REOPENED
    complaint.resolved_at = None
    complaint.reopen_count += 1
    complaint.save(update_fields=["status", "resolved_at", "reopen_count", "updated_at"])
    _start_clock(complaint, now)
    _event(complaint, Kind.REOPENED, actor=actor, note=reason, data=_targets(complaint), at=now)
    audit_record(
        actor=_user(actor),
        action="complaint.reopened",
        obj=complaint,
        changes={"status": [Status.RESOLVED, Status.REOPENED]},
    )
    _email_staff(
        complaint,
        _watchers(complaint),
        f"complaint-reopened:{complaint.pk}:{complaint.reopen_count}",
        _subject(complaint, _("the resolution was rejected")),
        _("%(name)s rejected the resolution: %(reason)s")
        % {"name": _name(actor), "reason": reason},
    )
    return complaint


# What the clock and the deemed-acceptance jobs do ----------------------------------------------


def clock_mark_reached(
    *, complaint: Complaint, target: str, mark: str, at: datetime, cal: Calendar
) -> None:
    """A target's warning or breach is due and still the clock's (complaints.clock found it so,
    holding the complaint's row lock): set it once, tell who must know, and for a breached
    resolve target escalate one level."""
    what = _("acknowledge") if target == ACKNOWLEDGE else _("resolve")
    if mark == WARN:
        field = "acknowledge_warned_at" if target == ACKNOWLEDGE else "resolve_warned_at"
        if getattr(complaint, field) is not None:
            return
        setattr(complaint, field, at)
        complaint.save(update_fields=[field, "updated_at"])
        _event(
            complaint,
            Kind.WARNED,
            data={"target": target, "level": complaint.level},
            internal=True,
            at=at,
        )
        due = complaint.acknowledge_due_at if target == ACKNOWLEDGE else complaint.resolve_due_at
        _email_staff(
            complaint,
            _watchers(complaint),
            f"complaint-warning:{complaint.pk}:{target}:{complaint.level}",
            _subject(complaint, _("75 %% of the time to %(what)s is used") % {"what": what}),
            _('The complaint "%(subject)s" of %(customer)s must be %(what)sd by %(due)s.')
            % {
                "subject": complaint.subject,
                "customer": complaint.customer.name,
                "what": what,
                "due": _local(due, complaint),
            },
        )
        return
    if target == ACKNOWLEDGE:
        if complaint.acknowledge_breached:
            return
        complaint.acknowledge_breached = True
        complaint.save(update_fields=["acknowledge_breached", "updated_at"])
    else:
        if complaint.resolve_target_breached_at is not None:
            return
        complaint.resolve_target_breached_at = at
        complaint.resolve_breached = True
        complaint.save(
            update_fields=["resolve_target_breached_at", "resolve_breached", "updated_at"]
        )
    _event(
        complaint,
        Kind.BREACHED,
        data={"target": target, "level": complaint.level},
        at=at,
    )
    if target == RESOLVE and complaint.level < MAX_LEVEL:
        _escalate(
            complaint,
            reason=Escalation.Reason.BREACH,
            actor=None,
            note=_("The time to resolve at level %(level)s ran out.") % {"level": complaint.level},
            at=at,
        )
        return
    people = _watchers(complaint)
    if target == RESOLVE:  # at the top of the route: the whole steering group hears of it
        people = list({m.pk: m for m in [*people, *selectors.level_people(complaint)]}.values())
    _email_staff(
        complaint,
        people,
        f"complaint-breach:{complaint.pk}:{target}:{complaint.level}",
        _subject(complaint, _("the time to %(what)s ran out") % {"what": what}),
        _('The complaint "%(subject)s" of %(customer)s was not %(what)sd in time.')
        % {"subject": complaint.subject, "customer": complaint.customer.name, "what": what},
    )


def complaint_deemed_acceptance(job) -> None:
    """No answer to a resolution: remind the raiser, then close it as deemed accepted, once,
    and only if it is still the same resolution (rejected and resolved again makes new jobs)."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("raiser_contact", "customer")
        .filter(pk=job.object_id)
        .first()
    )
    if complaint is None or complaint.status != Status.RESOLVED or complaint.resolved_at is None:
        return
    if complaint.resolved_at != datetime.fromisoformat(job.payload["resolved_at"]):
        return
    if job.payload["step"] == "remind":
        if complaint.deemed_reminder_sent_at is not None:
            return
        complaint.deemed_reminder_sent_at = job.due_at
        complaint.save(update_fields=["deemed_reminder_sent_at", "updated_at"])
        _event(complaint, Kind.REMINDED, at=job.due_at)
        _email_raiser(
            complaint,
            f"complaint-confirm-reminder:{complaint.pk}:{_stamp(complaint.resolved_at)}",
            _subject(complaint, _("please confirm the resolution")),
            _(
                'Your complaint "%(subject)s" was resolved on %(day)s. Please confirm that it '
                "is resolved, or tell us why not. Without an answer it is closed as accepted in "
                "%(days)s working days."
            )
            % {
                "subject": complaint.subject,
                "day": _local(complaint.resolved_at, complaint),
                "days": DEEMED_CLOSE_WORKING_DAYS - DEEMED_REMINDER_WORKING_DAYS,
            },
        )
        return
    complaint.status = Status.CLOSED_DEEMED_ACCEPTED
    complaint.closed_at = job.due_at
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    _event(complaint, Kind.DEEMED_ACCEPTED, at=job.due_at)
    audit_record(
        actor=None,
        action="complaint.deemed_accepted",
        obj=complaint,
        changes={"status": [Status.RESOLVED, Status.CLOSED_DEEMED_ACCEPTED]},
    )
