"""An invitation or a cancellation is one email through the outbox, shaped as calendar clients
expect: multipart/mixed > multipart/alternative > [text/plain, text/html, text/calendar;
method=...] + the same file attached; the METHOD inside the file matches the part's."""

from email import message_from_bytes
from email.message import Message

import pytest
from django.conf import settings
from django.core import mail

from brm.calendar.itip import itip_email
from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_deliver
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

from .builders import ADA, ORGANIZER, Attendee, an_event, read_ical, read_icalendar

pytestmark = pytest.mark.django_db

CHAIR = Attendee(ORGANIZER.name, ORGANIZER.email, role="CHAIR", partstat="ACCEPTED", rsvp=False)


def _send(tenant, *, method="REQUEST", key="meeting-42:invite:0", **event_changes) -> Message:
    with tenant_context(tenant):
        queued = itip_email(
            key=key,
            event=an_event(**event_changes),
            method=method,
            subject="Monthly service review",
            text="Monthly service review on 22 March, 10:00.",
            html="<p>Monthly service review on <strong>22 March</strong>, 10:00.</p>",
        )
    assert outbox_deliver(tenant_id=tenant.pk, message_id=queued.pk) == "sent"
    return message_from_bytes(mail.outbox[-1].message().as_bytes())


def _shape(part: Message):
    if part.is_multipart():
        return (part.get_content_type(), [_shape(p) for p in part.get_payload()])
    return part.get_content_type()


def test_an_invitation_is_mixed_with_an_alternative_of_text_html_and_calendar_and_an_attachment(
    tenant_a,
):
    email = _send(tenant_a)

    assert _shape(email) == (
        "multipart/mixed",
        [
            ("multipart/alternative", ["text/plain", "text/html", "text/calendar"]),
            "application/ics",
        ],
    )
    alternative, attachment = email.get_payload()
    plain, html, calendar = alternative.get_payload()
    assert "22 March, 10:00" in plain.get_payload(decode=True).decode()
    assert "<strong>22 March</strong>" in html.get_payload(decode=True).decode()
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get("Content-Disposition") is None
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    # the same file: the text part's line ends become the message's (CRLF on the wire)
    attached = attachment.get_payload(decode=True)
    assert attached.replace(b"\r\n", b"\n") == calendar.get_payload(decode=True)


def test_the_method_inside_the_file_is_the_method_of_the_mime_part(tenant_a):
    email = _send(tenant_a)

    calendar = email.get_payload()[0].get_payload()[2]
    data = calendar.get_payload(decode=True)
    assert str(read_icalendar(data)["METHOD"]) == calendar.get_param("method") == "REQUEST"
    assert read_ical(data).method == "REQUEST"
    assert str(read_icalendar(data).events[0]["UID"]) == "meeting-42@office-7.brm.example.test"


def test_a_cancellation_is_sent_as_cancel_with_cancel_ics(tenant_a):
    email = _send(tenant_a, method="CANCEL", key="meeting-42:cancel:1", sequence=1)

    alternative, attachment = email.get_payload()
    calendar = alternative.get_payload()[2]
    assert calendar.get_param("method") == "CANCEL"
    assert attachment.get_filename() == "cancel.ics"
    parsed = read_ical(attachment.get_payload(decode=True))
    assert parsed.method == "CANCEL"
    assert (parsed.events[0].status, parsed.events[0].sequence) == ("CANCELLED", 1)


def test_the_email_comes_from_the_office_and_replies_go_to_the_organiser(tenant_a):
    email = _send(tenant_a, attendees=[CHAIR, ADA])

    assert email["From"] == settings.DEFAULT_FROM_EMAIL
    assert email["Reply-To"] == "rita@office.example.test"
    # the organiser is on the invitation as its chair, but is not sent a copy
    assert email["To"] == "ada@finance.example.test"
    assert email["Cc"] is None


def test_the_same_key_queues_the_invitation_once(tenant_a):
    with tenant_context(tenant_a):
        first = itip_email(
            key="meeting-42:invite:0",
            event=an_event(),
            method="REQUEST",
            subject="Monthly service review",
            text="See you.",
        )
        second = itip_email(
            key="meeting-42:invite:0",
            event=an_event(summary="Changed meanwhile"),
            method="REQUEST",
            subject="Monthly service review",
            text="See you.",
        )

    assert second.pk == first.pk
    assert in_tenant(tenant_a, lambda: OutboxMessage.objects.count()) == 1
    assert outbox_deliver(tenant_id=tenant_a.pk, message_id=first.pk) == "sent"
    assert outbox_deliver(tenant_id=tenant_a.pk, message_id=second.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_the_message_id_still_derives_from_the_key(tenant_a):
    email = _send(tenant_a)

    row = in_tenant(tenant_a, lambda: OutboxMessage.objects.get(key="meeting-42:invite:0"))
    assert email["Message-ID"] == row.message_id
