"""The rules of the meetings area: cadences and their occurrences, meetings, attendees, the
agenda, minutes and decisions. The staff pages, the portal and the API all come through here.

Every change of a meeting's time, place or status raises its SEQUENCE and calls
`calendar_changed`, which queues the invitations or cancellations that change calls for
(meetings.invitations), each (meeting, sequence, attendee) once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementVersion, EngagementRow
from brm.audit.services import audit_record, audited_create, audited_update
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import STAFF_ROLES, Membership, Role, Tenant
from brm.web.registry import agenda_providers
from customers import services as customer_services
from customers.mandate import holds_budget_mandate
from customers.models import ActionItem, Contact, Customer

from . import recurrence
from .models import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MINUTES_DUE_WORKING_DAYS,
    DEFAULT_REMINDER_DAYS,
    AgendaItem,
    Attendee,
    Cadence,
    CadenceAttendee,
    Decision,
    Frequency,
    Meeting,
    MeetingAction,
    MeetingSettings,
    MeetingType,
    Minutes,
)

CADENCE_FIELDS = (
    "customer",
    "meeting_type",
    "name",
    "purpose",
    "frequency",
    "interval",
    "month_day",
    "weekday",
    "week_of_month",
    "starts_on",
    "time_of_day",
    "duration_minutes",
    "location",
    "online_url",
    "organiser",
    "agenda_template",
    "status",
)
MEETING_FIELDS = (
    "customer",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "organiser",
)
# A change of any of these is a change calendars must hear of (a new SEQUENCE).
CALENDAR_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "status",
    "organiser",
)
DECISION_FIELDS = (
    "customer",
    "meeting",
    "title",
    "description",
    "kind",
    "accountable_contact",
    "accountable_member",
)
IT_DECIDERS = frozenset({Role.IT_MANAGER, Role.STEERING})

ENGAGEMENT_TYPES = {
    EngagementRow.MeetingType.MONTHLY_SERVICE_REVIEW: MeetingType.SERVICE_REVIEW,
    EngagementRow.MeetingType.QUARTERLY_INITIATIVE_REVIEW: MeetingType.INITIATIVE_REVIEW,
    EngagementRow.MeetingType.ANNUAL_ALIGNMENT: MeetingType.ANNUAL_ALIGNMENT,
    EngagementRow.MeetingType.OTHER: MeetingType.OTHER,
}
DEFAULT_MEETING_HOUR = 10


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _tenant() -> Tenant:
    return Tenant.objects.get(pk=current_tenant_id())


# Office settings ---------------------------------------------------------------------------------


def meeting_settings() -> MeetingSettings:
    """The office's meeting settings (an unsaved row of defaults when it has set none)."""
    return MeetingSettings.objects.first() or MeetingSettings(
        horizon_days=DEFAULT_HORIZON_DAYS,
        reminder_days_before=DEFAULT_REMINDER_DAYS,
        minutes_due_working_days=DEFAULT_MINUTES_DUE_WORKING_DAYS,
    )


@transaction.atomic
def meeting_settings_update(*, actor, **data) -> MeetingSettings:
    row = MeetingSettings.objects.select_for_update().first() or MeetingSettings()
    fields = ("horizon_days", "reminder_days_before", "minutes_due_working_days")
    if row.pk is None:
        for name in fields:
            data.setdefault(name, getattr(meeting_settings(), name))
        return audited_create(
            MeetingSettings,
            actor=actor,
            action="meeting_settings.created",
            data=data,
            fields=fields,
        )
    audited_update(row, actor=actor, action="meeting_settings.updated", data=data, fields=fields)
    return row


# Calendar notifications --------------------------------------------------------------------------


def calendar_changed(meeting: Meeting, *, removed: Iterable[Attendee] = ()) -> None:
    """Queue what calendars must hear after a change: the request (or the cancellation) at the
    meeting's current SEQUENCE to each attendee, and a cancellation to each removed one; and
    move (or cancel) the meeting's reminder and minutes-due jobs with it."""
    from . import invitations, notifications

    invitations.invitations_queue(meeting, removed=list(removed))
    # The reminder and minutes-due jobs follow the meeting's time (and go when it is cancelled).
    notifications.meeting_jobs_follow(meeting)


def _raise_sequence(meeting: Meeting) -> None:
    meeting.sequence += 1


# Attendees ---------------------------------------------------------------------------------------


def _check_contact(customer: Customer, contact: Contact) -> None:
    if contact.customer_id != customer.pk:
        raise ValidationError(
            {
                "contacts": _("%(name)s is not a contact of %(customer)s.")
                % {"name": contact.name, "customer": customer.name}
            }
        )


