"""Emails of the meetings area that are not calendar invitations: published minutes, decisions
to approve and decided, and the due jobs a meeting and a cadence's occurrences set (the reminder
with the agenda, minutes due, the missed-cadence check) with the emails they send.

Every email goes through the outbox with a key that names what it is about, so a job run twice
(retried, swept, raced) queues it once. Dates and times are the office's: a job "at 09:00" is
09:00 in the office's zone, and "working days" are Monday to Friday there (holidays are not in
the product yet). A job whose reason has gone when it runs (the meeting moved, was cancelled,
the minutes were published) sends nothing.

Links: staff get the staff page, business attendees with a portal login the portal page. The
pages live in other modules (views, portal_views); where a page is not routed the email simply
has no link (`_link`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brm.hours.arithmetic import Calendar
from brm.hours.selectors import office_calendar
from brm.outbox.models import DueJob
from brm.outbox.services import due_job_cancel, due_job_schedule, outbox_enqueue
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Tenant
from customers.models import ActionItem, Contact

from . import recurrence
from .agenda import visible_agenda
from .models import Attendee, Cadence, Decision, Meeting, Minutes, MissedCadence

REMINDER = "meetings.reminder"
MINUTES_DUE = "meetings.minutes_due"
MISSED_CHECK = "meetings.missed_check"
MEETING_JOBS = (REMINDER, MINUTES_DUE)
SEND_AT = time(9, 0)  # office time, as the agreements' reminders
DIGEST_DAYS_AHEAD = 3


# Shared pieces -----------------------------------------------------------------------------------


def _office() -> Tenant:
    return Tenant.objects.get(pk=current_tenant_id())


def _at(day: date, zone) -> datetime:
    return datetime.combine(day, SEND_AT, tzinfo=zone)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def working_days_after(day: date, count: int, calendar: Calendar | None = None) -> date:
    """The `count`-th working day after `day` in the office's business calendar (brm.hours: its
    working weekdays and holidays; Monday to Friday without one): Friday + 3 is Wednesday."""
    weekdays = calendar.weekdays if calendar else frozenset(range(5))
    holidays = calendar.holidays if calendar else frozenset()
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() in weekdays and day not in holidays:
            count -= 1
    return day


def _link(office: Tenant, url_name: str, **kwargs) -> str:
    """The absolute address of a page of the office, or "" when that page is not routed."""
    try:
        path = reverse(url_name, kwargs={"tenant_slug": office.slug, **kwargs})
    except NoReverseMatch:
        return ""
    return f"{settings.BRM_BASE_URL}{path}"


def _has_login(contact: Contact | None) -> bool:
    membership = contact.membership if contact is not None and contact.membership_id else None
    return membership is not None and membership.is_active and membership.is_portal


def _staff_email(member: Membership | None) -> str:
    if member is None or not member.is_active:
        return ""
    return member.user.email or ""


def _when(meeting: Meeting, zone) -> str:
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    day = date_format(starts, "l j F Y")
    return f"{day}, {starts:%H:%M}–{ends:%H:%M} ({zone.key})"


def _send(
    office: Tenant, *, key: str, to: Iterable[str] | str, subject: str, template: str, context
):
    """Render templates/meetings/email/<template>.txt and .html for the reader and queue it."""
    # Office language and time: the templates' |date shows the office's local time.
    with translation.override(office.language), timezone.override(office.zone):
        context = {"office": office, **context}
        text = render_to_string(f"meetings/email/{template}.txt", context)
        html = render_to_string(f"meetings/email/{template}.html", context)
    return outbox_enqueue(key=key, to=to, subject=subject, text=text, html=html)


def _meeting_link(office: Tenant, meeting: Meeting, attendee: Attendee) -> str:
    if attendee.member_id is not None:
        return _link(office, "meetings:meeting_detail", pk=meeting.pk)
    if _has_login(attendee.contact):
        return _link(office, "meetings:portal_meeting", pk=meeting.pk)
    return ""


def _readers(meeting: Meeting):
    return (
        meeting.attendees.filter(removed_at__isnull=True)
        .exclude(email="")
        .select_related("contact__membership", "contact__customer", "member__user")
    )


def _agenda(meeting: Meeting) -> list:
    return list(meeting.agenda_items.filter(withdrawn=False).order_by("position", "pk"))


# The jobs of one meeting -------------------------------------------------------------------------


# The keys carry the time and the SEQUENCE: a meeting moved away and back is at a higher
# SEQUENCE, so it gets fresh jobs instead of the ones cancelled when it moved away.
def reminder_key(meeting: Meeting) -> str:
    return f"meetings.reminder:{meeting.pk}:{_stamp(meeting.starts_at)}:s{meeting.sequence}"


def minutes_due_key(meeting: Meeting) -> str:
    return f"meetings.minutes-due:{meeting.pk}:{_stamp(meeting.ends_at)}:s{meeting.sequence}"


def meeting_jobs_follow(meeting: Meeting, *, now: datetime | None = None) -> None:
    """Keep a meeting's reminder and minutes-due jobs on its current time (services call this
    with every calendar change: planned, moved, cancelled).

    The keys carry the time, so a moved meeting gets new jobs and the old ones are cancelled; a
    cancelled meeting keeps none. The reminder is due at 09:00 office time N days before the
    meeting's day (MeetingSettings.reminder_days_before), at once when that has passed and the
    meeting is still ahead; minutes are due at 09:00 on the Nth working day after its day.
    """
    from .services import meeting_settings

    now = now or timezone.now()
    wanted: dict[str, tuple[str, datetime, dict]] = {}
    if meeting.status != Meeting.Status.CANCELLED:
        zone = _office().zone
        rules = meeting_settings()
        if meeting.status == Meeting.Status.PLANNED and meeting.starts_at > now:
            day = timezone.localtime(meeting.starts_at, zone).date()
            due_at = _at(day - timedelta(days=rules.reminder_days_before), zone)
            if due_at < meeting.starts_at:
                wanted[reminder_key(meeting)] = (
                    REMINDER,
                    due_at,
                    {"starts_at": _stamp(meeting.starts_at)},
                )
        ended = timezone.localtime(meeting.ends_at, zone).date()
        wanted[minutes_due_key(meeting)] = (
            MINUTES_DUE,
            _at(working_days_after(ended, rules.minutes_due_working_days, office_calendar()), zone),
            {"ends_at": _stamp(meeting.ends_at)},
        )
    stale = (
        DueJob.objects.filter(
            object_type=Meeting._meta.label_lower,
            object_id=str(meeting.pk),
            handler__in=MEETING_JOBS,
            status__in=[DueJob.QUEUED, DueJob.DISPATCHED],
        )
        .exclude(key__in=list(wanted))
        .values_list("key", flat=True)
    )
    for key in list(stale):
        due_job_cancel(key=key)
    for key, (handler, due_at, payload) in wanted.items():
        due_job_schedule(handler=handler, key=key, due_at=due_at, payload=payload, obj=meeting)


def cadence_checks_schedule(cadence: Cadence, meetings: Iterable[Meeting]) -> None:
    """The due jobs of newly planned occurrences: each meeting's reminder and minutes due, and
    the missed-cadence check on the day after the period the occurrence opens (its date to the
    day before the next occurrence), at 09:00 office time."""
    rule = recurrence.Rule.of(cadence)
    zone = None
    # Each meeting's own reminder and minutes-due jobs were scheduled with its invitations
    # (services.calendar_changed); this adds the cadence's check of the period it opens.
    for meeting in meetings:
        if meeting.occurrence_date is None:
            continue
        zone = zone or _office().zone
        start, end = recurrence.period_of(
            rule, start=cadence.starts_on, day=meeting.occurrence_date
        )
        due_job_schedule(
            handler=MISSED_CHECK,
            # The end is in the key: a new rule that keeps the date but not the period makes
            # its own check, and the old one finds its period gone.
            key=f"meetings.missed-check:{cadence.pk}:{start.isoformat()}:{end.isoformat()}",
            due_at=_at(end + timedelta(days=1), zone),
            payload={"period_start": start.isoformat(), "period_end": end.isoformat()},
            obj=cadence,
        )


# What the jobs do --------------------------------------------------------------------------------


def meeting_reminder_send(meeting: Meeting, *, starts_at: str, now: datetime | None = None) -> int:
    """Email each attendee the agenda of a planned meeting still at `starts_at` (its UTC stamp,
    as in the job's key). Returns how many emails were queued."""
    from .services import agenda_refresh

    now = now or timezone.now()
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= now:
        return 0
    if _stamp(meeting.starts_at) != starts_at:
        return 0  # moved since: the job of its new time reminds
    agenda_refresh(meeting, now=now)
    office = _office()
    agenda = _agenda(meeting)
    when = _when(meeting, office.zone)
    sent = 0
    for attendee in _readers(meeting):
        _send(
            office,
            key=f"meetings-reminder:{meeting.pk}:{_stamp(meeting.starts_at)}:{attendee.pk}",
            to=attendee.email,
            subject=_("Agenda: %(title)s on %(when)s") % {"title": meeting.title, "when": when},
            template="reminder",
            context={
                "meeting": meeting,
                "attendee": attendee,
                "when": when,
                "agenda": visible_agenda(agenda, contact=attendee.contact),
                "link": _meeting_link(office, meeting, attendee),
            },
        )
        sent += 1
    return sent


def minutes_missing(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Held (or planned and over) and its minutes not published."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    if meeting.status == Meeting.Status.PLANNED and meeting.ends_at > now:
        return False
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return minutes is None or minutes.status != Minutes.Status.PUBLISHED


def minutes_due_send(meeting: Meeting, *, ends_at: str, now: datetime | None = None) -> bool:
    """Remind the organiser that the minutes are due. True when an email was queued."""
    if _stamp(meeting.ends_at) != ends_at or not minutes_missing(meeting, now=now):
        return False
    address = _staff_email(meeting.organiser)
    if not address:
        return False
    office = _office()
    when = _when(meeting, office.zone)
    _send(
        office,
        key=f"meetings-minutes-due:{meeting.pk}:{_stamp(meeting.ends_at)}",
        to=address,
        subject=_("Minutes due: %(title)s of %(when)s") % {"title": meeting.title, "when": when},
        template="minutes_due",
        context={
            "meeting": meeting,
            "when": when,
            "held": meeting.status == Meeting.Status.HELD,
            "link": _link(office, "meetings:meeting_detail", pk=meeting.pk),
        },
    )
    return True


def _in_period(start: date, end: date, zone) -> Q:
    """A cadence's meeting belongs to a period by its occurrence date, or moved into it."""
    first = datetime.combine(start, time(), tzinfo=zone)
    after = datetime.combine(end + timedelta(days=1), time(), tzinfo=zone)
    return Q(occurrence_date__range=(start, end)) | Q(starts_at__gte=first, starts_at__lt=after)


def _period_kept(cadence: Cadence, start: date, end: date, zone) -> bool:
    """A meeting of the period was held and its minutes are published."""
    return (
        Meeting.objects.filter(
            cadence=cadence,
            status=Meeting.Status.HELD,
            minutes__status=Minutes.Status.PUBLISHED,
        )
        .filter(_in_period(start, end, zone))
        .exists()
    )


def cadence_period_check(cadence: Cadence, *, start: date, end: date) -> MissedCadence | None:
    """At a period's end: record a missed cadence (once per cadence and period) and alert the
    customer's RM, unless a meeting of the period was held with published minutes. A cancelled
    or unheld meeting counts as missed; a paused cadence promises nothing, and a period the
    cadence's rule no longer has (the rule was changed) is not checked."""
    if cadence.status != Cadence.Status.ACTIVE:
        return None
    rule = recurrence.Rule.of(cadence)
    if recurrence.occurrence_dates(rule, start=cadence.starts_on, until=start)[-1:] != [start]:
        return None
    if recurrence.period_of(rule, start=cadence.starts_on, day=start) != (start, end):
        return None
    office = _office()
    if _period_kept(cadence, start, end, office.zone):
        return None
    missed, _created = MissedCadence.objects.get_or_create(
        cadence=cadence,
        period_start=start,
        defaults={"customer_id": cadence.customer_id, "period_end": end},
    )
    customer = cadence.customer
    address = _staff_email(customer.relationship_manager)
    if address:
        meetings = list(
            cadence.meetings.filter(_in_period(start, end, office.zone)).select_related("minutes")
        )
        _send(
            office,
            key=f"meetings-missed-cadence:{cadence.pk}:{start.isoformat()}",
            to=address,
            subject=_("Missed: %(cadence)s with %(customer)s")
            % {"cadence": cadence.name, "customer": customer.name},
            template="missed_cadence",
            context={
                "cadence": cadence,
                "customer": customer,
                "start": start,
                "end": end,
                "meetings": [(m, _when(m, office.zone), _minutes_state(m)) for m in meetings],
                "link": _link(office, "customers:customer_detail", pk=customer.pk),
            },
        )
    return missed


def _minutes_state(meeting: Meeting) -> str:
    if meeting.status == Meeting.Status.CANCELLED:
        return _("cancelled")
    if meeting.status == Meeting.Status.PLANNED:
        return _("not held")
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.status != Minutes.Status.PUBLISHED:
        return _("held, minutes not published")
    return _("held, minutes published")


def action_digest_send(day: date) -> int:
    """Each owner of open action items due by `day` + 3 days (or overdue) gets one email for
    `day` listing them: staff at their login's address, business contacts at theirs. An owner
    with nothing due gets nothing. Returns how many emails were queued."""
    office = _office()
    items = (
        ActionItem.objects.filter(
            status__in=ActionItem.OPEN_STATUSES,
            due_date__lte=day + timedelta(days=DIGEST_DAYS_AHEAD),
        )
        .select_related("customer", "owner_member__user", "owner_contact__membership")
        .order_by("due_date", "pk")
    )
    by_address: dict[str, list[tuple[ActionItem, str]]] = {}
    names: dict[str, str] = {}
    for item in items:
        if item.owner_member_id is not None:
            address = _staff_email(item.owner_member)
            link = _link(office, "customers:action_item_detail", pk=item.pk)
            name = str(item.owner_member.user.get_full_name() or address)
        elif item.owner_contact_id is not None:
            address = item.owner_contact.email
            login = _has_login(item.owner_contact)
            link = _link(office, "customers:portal_action_item", pk=item.pk) if login else ""
            name = item.owner_contact.name
        else:
            continue
        if not address:
            continue
        by_address.setdefault(address.lower(), []).append((item, link))
        names.setdefault(address.lower(), name)
    for address, entries in by_address.items():
        person = hashlib.sha256(address.encode()).hexdigest()[:24]
        overdue = [(i, link) for i, link in entries if i.due_date < day]
        soon = [(i, link) for i, link in entries if i.due_date >= day]
        _send(
            office,
            key=f"meetings-digest:{day.isoformat()}:{person}",
            to=address,
            subject=_("Your action items: %(overdue)s overdue, %(soon)s due soon")
            % {"overdue": len(overdue), "soon": len(soon)},
            template="digest",
            context={"name": names[address], "day": day, "overdue": overdue, "soon": soon},
        )
    return len(by_address)


# Emails the services send ------------------------------------------------------------------------


def minutes_published_notify(minutes: Minutes) -> None:
    """Each attendee with an address gets the minutes, once; staff and business attendees with a
    portal login also a link to the meeting."""
    meeting = minutes.meeting
    office = _office()
    when = _when(meeting, office.zone)
    agenda = [item for item in _agenda(meeting) if item.minutes.strip()]
    decisions = list(meeting.decisions.order_by("created_at", "pk"))
    for attendee in _readers(meeting):
        _send(
            office,
            key=f"meetings-minutes-published:{minutes.pk}:{attendee.pk}",
            to=attendee.email,
            subject=_("Minutes: %(title)s of %(when)s") % {"title": meeting.title, "when": when},
            template="minutes_published",
            context={
                "meeting": meeting,
                "minutes": minutes,
                "attendee": attendee,
                "when": when,
                "agenda": visible_agenda(agenda, contact=attendee.contact),
                "decisions": decisions,
                "link": _meeting_link(office, meeting, attendee),
            },
        )


def decision_requested_notify(decision: Decision) -> None:
    """The accountable person is asked to approve or reject, with the page where they do."""
    office = _office()
    if decision.kind == Decision.Kind.BUSINESS:
        contact = decision.accountable_contact
        address = contact.email if contact is not None else ""
        link = (
            _link(office, "meetings:portal_decision", pk=decision.pk) if _has_login(contact) else ""
        )
    else:
        address = _staff_email(decision.accountable_member)
        link = _link(office, "meetings:decision_detail", pk=decision.pk)
    if not address:
        return
    _send(
        office,
        key=f"meetings-decision-requested:{decision.pk}",
        to=address,
        subject=_("Your approval: %(title)s") % {"title": decision.title},
        template="decision_requested",
        context={
            "decision": decision,
            "customer": decision.customer,
            "meeting": decision.meeting,
            "when": _when(decision.meeting, office.zone) if decision.meeting_id else "",
            "link": link,
        },
    )


def decision_decided_notify(decision: Decision) -> None:
    """The customer's RM and the organiser of the meeting it was taken in hear the outcome."""
    office = _office()
    addresses = [_staff_email(decision.customer.relationship_manager)]
    if decision.meeting_id is not None:
        addresses.append(_staff_email(decision.meeting.organiser))
    to = list(dict.fromkeys(a for a in addresses if a))
    if not to:
        return
    approved = decision.status == Decision.Status.APPROVED
    _send(
        office,
        key=f"meetings-decision-decided:{decision.pk}",
        to=to,
        subject=(_("Approved: %(title)s") if approved else _("Rejected: %(title)s"))
        % {"title": decision.title},
        template="decision_decided",
        context={
            "decision": decision,
            "customer": decision.customer,
            "approved": approved,
            "decided_at": timezone.localtime(decision.decided_at, office.zone)
            if decision.decided_at
            else None,
            "link": _link(office, "meetings:decision_detail", pk=decision.pk),
        },
    )
