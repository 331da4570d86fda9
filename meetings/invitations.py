"""Calendar invitations of meetings: iTIP REQUEST and CANCEL emails through the outbox.

meetings.services calls `invitations_queue(meeting, removed=...)` after every change of a
meeting; this module decides who hears what at the meeting's current SEQUENCE:

  * a planned meeting: METHOD:REQUEST to each attendee still invited;
  * a cancelled meeting: METHOD:CANCEL to each attendee still invited;
  * an attendee just removed: METHOD:CANCEL to them alone.

Each email's outbox key names (meeting, SEQUENCE, attendee, method), so each is queued once
however often the service runs; an attendee invited later gets the request at the SEQUENCE the
meeting has then. The file itself is written by brm.calendar (icalendar, never a template); the
text and HTML bodies come from templates/meetings/email/.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brm.calendar import ics
from brm.calendar.itip import itip_email
from brm.outbox.models import OutboxMessage

from .agenda import visible_agenda
from .models import Attendee, Meeting

logger = logging.getLogger(__name__)

# Where the links in invitations and feeds lead: the staff meeting page and its portal page.
STAFF_MEETING_URL = "meetings:meeting_detail"
PORTAL_MEETING_URL = "meetings:portal_meeting"

REQUEST, CANCEL = "REQUEST", "CANCEL"


@dataclass
class Queued:
    """What one `invitations_queue` call did: the emails queued now, and who was passed over
    (no email address, or the organiser, who is the event's ORGANIZER and gets no copy)."""

    sent: list[tuple[Attendee, str]] = field(default_factory=list)
    already: list[tuple[Attendee, str]] = field(default_factory=list)
    skipped: list[tuple[Attendee, str]] = field(default_factory=list)


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's calendar UID, the same for its whole life: `meeting-42@office-7.<domain>`."""
    return ics.event_uid(meeting.tenant_id, "meeting", meeting.pk)


def meeting_url(meeting: Meeting, *, portal: bool = False) -> str:
    """The absolute address of the meeting's staff page, or of its portal page."""
    try:
        path = reverse(
            PORTAL_MEETING_URL if portal else STAFF_MEETING_URL,
            kwargs={"tenant_slug": meeting.tenant.slug, "pk": meeting.pk},
        )
    except NoReverseMatch:  # a page not routed in this deployment: no link rather than a dead one
        return ""
    return settings.BRM_BASE_URL + path


def invitation_key(meeting: Meeting, attendee: Attendee, method: str) -> str:
    return f"meeting-{meeting.pk}:seq-{meeting.sequence}:attendee-{attendee.pk}:{method.lower()}"


def _link_for(meeting: Meeting, attendee: Attendee) -> str:
    """Staff get the staff page; a contact with an active portal login the portal page; any other
    business attendee no link at all (there is nothing they could open)."""
    if attendee.member_id is not None:
        return meeting_url(meeting)
    contact = attendee.contact
    login = getattr(contact, "membership", None) if contact is not None else None
    if login is not None and login.is_active and login.is_portal:
        return meeting_url(meeting, portal=True)
    return ""


def _organiser(meeting: Meeting) -> ics.Person:
    user = meeting.organiser.user
    return ics.Person(user.get_full_name() or user.email, user.email)


def _agenda(meeting: Meeting) -> list:
    return [item for item in meeting.agenda_items.all() if not item.withdrawn]


def _description(meeting: Meeting, agenda: list, link: str) -> str:
    lines = []
    if agenda:
        lines.append(_("Agenda:"))
        for number, item in enumerate(agenda, start=1):
            presenter = f" ({item.presenter})" if item.presenter else ""
            lines.append(f"{number}. {item.title}{presenter}")
    if meeting.online_url:
        lines += ["", _("Join online: %(url)s") % {"url": meeting.online_url}]
    if link:
        lines += ["", _("The meeting in BRM Office: %(url)s") % {"url": link}]
    return "\n".join(lines).strip()


def _mailable(address: str) -> bool:
    """An address a calendar file may name (brm.calendar refuses others); an old row saved
    before the field was validated must not make the whole change fail."""
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _attendee(attendee: Attendee) -> ics.Attendee:
    return ics.Attendee(attendee.name or attendee.email, attendee.email)


def meeting_event(
    meeting: Meeting,
    *,
    attendees: Iterable[Attendee] = (),
    link: str = "",
    agenda: list | None = None,
) -> ics.CalendarEvent:
    """The meeting as a calendar event at its current SEQUENCE, its organiser as the chair and
    `attendees` (those with an email address) as required participants."""
    organiser = _organiser(meeting)
    chair = ics.Attendee(
        organiser.name, organiser.email, role="CHAIR", partstat="ACCEPTED", rsvp=False
    )
    invitees = [
        _attendee(a)
        for a in attendees
        if a.email and _mailable(a.email) and a.email.casefold() != organiser.email.casefold()
    ]
    agenda = _agenda(meeting) if agenda is None else agenda
    return ics.CalendarEvent(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        summary=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        time_zone=meeting.tenant.time_zone,
        organizer=organiser,
        attendees=[chair, *invitees],
        description=_description(meeting, agenda, link),
        location=meeting.location or meeting.online_url,
        url=meeting.online_url,
        status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
        categories=[meeting.get_kind_display()],
        created=meeting.created_at,
        last_modified=meeting.updated_at,
    )


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting as a downloadable .ics (`GET /api/v1/meetings/{id}/ics/`): METHOD:PUBLISH,
    the same UID and SEQUENCE as the invitations, STATUS:CANCELLED once called off, the link to
    the staff page. PUBLISH, not REQUEST: importing a downloaded file must add the event, not
    answer an invitation on someone's behalf (RFC 5546 also keeps attendees out of PUBLISH)."""
    meeting = _fresh(meeting)
    return ics.calendar_bytes([meeting_event(meeting, link=meeting_url(meeting))], "PUBLISH")


def when_text(meeting: Meeting) -> str:
    """ "Tuesday 9 March 2027, 10:00–11:00 (Europe/Amsterdam, CET)": the office's time, named."""
    zone = meeting.tenant.zone
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    same_day = ends.date() == starts.date()
    end = date_format(ends, "H:i" if same_day else "j F Y H:i")
    return f"{date_format(starts, 'l j F Y, H:i')}–{end} ({meeting.tenant.time_zone}, {starts:%Z})"


def _email_context(meeting, attendee, method, link, agenda, updated) -> dict:
    return {
        "meeting": meeting,
        "attendee": attendee,
        "cancelled": method == CANCEL,
        "uninvited": method == CANCEL and meeting.status != Meeting.Status.CANCELLED,
        "updated": updated,
        "when": when_text(meeting),
        "agenda": agenda,
        "link": link,
        "organiser": _organiser(meeting),
        "office": meeting.tenant.name,
        "customer": meeting.customer.name,
    }


def _subject(meeting: Meeting, method: str, updated: bool) -> str:
    when = date_format(timezone.localtime(meeting.starts_at, meeting.tenant.zone), "j M Y, H:i")
    if method == CANCEL:
        label = _("Cancelled")
    elif updated:
        label = _("Updated invitation")
    else:
        label = _("Invitation")
    return f"{label}: {meeting.title} ({when})"


def _fresh(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_related("tenant", "customer", "organiser__user")
        .prefetch_related("agenda_items")
        .get(pk=meeting.pk)
    )


def invitations_queue(meeting: Meeting, *, removed: Iterable[Attendee] = ()) -> Queued:
    """Queue what calendars must hear at the meeting's current SEQUENCE (see the module's
    docstring), each (meeting, SEQUENCE, attendee, method) once. Call it in the meeting's
    tenant and in the transaction of the change. Returns what it queued and whom it skipped."""
    meeting = _fresh(meeting)
    invited = list(
        meeting.attendees.filter(removed_at__isnull=True).select_related(
            "contact__membership", "member__user"
        )
    )
    invited_ids = {a.pk for a in invited}
    removed_ids = [a.pk for a in removed if a.pk not in invited_ids]
    uninvited = list(
        Attendee.objects.filter(pk__in=removed_ids).select_related(
            "contact__membership", "member__user"
        )
    )
    wanted: list[tuple[Attendee, str, list[Attendee]]] = []
    if meeting.status == Meeting.Status.PLANNED:
        wanted += [(a, REQUEST, invited) for a in invited]
    elif meeting.status == Meeting.Status.CANCELLED:
        wanted += [(a, CANCEL, invited) for a in invited]
    # A removed attendee's cancellation names them alone: the others are not told anything.
    wanted += [(a, CANCEL, [a]) for a in uninvited]

    queued = Queued()
    organiser_email = meeting.organiser.user.email.casefold()
    keys = {invitation_key(meeting, a, method) for a, method, _ in wanted}
    existing = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    agenda = _agenda(meeting)
    sent_ids = []
    for attendee, method, named in wanted:
        if not attendee.email:
            queued.skipped.append((attendee, "no email address"))
            continue
        if not _mailable(attendee.email):
            queued.skipped.append((attendee, "not a valid email address"))
            continue
        if attendee.email.casefold() == organiser_email:
            queued.skipped.append((attendee, "the organiser"))
            continue
        key = invitation_key(meeting, attendee, method)
        if key in existing:
            queued.already.append((attendee, method))
            continue
        link = _link_for(meeting, attendee)
        updated = attendee.sent_sequence is not None and method == REQUEST
        theirs = visible_agenda(agenda, contact=attendee.contact)
        context = _email_context(meeting, attendee, method, link, theirs, updated)
        itip_email(
            key=key,
            event=meeting_event(meeting, attendees=named, link=link, agenda=theirs),
            method=method,
            subject=_subject(meeting, method, updated),
            text=render_to_string("meetings/email/invitation.txt", context),
            html=render_to_string("meetings/email/invitation.html", context),
            to=[attendee.email],
        )
        queued.sent.append((attendee, method))
        sent_ids.append(attendee.pk)
    if sent_ids:
        Attendee.objects.filter(pk__in=sent_ids).update(sent_sequence=meeting.sequence)
    for attendee, reason in queued.skipped:
        if reason != "the organiser":
            logger.info(
                "Meeting %s: no invitation for %s (attendee %s): %s",
                meeting.pk,
                attendee.name,
                attendee.pk,
                reason,
            )
    return queued