def _check_staff(member: Membership) -> None:
    if member.role not in STAFF_ROLES or not member.is_active:
        raise ValidationError(
            {"members": _("%(name)s is not an active staff member.") % {"name": member}}
        )


def _attendee_values(contact: Contact | None = None, member: Membership | None = None) -> dict:
    if contact is not None:
        return {"contact": contact, "name": contact.name, "email": contact.email or ""}
    assert member is not None
    user = member.user
    return {"member": member, "name": user.get_full_name() or user.email, "email": user.email}


def _add_attendees(
    meeting: Meeting,
    contacts: Iterable[Contact],
    members: Iterable[Membership],
    *,
    present: dict | None = None,
) -> list[Attendee]:
    """Invite contacts and staff not yet invited (one insert for all), and bring back removed
    ones. Returns the attendees added or brought back. `present` is the meeting's attendees by
    contact or member when the caller knows them (a meeting just made has none)."""
    if present is None:
        present = {
            ("c", a.contact_id) if a.contact_id else ("m", a.member_id): a
            for a in meeting.attendees.all()
        }
    wanted: list[tuple[tuple[str, int], dict]] = []
    for contact in contacts:
        _check_contact(meeting.customer, contact)
        wanted.append((("c", contact.pk), _attendee_values(contact=contact)))
    for member in members:
        _check_staff(member)
        wanted.append((("m", member.pk), _attendee_values(member=member)))
    back, new = [], []
    for marker, values in wanted:
        existing = present.get(marker)
        if existing is None:
            new.append(Attendee(tenant_id=meeting.tenant_id, meeting=meeting, **values))
            present[marker] = new[-1]
        elif existing.removed_at is not None:
            existing.removed_at = None
            back.append(existing)
    if back:
        Attendee.objects.filter(pk__in=[a.pk for a in back]).update(removed_at=None)
    if new:
        Attendee.objects.bulk_create(new)
    return back + new


@transaction.atomic
def attendees_add(
    *, meeting: Meeting, actor, contacts: Iterable[Contact] = (), members: Iterable[Membership] = ()
) -> list[Attendee]:
    """Invite more people: they get the request at the meeting's current SEQUENCE."""
    meeting = _locked(meeting)
    _check_open(meeting)
    returning = set(meeting.attendees.filter(removed_at__isnull=False).values_list("pk", flat=True))
    added = _add_attendees(meeting, contacts, members)
    if any(a.pk in returning for a in added):
        # Their calendar holds our CANCEL at the current SEQUENCE and would ignore a REQUEST
        # at the same one: a higher SEQUENCE (an update to everyone) brings them back.
        _raise_sequence(meeting)
        meeting.save(update_fields=["sequence", "updated_at"])
    if added:
        audit_record(
            actor=actor,
            action="meeting.attendees_added",
            obj=meeting,
            changes={"attendees": [None, [a.name for a in added]]},
        )
        calendar_changed(meeting)
    return added


