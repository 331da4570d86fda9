"""The outbox page: admins see the office's emails with status and failure reason, filter and
page through them, and send a failed one again (audited); other roles cannot open it."""

import pytest
from django.urls import reverse

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_enqueue
from brm.tenancy.context import tenant_context
from tests.kit import assert_audited, assert_page_queries, refreshed

pytestmark = pytest.mark.django_db

# The list's own queries on top of the staff shell: the count, the rows.
OWN_QUERIES = 2


def _messages(tenant, n, status="sent", reason=""):
    with tenant_context(tenant):
        for i in range(n):
            m = outbox_enqueue(
                key=f"{status}-{i}", to=f"p{i}@example.test", subject=f"{status} {i}", text="t"
            )
            OutboxMessage.objects.filter(pk=m.pk).update(status=status, last_error=reason)
        return list(OutboxMessage.objects.filter(status=status).order_by("pk"))


def _url(tenant, name="outbox:message_list", **kwargs):
    return reverse(name, kwargs={"tenant_slug": tenant.slug, **kwargs})


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a.user)
    return client


def test_the_list_shows_status_and_the_reason_of_a_failure(admin_client, tenant_a):
    _messages(tenant_a, 1, "sent")
    _messages(tenant_a, 1, "failed", reason="550 5.1.1 No such mailbox")

    page = admin_client.get(_url(tenant_a)).content.decode()

    assert "sent 0" in page and "failed 0" in page
    assert "550 5.1.1 No such mailbox" in page
    assert "Outbox" in page


def test_the_status_filter_shows_only_that_status(admin_client, tenant_a):
    _messages(tenant_a, 2, "sent")
    _messages(tenant_a, 1, "failed", reason="550 gone")

    page = admin_client.get(_url(tenant_a), {"status": "failed"}).content.decode()

    assert "failed 0" in page and "sent 0" not in page


def test_the_list_is_paginated_and_its_query_count_does_not_grow_with_rows(admin_client, tenant_a):
    _messages(tenant_a, 1, "failed", reason="550 gone")
    assert_page_queries(admin_client, _url(tenant_a), own=OWN_QUERIES)
    _messages(tenant_a, 60, "sent")
    assert_page_queries(admin_client, _url(tenant_a), own=OWN_QUERIES)
    first = admin_client.get(_url(tenant_a))
    second = admin_client.get(_url(tenant_a), {"page": 2}).content.decode()

    assert first.context["page"].paginator.num_pages == 2
    assert "Page 2 of 2" in second


def test_other_roles_cannot_open_the_outbox(client, tenant_a, rm_a):
    client.force_login(rm_a.user)

    assert client.get(_url(tenant_a)).status_code == 403


def test_retrying_a_failed_email_queues_it_again_and_is_audited(admin_client, tenant_a, admin_a):
    (failed,) = _messages(tenant_a, 1, "failed", reason="550 5.1.1 No such mailbox")
    url = _url(tenant_a, "outbox:message_retry", pk=failed.pk)

    confirm = admin_client.get(url).content.decode()
    response = admin_client.post(url)

    assert "550 5.1.1 No such mailbox" in confirm and "<form" in confirm
    assert response.status_code == 302
    refreshed(failed)
    assert failed.status == "dispatched" and failed.attempts == 0
    assert_audited(tenant_a, "outbox.retry", obj=failed, actor=admin_a.user)


def test_only_a_failed_email_can_be_retried(admin_client, tenant_a):
    (sent,) = _messages(tenant_a, 1, "sent")
    url = _url(tenant_a, "outbox:message_retry", pk=sent.pk)

    assert "nothing to retry" in admin_client.get(url).content.decode()
    page = admin_client.post(url, follow=True).content.decode()

    assert "Only a failed email can be retried." in page
    refreshed(sent)
    assert sent.status == "sent"


def test_the_detail_page_shows_the_message_id_and_body(admin_client, tenant_a):
    (message,) = _messages(tenant_a, 1, "sent")

    page = admin_client.get(_url(tenant_a, "outbox:message_detail", pk=message.pk))

    assert message.message_id.strip("<>") in page.content.decode()


def test_the_detail_page_names_the_reply_to_and_the_alternative_bodies(admin_client, tenant_a):
    with tenant_context(tenant_a):
        message = outbox_enqueue(
            key="invite-1",
            to="ada@example.test",
            reply_to="rita@example.test",
            subject="Review",
            text="t",
            alternatives=[{"content": "BEGIN:VCALENDAR", "content_type": "text/calendar"}],
        )

    page = admin_client.get(_url(tenant_a, "outbox:message_detail", pk=message.pk))

    assert "rita@example.test" in page.content.decode()
    assert "text/calendar" in page.content.decode()


def test_the_isolation_marker_shows_in_its_own_tenant(client, tenant_b, admin_b):
    """Control for the isolation harness: the outbox marker row is visible where it belongs."""
    from tests.isolation import MARKED_ROW_FACTORIES, MARKER
    from tests.outbox.isolation_cases import outbox_rows

    assert outbox_rows in MARKED_ROW_FACTORIES
    outbox_rows(tenant_b)
    client.force_login(admin_b.user)

    assert MARKER in client.get(_url(tenant_b)).content.decode()
