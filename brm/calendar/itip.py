"""iTIP over email (iMIP, RFC 6047): an invitation or a cancellation queued in the outbox.

The shape is the one Google Calendar, Outlook and Thunderbird send and recognise:

    multipart/mixed
      multipart/alternative
        text/plain
        text/html                                  (when given)
        text/calendar; method=REQUEST; charset=utf-8
      application/ics  invite.ics                  (the same file, as an attachment)

The calendar part inside multipart/alternative is what makes a client show Accept / Decline;
the attachment serves the clients that look only at attachments. The METHOD inside the file and
the `method` parameter of the part are the same (Outlook refuses a mismatch).

From is the office's sending address (DEFAULT_FROM_EMAIL, which SPF and DKIM cover); ORGANIZER,
and Reply-To, the organiser's own address, so that answers reach a person. See docs/decisions.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_enqueue

from .ics import CalendarEvent, calendar_bytes

FILENAMES = {"REQUEST": "invite.ics", "CANCEL": "cancel.ics"}


def itip_email(
    *,
    key: str,
    event: CalendarEvent,
    method: Literal["REQUEST", "CANCEL"],
    subject: str,
    text: str,
    html: str = "",
    to: Iterable[str] | None = None,
    send_at: datetime | None = None,
) -> OutboxMessage:
    """Queue the invitation (REQUEST) or cancellation (CANCEL) of `event`, once per `key`.

    By default it goes to every attendee of the event except the organiser; pass `to` for one
    email per person. The key should name the record, the SEQUENCE and the recipients
    (`meeting-42:invite:3:ada@example.org`): the same key queues once, so a retried service
    sends nothing twice, and a changed meeting (a raised SEQUENCE) is a new email. Call it in
    the tenant and the transaction of the change.
    """
    if method not in FILENAMES:
        raise ValueError("an iTIP email is a REQUEST or a CANCEL")
    if to is None:
        organizer = event.organizer.email.casefold()
        to = [a.email for a in event.attendees if a.email.casefold() != organizer]
    ics = calendar_bytes([event], method).decode()
    return outbox_enqueue(
        key=key,
        to=to,
        reply_to=[event.organizer.email],
        subject=subject,
        text=text,
        html=html,
        alternatives=[{"content": ics, "content_type": f"text/calendar; method={method}"}],
        attachments=[
            {"filename": FILENAMES[method], "content": ics, "content_type": "application/ics"}
        ],
        send_at=send_at,
    )