@transaction.atomic
def attendee_remove(*, attendee: Attendee, actor) -> Attendee:
    """Uninvite one person: they (only) get a cancellation."""
    meeting = Meeting.objects.select_for_update().get(pk=attendee.meeting_id)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Attendees are uninvited from a planned meeting only."))
    if attendee.removed_at is not None:
        return attendee
    attendee.removed_at = timezone.now()
    attendee.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="meeting.attendee_removed",
        obj=meeting,
        changes={"attendees": [attendee.name, None]},
    )
    calendar_changed(meeting, removed=[attendee])
    return attendee


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor, attendance: dict[int, str]) -> Meeting:
    """Who actually attended a held meeting: {attendee id: attended / absent / excused}."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Attendance is recorded once the meeting is held."))
    valid = set(Attendee.Attendance.values)
    changes = {}
    for attendee in meeting.attendees.filter(removed_at__isnull=True):
        value = attendance.get(attendee.pk)
        if value is None or value == attendee.attendance:
            continue
        if value not in valid:
            raise ValidationError({"attendance": _("Choose attended, absent or excused.")})
        changes[attendee.name] = [attendee.attendance, value]
        attendee.attendance = value
        attendee.save(update_fields=["attendance"])
    if changes:
        audit_record(actor=actor, action="meeting.attendance", obj=meeting, changes=changes)
    return meeting


# Agenda ------------------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def agenda_refresh(meeting: Meeting, *, now: datetime | None = None) -> int:
    """Bring the proposed agenda items up to date until the meeting starts.

    Each registered provider proposes items (open and overdue action items, decisions awaiting
    approval, the last SLA results, the agreement's review date, and what later areas add). A
    proposal already on the agenda is updated in place (title, notes and presenter, unless someone
    changed it by hand); a new one is appended; one no longer proposed is marked withdrawn.
    Items added by hand are never touched. Returns how many items were added or changed.
    """
    now = now or timezone.now()
    if not _proposals_wanted(meeting, now):
        return 0
    existing = {
        (item.source, item.source_key): item for item in meeting.agenda_items.exclude(source_key="")
    }
    return _agenda_propose(meeting, now=now, existing=existing, position=_next_position(meeting))


def _proposals_wanted(meeting: Meeting, now: datetime) -> bool:
    return meeting.status == Meeting.Status.PLANNED and meeting.starts_at > now


def _agenda_propose(meeting: Meeting, *, now: datetime, existing: dict, position: int) -> int:
    """agenda_refresh's work, given the proposed items already on the agenda (by source and
    key) and the position of the next item."""
    proposals = agenda_providers.proposals(meeting)
    seen = set()
    touched = 0
    fresh: list[AgendaItem] = []
    for proposal in proposals:
        source = str(proposal.get("source", ""))[:60]
        key = str(proposal.get("key") or proposal.get("title", ""))[:200]
        title = str(proposal.get("title", ""))[:300]
        if not title:
            continue
        if (source, key) in seen:
            continue  # a provider proposing the same item twice
        seen.add((source, key))
        notes = str(proposal.get("notes", ""))
        presenter = str(proposal.get("presenter", ""))[:200]
        audience = (
            AgendaItem.Audience.CUSTOMER
            if proposal.get("audience") == AgendaItem.Audience.CUSTOMER
            else AgendaItem.Audience.ALL
        )
        item = existing.get((source, key))
        if item is None:
            fresh.append(
                AgendaItem(
                    tenant_id=meeting.tenant_id,
                    meeting=meeting,
                    position=position,
                    title=title,
                    notes=notes,
                    presenter=presenter,
                    source=source,
                    source_key=key,
                    audience=audience,
                )
            )
            position += 1
            touched += 1
        elif item.withdrawn or item.audience != audience:
            item.withdrawn, item.audience = False, audience
            if not item.edited:
                item.title, item.notes, item.presenter = title, notes, presenter
            item.save(update_fields=["title", "notes", "presenter", "withdrawn", "audience"])
            touched += 1
        elif not item.edited and (item.title, item.notes, item.presenter) != (
            title,
            notes,
            presenter,
        ):
            item.title, item.notes, item.presenter = title, notes, presenter
            item.save(update_fields=["title", "notes", "presenter"])
            touched += 1
    AgendaItem.objects.bulk_create(fresh)
    for marker, item in existing.items():
        if marker not in seen and not item.withdrawn:
            item.withdrawn = True
            item.save(update_fields=["withdrawn"])
            touched += 1
    Meeting.objects.filter(pk=meeting.pk).update(agenda_refreshed_at=now)
    meeting.agenda_refreshed_at = now
    return touched


def _agenda_from_template(meeting: Meeting, template: str) -> int:
    """The template's lines as the agenda of a meeting just made; returns the next position."""
    lines = [line.strip(" -*\t") for line in template.splitlines()]
    items = AgendaItem.objects.bulk_create(
        AgendaItem(tenant_id=meeting.tenant_id, meeting=meeting, position=position, title=t[:300])
        for position, t in enumerate((t for t in lines if t), start=1)
    )
    return len(items) + 1


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, actor, title: str, notes: str = "", presenter: str = ""
) -> AgendaItem:
    _check_open(meeting)
    item = audited_create(
        AgendaItem,
        actor=actor,
        action="agenda_item.created",
        data={
            "meeting": meeting,
            "position": _next_position(meeting),
            "title": title,
            "notes": notes,
            "presenter": presenter,
        },
    )
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, actor, **data) -> AgendaItem:
    """Change an agenda item (minutes go through minutes_save, once the meeting is held). A
    proposed item changed by hand is no longer overwritten by a refresh."""
    _check_open(item.meeting)

    def check(instance, changes):
        if instance.source_key and set(changes) & {"title", "notes", "presenter"}:
            instance.edited = True

    audited_update(
        item,
        actor=actor,
        action="agenda_item.updated",
        data=data,
        fields=("title", "notes", "presenter", "position"),
        check=check,
    )
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor) -> None:
    _check_open(item.meeting)
    audit_record(actor=actor, action="agenda_item.deleted", obj=item)
    item.delete()


# Meetings ----------------------------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    """Lock the meeting's row and bring the caller's instance up to date with it."""
    row = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for field in Meeting._meta.concrete_fields:
        setattr(meeting, field.attname, getattr(row, field.attname))
    return meeting


def _check_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))


