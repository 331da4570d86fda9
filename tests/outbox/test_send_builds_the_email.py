"""The send step builds the email from the row - Message-ID from the key, text and HTML, cc, a
calendar attachment - marks it sent, and does nothing when the same task is delivered again."""

from email import message_from_bytes

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_deliver, outbox_enqueue
from brm.tenancy.context import tenant_context
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//BRM Office//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:meeting-7@brm-office\r\nDTSTART:20270105T090000Z\r\n"
    "DTEND:20270105T100000Z\r\nSUMMARY:Quarterly review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _queue_invitation(tenant):
    with tenant_context(tenant):
        return outbox_enqueue(
            key="meeting-7:invite",
            to=["ada@example.test"],
            cc=["grace@example.test"],
            subject="Quarterly review",
            text="See you on 5 January.",
            html="<p>See you on <strong>5 January</strong>.</p>",
            attachments=[
                {
                    "filename": "meeting.ics",
                    "content": ICS,
                    "content_type": "text/calendar; method=REQUEST",
                }
            ],
        )


def test_the_sent_email_carries_the_rows_message_id_bodies_and_calendar_file(tenant_a):
    queued = _queue_invitation(tenant_a)

    assert outbox_deliver(tenant_id=tenant_a.pk, message_id=queued.pk) == "sent"

    assert len(mail.outbox) == 1
    parsed = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert parsed["Message-ID"] == queued.message_id
    assert parsed["To"] == "ada@example.test" and parsed["Cc"] == "grace@example.test"
    parts = {p.get_content_type(): p for p in parsed.walk()}
    assert "See you on 5 January." in parts["text/plain"].get_payload(decode=True).decode()
    assert "<strong>5 January</strong>" in parts["text/html"].get_payload(decode=True).decode()
    calendar = parts["text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_filename() == "meeting.ics"
    assert "SUMMARY:Quarterly review" in calendar.get_payload(decode=True).decode()
    row = in_tenant(tenant_a, lambda: OutboxMessage.objects.get(pk=queued.pk))
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1


def test_a_second_delivery_of_the_same_task_sends_nothing(tenant_a):
    queued = _queue_invitation(tenant_a)
    outbox_deliver(tenant_id=tenant_a.pk, message_id=queued.pk)

    assert outbox_deliver(tenant_id=tenant_a.pk, message_id=queued.pk) == "skipped"

    assert len(mail.outbox) == 1


def test_a_task_for_another_tenants_id_finds_nothing(tenant_a, tenant_b):
    """The task re-enters the tenant it was given: an id of tenant A under tenant B is no row."""
    queued = _queue_invitation(tenant_a)

    assert outbox_deliver(tenant_id=tenant_b.pk, message_id=queued.pk) == "skipped"

    assert mail.outbox == []


def test_an_alternative_body_is_sent_inside_multipart_alternative_after_text_and_html(tenant_a):
    with tenant_context(tenant_a):
        queued = outbox_enqueue(
            key="meeting-7:invite:alternative",
            to=["ada@example.test"],
            reply_to=["rm@example.test"],
            subject="Quarterly review",
            text="See you on 5 January.",
            html="<p>See you on 5 January.</p>",
            alternatives=[{"content": ICS, "content_type": "text/calendar; method=REQUEST"}],
        )

    outbox_deliver(tenant_id=tenant_a.pk, message_id=queued.pk)

    parsed = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert parsed["Reply-To"] == "rm@example.test"
    assert parsed.get_content_type() == "multipart/alternative"
    parts = parsed.get_payload()
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    calendar = parts[2]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_filename() is None
    assert "SUMMARY:Quarterly review" in calendar.get_payload(decode=True).decode()


def test_an_alternative_body_that_is_not_text_is_refused(tenant_a):
    with tenant_context(tenant_a), pytest.raises(ValidationError) as refused:
        outbox_enqueue(
            key="meeting-7:invite:bad",
            to=["ada@example.test"],
            subject="Quarterly review",
            text="See you.",
            alternatives=[{"content": "x", "content_type": "application/pdf"}],
        )

    assert "alternatives" in refused.value.message_dict
