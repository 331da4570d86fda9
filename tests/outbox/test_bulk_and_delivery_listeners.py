"""Many emails queued at once (a campaign's invitations) go in as one batch for the dispatcher,
once per key; an area listening to a key prefix hears of each email sent or failed for good,
after the outbox's own commit, and a listener that fails never makes an email be sent again."""

from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend

from brm.outbox import registry
from brm.outbox.models import OutboxMessage
from brm.outbox.services import (
    outbox_deliver,
    outbox_dispatch,
    outbox_enqueue,
    outbox_enqueue_many,
)
from brm.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def _many(n, prefix="bulk"):
    return [
        {"key": f"{prefix}:{i}", "to": [f"p{i}@example.test"], "subject": f"S {i}", "text": "T"}
        for i in range(n)
    ]


def test_many_are_queued_once_per_key_for_the_dispatcher(tenant_a):
    with tenant_context(tenant_a):
        outbox_enqueue(key="bulk:0", to=["first@example.test"], subject="First", text="x")
        assert outbox_enqueue_many(_many(3)) == 3
        rows = {m.key: m for m in OutboxMessage.objects.all()}
    assert sorted(rows) == ["bulk:0", "bulk:1", "bulk:2"]
    assert rows["bulk:0"].subject == "First"  # the key queued first stays as it was
    assert rows["bulk:1"].status == OutboxMessage.QUEUED and rows["bulk:1"].message_id
    assert outbox_dispatch() == 2


def test_a_bad_address_refuses_the_whole_batch(tenant_a):
    with tenant_context(tenant_a):
        batch = _many(2) + [{"key": "bad", "to": ["not an address"], "subject": "", "text": ""}]
        with pytest.raises(ValidationError):
            outbox_enqueue_many(batch)
        assert OutboxMessage.objects.count() == 0


@pytest.fixture
def heard():
    calls = []

    def listener(*, key, status, at):
        calls.append((key, status, OutboxMessage.objects.get(key=key).status))

    registry.delivery_listener("heard:")(listener)
    yield calls
    registry._delivery.pop("heard:")


def _deliver_all(tenant):
    outbox_dispatch()
    with tenant_context(tenant):
        ids = list(OutboxMessage.objects.values_list("pk", flat=True))
    return [outbox_deliver(tenant_id=tenant.pk, message_id=pk) for pk in ids]


def test_a_listener_hears_of_its_emails_sent_after_the_outbox_marked_them(tenant_a, heard):
    with tenant_context(tenant_a):
        outbox_enqueue_many(_many(2, "heard") + _many(1, "other"))
    assert _deliver_all(tenant_a) == ["sent"] * 3
    assert sorted(heard) == [("heard:0", "sent", "sent"), ("heard:1", "sent", "sent")]


def test_a_listener_hears_of_a_permanent_failure_not_of_a_retry(tenant_a, heard, monkeypatch):
    def refuse(self, messages):
        raise SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with tenant_context(tenant_a):
        outbox_enqueue_many(_many(1, "heard"))
    assert _deliver_all(tenant_a) == ["failed"]
    assert heard == [("heard:0", "failed", "failed")]

    def later(self, messages):
        raise SMTPRecipientsRefused({messages[0].to[0]: (451, b"Try later")})

    monkeypatch.setattr(EmailBackend, "send_messages", later)
    with tenant_context(tenant_a):
        outbox_enqueue_many([{**_many(1, "heard")[0], "key": "heard:late"}])
    assert sorted(_deliver_all(tenant_a)) == ["retry", "skipped"]  # the failed one stays failed
    assert len(heard) == 1


def test_a_failing_listener_leaves_the_email_sent(tenant_a):
    def broken(**kwargs):
        raise RuntimeError("listener bug")

    registry.delivery_listener("broken:")(broken)
    try:
        with tenant_context(tenant_a):
            outbox_enqueue_many(_many(1, "broken"))
        assert _deliver_all(tenant_a) == ["sent"]
        with tenant_context(tenant_a):
            assert OutboxMessage.objects.get().status == OutboxMessage.DONE
        assert len(mail.outbox) == 1
    finally:
        registry._delivery.pop("broken:")