def _check_meeting(meeting: Meeting) -> None:
    if meeting.organiser_id is not None:
        organiser = meeting.organiser
        if organiser.role not in STAFF_ROLES or organiser.role == Role.ANALYST:
            raise ValidationError({"organiser": _("The organiser is a staff member who writes.")})


def _new_meeting(
    *,
    customer: Customer,
    actor,
    data: dict,
    contacts: Iterable[Contact],
    members: Iterable[Membership],
    agenda_template: str = "",
    cadence: Cadence | None = None,
    occurrence_date: date | None = None,
) -> Meeting:
    meeting = Meeting(
        customer=customer,
        cadence=cadence,
        occurrence_date=occurrence_date,
        created_by=_actor(actor),
    )
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    meeting.customer = customer
    meeting.full_clean(exclude=["tenant"])
    _check_meeting(meeting)
    meeting.save()
    # A meeting just made has no attendees and no agenda yet: nothing to look up first (the
    # daily planning makes thousands).
    _add_attendees(meeting, contacts, members, present={})
    position = _agenda_from_template(meeting, agenda_template)
    now = timezone.now()
    if _proposals_wanted(meeting, now):
        _agenda_propose(meeting, now=now, existing={}, position=position)
    return meeting


@transaction.atomic
def meeting_create(
    *,
    actor,
    contacts: Iterable[Contact] = (),
    members: Iterable[Membership] = (),
    agenda_template: str = "",
    **data,
) -> Meeting:
    """A one-off meeting (a major event, an escalation...), invitations queued."""
    customer = data.pop("customer")
    data.setdefault("kind", Meeting.Kind.OTHER)
    if data["kind"] == Meeting.Kind.CADENCE:
        raise ValidationError({"kind": _("A cadence's meetings are planned from the cadence.")})
    meeting = _new_meeting(
        customer=customer,
        actor=actor,
        data=data,
        contacts=contacts,
        members=members,
        agenda_template=agenda_template,
    )
    audit_record(actor=actor, action="meeting.created", obj=meeting)
    calendar_changed(meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **data) -> Meeting:
    """Change a meeting. A change of time, place or title raises the SEQUENCE and sends the
    update; a cadence meeting changed on its own is detached from later cadence edits."""
    meeting = _locked(meeting)
    _check_open(meeting)
    if meeting.status == Meeting.Status.HELD and {"starts_at", "ends_at"} & set(data):
        raise ValidationError(_("A held meeting cannot be moved."))
    data.pop("customer", None)
    if meeting.cadence_id:
        data.pop("kind", None)  # a cadence's meeting stays one

    def check(instance, changes):
        _check_meeting(instance)
        if set(changes) & set(CALENDAR_FIELDS):
            _raise_sequence(instance)
            instance.detached = instance.cadence_id is not None
            changes["sequence"] = [instance.sequence - 1, instance.sequence]

    changes = audited_update(
        meeting,
        actor=actor,
        action="meeting.updated",
        data=data,
        fields=[f for f in MEETING_FIELDS if f != "customer"],
        check=check,
    )
    if "sequence" in changes:
        calendar_changed(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor, reason: str = "") -> Meeting:
    """Call a meeting off: everyone invited gets METHOD:CANCEL at a raised SEQUENCE."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = (reason or "").strip()[:500]
    meeting.detached = meeting.cadence_id is not None
    _raise_sequence(meeting)
    meeting.save(update_fields=["status", "cancel_reason", "detached", "sequence", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.cancelled",
        obj=meeting,
        changes={"status": ["planned", "cancelled"], "reason": [None, meeting.cancel_reason]},
    )
    calendar_changed(meeting)
    return meeting


@transaction.atomic
def meeting_mark_held(
    *, meeting: Meeting, actor, attendance: dict[int, str] | None = None
) -> Meeting:
    """Record that the meeting took place (once it has started), and who attended."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting is held once it has started."))
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="meeting.held", obj=meeting, changes={"status": ["planned", "held"]}
    )
    Minutes.objects.get_or_create(meeting=meeting)
    if attendance:
        attendance_record(meeting=meeting, actor=actor, attendance=attendance)
    return meeting


# Minutes -----------------------------------------------------------------------------------------


