"""Each (notice, contact) email is sent once with two fan-out jobs, two dispatchers and two
workers racing (committed rows, their own connections)."""

import threading

import pytest
from django.core import mail
from django.db import connection

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_deliver, outbox_dispatch
from brm.tenancy.context import tenant_context
from meetings import communications
from tests.meetings.communications.conftest import maintenance
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)


@pytest.mark.django_db(transaction=True)
def test_each_notice_email_is_sent_once_with_fanouts_dispatchers_and_workers_racing(
    tenant_a,
    cworld,
    redis_server,  # noqa: F811
):
    with tenant_context(tenant_a):
        notice = maintenance(cworld, roles=["all_contacts"])
        communications.notice_send(notice=notice, actor=None)
    barrier = threading.Barrier(2)
    errors = []

    def fan_out_dispatch_deliver():
        try:
            barrier.wait(5)
            with tenant_context(tenant_a):
                communications.notice_fanout(notice)
            outbox_dispatch()
            with tenant_context(tenant_a):
                ids = list(
                    OutboxMessage.objects.filter(
                        key__startswith=f"notice-{notice.pk}:"
                    ).values_list("pk", flat=True)
                )
            for pk in ids:
                outbox_deliver(tenant_id=tenant_a.pk, message_id=pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fan_out_dispatch_deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    expected = sorted(
        [
            "bea@finance.example",
            "lina@finance.example",
            "paul@finance.example",
            "carl@finance.example",
            "sam@sales.example",
            "pia@sales.example",
        ]
    )
    with tenant_context(tenant_a):
        rows = list(OutboxMessage.objects.filter(key__startswith=f"notice-{notice.pk}:"))
        assert sorted(m.to[0] for m in rows) == expected
        assert {m.status for m in rows} == {OutboxMessage.DONE}
    assert sorted(m.to[0] for m in mail.outbox) == expected