def _minutes_of(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    return minutes


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, actor, summary: str, item_minutes: dict[int, str] | None = None
) -> Minutes:
    """Write the minutes (overall and per agenda item); published minutes stay editable by
    staff, and the change is audited."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Minutes are written for a held meeting."))
    minutes = _minutes_of(meeting)
    audited_update(
        minutes,
        actor=actor,
        action="minutes.updated",
        data={"summary": summary},
        fields=("summary",),
    )
    for item in meeting.agenda_items.all():
        if item_minutes and item.pk in item_minutes and item_minutes[item.pk] != item.minutes:
            audited_update(
                item,
                actor=actor,
                action="agenda_item.minutes",
                data={"minutes": item_minutes[item.pk]},
                fields=("minutes",),
            )
    return minutes


@transaction.atomic
def minutes_publish(*, meeting: Meeting, actor) -> Minutes:
    """Publish the minutes: each attendee with an address is emailed (business attendees with a
    portal link), once."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Minutes are published for a held meeting."))
    minutes = _minutes_of(meeting)
    if minutes.status == Minutes.Status.PUBLISHED:
        raise ValidationError(_("These minutes are already published."))
    has_notes = minutes.summary.strip() or any(
        i.minutes.strip() for i in meeting.agenda_items.all()
    )
    if not has_notes:
        raise ValidationError({"summary": _("Write the minutes before publishing them.")})
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.published_by = _actor(actor)
    minutes.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor,
        action="minutes.published",
        obj=minutes,
        changes={"status": ["draft", "published"]},
    )
    from . import notifications

    notifications.minutes_published_notify(minutes)
    return minutes


@transaction.atomic
def action_item_from_meeting(
    *, meeting: Meeting, actor, agenda_item: AgendaItem | None = None, **data
) -> ActionItem:
    """An action item agreed in the meeting: source "meeting", linked back to it."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("That item is not on this meeting's agenda.")})
    data.update(
        customer=meeting.customer,
        source=ActionItem.Source.MEETING,
        source_ref=f"meeting:{meeting.pk}",
    )
    owner_contact = data.get("owner_contact")
    if owner_contact is not None and owner_contact.customer_id != meeting.customer_id:
        raise ValidationError({"owner_contact": _("The owner is a contact of this customer.")})
    item = customer_services.action_item_create(actor=actor, **data)
    MeetingAction.objects.create(meeting=meeting, action_item=item, agenda_item=agenda_item)
    return item


# Decisions ---------------------------------------------------------------------------------------


def _check_decision(decision: Decision) -> None:
    if decision.meeting_id is not None and decision.meeting.customer_id != decision.customer_id:
        raise ValidationError({"meeting": _("The meeting is one with this customer.")})
    if decision.kind == Decision.Kind.BUSINESS:
        decision.accountable_member = None
        contact = decision.accountable_contact
        if contact is None:
            raise ValidationError(
                {"accountable_contact": _("Name the accountable business contact.")}
            )
        if contact.customer_id != decision.customer_id:
            raise ValidationError(
                {"accountable_contact": _("The accountable person is a contact of this customer.")}
            )
        if not holds_budget_mandate(contact):
            raise ValidationError(
                {
                    "accountable_contact": _(
                        "%(name)s does not hold the budget mandate (authority: decides); "
                        "a purchaser never approves."
                    )
                    % {"name": contact.name}
                }
            )
    elif decision.kind == Decision.Kind.IT:
        decision.accountable_contact = None
        member = decision.accountable_member
        if member is None:
            raise ValidationError(
                {"accountable_member": _("Name the accountable IT manager or steering member.")}
            )
        if member.role not in IT_DECIDERS or not member.is_active:
            raise ValidationError(
                {
                    "accountable_member": _(
                        "An IT decision is approved by an IT manager or a steering group member."
                    )
                }
            )


@transaction.atomic
def decision_create(*, actor, **data) -> Decision:
    decision = audited_create(
        Decision,
        actor=actor,
        action="decision.created",
        data={**data, "created_by": _actor(actor)},
        fields=(*DECISION_FIELDS, "created_by"),
        check=_check_decision,
    )
    from . import notifications

    notifications.decision_requested_notify(decision)
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, actor, **data) -> Decision:
    if decision.status != Decision.Status.PROPOSED:
        raise ValidationError(_("A decided decision is not changed; record a new one."))
    data.pop("customer", None)
    audited_update(
        decision,
        actor=actor,
        action="decision.updated",
        data=data,
        fields=[f for f in DECISION_FIELDS if f != "customer"],
        check=lambda instance, changes: _check_decision(instance),
    )
    return decision


def decision_refusal(*, decision: Decision, membership: Membership | None) -> str:
    """Why `membership` may not approve or reject `decision` now ("" when it may).

    Only the accountable person decides: for a business decision the accountable contact's own
    portal login with the customer role, still holding the budget mandate; for an IT decision the
    accountable IT manager or steering member. A purchaser never decides; an API key is no person.
    """
    if decision.status != Decision.Status.PROPOSED:
        return _("This decision was already %(status)s.") % {
            "status": decision.get_status_display().lower()
        }
    if membership is None or not membership.is_active:
        return _("A decision is approved by a person signed in.")
    if membership.role == Role.PURCHASER:
        return _("A purchaser has no budget mandate and cannot approve decisions.")
    if decision.kind == Decision.Kind.BUSINESS:
        contact = decision.accountable_contact
        if contact is None or contact.membership_id != membership.pk:
            return _("Only %(name)s, who is accountable, can approve this decision.") % {
                "name": decision.accountable_name
            }
        if membership.role != Role.CUSTOMER or not holds_budget_mandate(contact):
            return _("%(name)s no longer holds the budget mandate.") % {"name": contact.name}
        return ""
    if decision.accountable_member_id != membership.pk:
        return _("Only %(name)s, who is accountable, can approve this decision.") % {
            "name": decision.accountable_name
        }
    if membership.role not in IT_DECIDERS:
        return _("An IT decision is approved by an IT manager or a steering group member.")
    return ""


@transaction.atomic
def decision_decide(
    *, decision: Decision, membership: Membership | None, approve: bool, note: str = ""
) -> Decision:
    """The accountable person approves or rejects (the rule is decision_refusal)."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("accountable_contact", "accountable_member__user")
        .get(pk=decision.pk)
    )
    refusal = decision_refusal(decision=decision, membership=membership)
    if refusal:
        raise PermissionDenied(refusal)
    assert membership is not None
    user = membership.user
    old = decision.status
    decision.status = Decision.Status.APPROVED if approve else Decision.Status.REJECTED
    decision.decided_by = user
    decision.decided_by_name = (user.get_full_name() or user.email)[:200]
    decision.decided_at = timezone.now()
    decision.decision_note = (note or "").strip()
    decision.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    audit_record(
        actor=user,
        action="decision.decided",
        obj=decision,
        changes={"status": [old, decision.status]},
    )
    from . import notifications

    notifications.decision_decided_notify(decision)
    return decision


# Cadences ----------------------------------------------------------------------------------------


def _cadence_attendees_set(
    cadence: Cadence, contacts: Iterable[Contact], members: Iterable[Membership]
) -> None:
    contacts, members = list(contacts), list(members)
    for contact in contacts:
        _check_contact(cadence.customer, contact)
    for member in members:
        _check_staff(member)
    cadence.attendees.exclude(contact__in=contacts).exclude(member__in=members).delete()
    have = set(cadence.attendees.values_list("contact_id", "member_id"))
    for contact in contacts:
        if (contact.pk, None) not in have:
            CadenceAttendee.objects.create(cadence=cadence, contact=contact)
    for member in members:
        if (None, member.pk) not in have:
            CadenceAttendee.objects.create(cadence=cadence, member=member)


def _check_cadence(cadence: Cadence) -> None:
    organiser = cadence.organiser
    if organiser.role not in STAFF_ROLES or organiser.role == Role.ANALYST:
        raise ValidationError({"organiser": _("The organiser is a staff member who writes.")})
    if (
        cadence.frequency != Frequency.WEEKLY
        and cadence.month_day is None
        and cadence.week_of_month is None
    ):
        cadence.month_day = cadence.starts_on.day if cadence.starts_on else None


@transaction.atomic
def cadence_create(
    *,
    actor,
    contacts: Iterable[Contact] = (),
    members: Iterable[Membership] = (),
    plan: bool = True,
    **data,
) -> Cadence:
    """A cadence made by hand; its occurrences up to the horizon are planned at once."""
    cadence = audited_create(
        Cadence,
        actor=actor,
        action="cadence.created",
        data={**data, "created_by": _actor(actor)},
        fields=(*CADENCE_FIELDS, "engagement_key", "created_by"),
        check=_check_cadence,
    )
    _cadence_attendees_set(cadence, contacts, members)
    if plan:
        cadence_plan(cadence)
    return cadence


def _future_planned(cadence: Cadence, now: datetime):
    return cadence.meetings.filter(status=Meeting.Status.PLANNED, detached=False, starts_at__gt=now)


@transaction.atomic
def cadence_update(
    *,
    cadence: Cadence,
    actor,
    contacts: Iterable[Contact] | None = None,
    members: Iterable[Membership] | None = None,
    **data,
) -> Cadence:
    """Edit a cadence: its future planned occurrences follow (moved ones keep their own time),
    held and past ones stay as they were. A change of rule re-plans the future."""
    cadence = Cadence.objects.select_for_update().get(pk=cadence.pk)
    data.pop("customer", None)
    changes = audited_update(
        cadence,
        actor=actor,
        action="cadence.updated",
        data=data,
        fields=[f for f in CADENCE_FIELDS if f != "customer"],
        check=lambda instance, changes: _check_cadence(instance),
    )
    if contacts is not None or members is not None:
        before = set(cadence.attendees.values_list("contact_id", "member_id"))
        _cadence_attendees_set(
            cadence,
            contacts
            if contacts is not None
            else [a.contact for a in cadence.attendees.filter(contact__isnull=False)],
            members
            if members is not None
            else [a.member for a in cadence.attendees.filter(member__isnull=False)],
        )
        if set(cadence.attendees.values_list("contact_id", "member_id")) != before:
            changes["attendees"] = ["changed", "changed"]
    if changes:
        _cadence_follow(cadence, changes, actor)
    return cadence


def _cadence_follow(cadence: Cadence, changes: dict, actor) -> None:
    now = timezone.now()
    zone = cadence.tenant.zone
    if cadence.status == Cadence.Status.PAUSED:
        for meeting in _future_planned(cadence, now):
            # Frees the date, so resuming plans the occurrence again (one cancelled by hand
            # keeps its date and stays cancelled).
            meeting.occurrence_date = None
            meeting.save(update_fields=["occurrence_date"])
            meeting_cancel(meeting=meeting, actor=actor, reason=_("The cadence was paused."))
        return
    if set(changes) & set(Cadence.RULE_FIELDS):
        # A new rule: the future occurrences of the old one are called off and the new ones
        # planned. Their occurrence dates are the rule's, so none is planned twice.
        keep = set(
            recurrence.occurrence_dates(
                recurrence.Rule.of(cadence),
                start=cadence.starts_on,
                until=cadence.planned_until or now.date(),
            )
        )
        for meeting in _future_planned(cadence, now):
            if meeting.occurrence_date not in keep:
                meeting.occurrence_date = None  # frees the date for the new rule
                meeting.save(update_fields=["occurrence_date"])
                meeting_cancel(
                    meeting=meeting, actor=actor, reason=_("The cadence's schedule changed.")
                )
    duration = timedelta(minutes=cadence.duration_minutes)
    contacts = [a.contact for a in cadence.attendees.select_related("contact") if a.contact_id]
    members = [a.member for a in cadence.attendees.select_related("member__user") if a.member_id]
    for meeting in _future_planned(cadence, now):
        starts = recurrence.local_datetime(meeting.occurrence_date, cadence.time_of_day, zone)
        values = {
            "title": cadence.name,
            "starts_at": starts,
            "ends_at": starts + duration,
            "location": cadence.location,
            "online_url": cadence.online_url,
            "organiser": cadence.organiser,
        }
        changed = [k for k, v in values.items() if getattr(meeting, k) != v]
        removed = []
        if "attendees" in changes:
            wanted = {("c", c.pk) for c in contacts} | {("m", m.pk) for m in members}
            for attendee in meeting.attendees.filter(removed_at__isnull=True):
                marker = (
                    ("c", attendee.contact_id) if attendee.contact_id else ("m", attendee.member_id)
                )
                if marker not in wanted:
                    attendee.removed_at = now
                    attendee.save(update_fields=["removed_at"])
                    removed.append(attendee)
            returning = set(
                meeting.attendees.filter(removed_at__isnull=False)
                .exclude(pk__in=[a.pk for a in removed])
                .values_list("pk", flat=True)
            )
            added = _add_attendees(meeting, contacts, members)
        else:
            returning, added = set(), []
        # Someone invited again holds our CANCEL at this SEQUENCE: only a higher one reaches them.
        comes_back = any(a.pk in returning for a in added)
        if changed or comes_back:
            for k, v in values.items():
                setattr(meeting, k, v)
            if comes_back or set(changed) & set(CALENDAR_FIELDS):
                _raise_sequence(meeting)
            meeting.save()
        if changed or removed or added:
            calendar_changed(meeting, removed=removed)
    cadence_plan(cadence)


@transaction.atomic
def cadence_plan(
    cadence: Cadence, *, until: date | None = None, now: datetime | None = None
) -> list[Meeting]:
    """Create the cadence's occurrences from today up to the horizon (the daily job calls this).

    Idempotent: each (cadence, occurrence date) exists once (a unique constraint), so two
    planners racing make each meeting once. Returns the meetings made.
    """
    given = cadence
    cadence = (
        Cadence.objects.select_for_update()
        .select_related("tenant", "customer", "organiser")
        .get(pk=cadence.pk)
    )
    if cadence.status != Cadence.Status.ACTIVE:
        return []
    now = now or timezone.now()
    zone = cadence.tenant.zone
    today = timezone.localtime(now, zone).date()
    until = until or today + timedelta(days=meeting_settings().horizon_days)
    have = set(
        Meeting.objects.filter(cadence=cadence, occurrence_date__isnull=False).values_list(
            "occurrence_date", flat=True
        )
    )
    attendees = list(cadence.attendees.select_related("contact", "member__user"))
    contacts = [a.contact for a in attendees if a.contact_id]
    members = [a.member for a in attendees if a.member_id]
    made = []
    rule = recurrence.Rule.of(cadence)
    # The agenda providers' lookups (the customer's agreement...) once for all occurrences.
    with agenda_providers.run():
        for day, starts, ends in recurrence.occurrences(
            rule,
            start=cadence.starts_on,
            until=until,
            at=cadence.time_of_day,
            duration=timedelta(minutes=cadence.duration_minutes),
            zone=zone,
        ):
            if day in have or starts <= now:
                continue
            try:
                with transaction.atomic():
                    meeting = _new_meeting(
                        customer=cadence.customer,
                        actor=None,
                        cadence=cadence,
                        occurrence_date=day,
                        data={
                            "kind": Meeting.Kind.CADENCE,
                            "title": cadence.name,
                            "starts_at": starts,
                            "ends_at": ends,
                            "location": cadence.location,
                            "online_url": cadence.online_url,
                            "organiser": cadence.organiser,
                        },
                        contacts=contacts,
                        members=members,
                        agenda_template=cadence.agenda_template,
                    )
            except IntegrityError:
                continue  # planned by another job meanwhile
            calendar_changed(meeting)
            made.append(meeting)
    if cadence.planned_until is None or until > cadence.planned_until:
        Cadence.objects.filter(pk=cadence.pk).update(planned_until=until)
        cadence.planned_until = given.planned_until = until
    from . import notifications

    notifications.cadence_checks_schedule(cadence, made)
    return made


@transaction.atomic
def cadence_pause(*, cadence: Cadence, actor) -> Cadence:
    return cadence_update(cadence=cadence, actor=actor, status=Cadence.Status.PAUSED)


@transaction.atomic
def cadence_resume(*, cadence: Cadence, actor) -> Cadence:
    return cadence_update(cadence=cadence, actor=actor, status=Cadence.Status.ACTIVE)


def engagement_key(row: EngagementRow) -> str:
    return f"{row.meeting_type}:{(row.name or '').strip().lower()}"[:240]


def agreement_in_force_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.filter(status=AgreementVersion.Status.IN_FORCE).first()


@transaction.atomic
def cadences_from_agreement(*, agreement: Agreement, actor) -> tuple[list[Cadence], list[Cadence]]:
    """Make a cadence for each engagement row of the agreement in force (the agreement page's
    action). Idempotent: a row whose cadence exists (same meeting type and name) is skipped.
    Returns (made, already there)."""
    # One maker at a time (a double click): the second finds the first one's cadences.
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    version = agreement_in_force_version(agreement)
    if version is None:
        raise ValidationError(
            _("The agreement has no version in force: its engagement strategy is not agreed yet.")
        )
    customer = agreement.customer
    organiser = customer.relationship_manager
    zone = customer.tenant.zone
    today = timezone.localtime(timezone.now(), zone).date()
    existing = {
        c.engagement_key: c
        for c in Cadence.objects.filter(customer=customer).exclude(engagement_key="")
    }
    contacts_by_id = {c.pk: c for c in Contact.objects.filter(customer=customer)}
    members_by_id = {
        m.pk: m
        for m in Membership.objects.filter(role__in=STAFF_ROLES, is_active=True).select_related(
            "user"
        )
    }
    made, found = [], []
    for row in EngagementRow.objects.filter(version=version).order_by("position", "pk"):
        key = engagement_key(row)
        if key in existing:
            found.append(existing[key])
            continue
        contacts = [contacts_by_id[i] for i in row.attendee_contact_ids if i in contacts_by_id]
        members = [members_by_id[i] for i in row.attendee_member_ids if i in members_by_id]
        if organiser.pk not in {m.pk for m in members}:
            members.insert(0, organiser)
        frequency = row.frequency
        cadence = cadence_create(
            actor=actor,
            contacts=contacts,
            members=members,
            customer=customer,
            meeting_type=ENGAGEMENT_TYPES.get(row.meeting_type, MeetingType.OTHER),
            name=str(row)[:200],
            purpose=row.purpose,
            frequency=frequency,
            interval=row.interval,
            month_day=row.month_day,
            weekday=row.weekday,
            week_of_month=row.week_of_month,
            starts_on=today + timedelta(days=1),
            time_of_day=datetime.min.time().replace(hour=DEFAULT_MEETING_HOUR),
            duration_minutes=row.duration_minutes,
            organiser=organiser,
            engagement_key=key,
        )
        existing[key] = cadence
        made.append(cadence)
    audit_record(
        actor=actor,
        action="agreement.cadences_made",
        obj=agreement,
        changes={"cadences": [None, [c.name for c in made]]},
    )
    return made, found
