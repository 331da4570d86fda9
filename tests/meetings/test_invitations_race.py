"""Each (meeting, SEQUENCE, attendee) invitation is sent once, even with two services queueing
the same change, two dispatchers and two workers racing (committed rows, their own connections).
"""

import threading

import pytest
from django.core import mail
from django.db import connection

from brm.outbox.models import OutboxMessage
from brm.outbox.services import outbox_deliver, outbox_dispatch
from brm.tenancy.context import tenant_context
from meetings import invitations
from meetings.models import Meeting
from tests.meetings.test_invitations import _meeting, _queued
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)


@pytest.mark.django_db(transaction=True)
def test_each_invitation_is_sent_once_with_two_queuers_dispatchers_and_workers_racing(
    tenant_a,
    mworld,
    redis_server,  # noqa: F811
):
    with tenant_context(tenant_a):  # committed: the racing threads have their own connections
        meeting = _meeting(mworld)
        # A change made elsewhere: both threads now queue the requests of SEQUENCE 5 at once.
        Meeting.objects.filter(pk=meeting.pk).update(sequence=5)
    barrier = threading.Barrier(2)
    errors = []

    def queue_dispatch_deliver():
        try:
            barrier.wait(5)
            with tenant_context(tenant_a):
                invitations.invitations_queue(meeting)
            outbox_dispatch()
            with tenant_context(tenant_a):
                ids = [m.pk for m in _queued() if ":seq-5:" in m.key]
            for pk in ids:
                outbox_deliver(tenant_id=tenant_a.pk, message_id=pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=queue_dispatch_deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    with tenant_context(tenant_a):
        rows = [m for m in _queued() if ":seq-5:" in m.key]
        assert sorted(m.to[0] for m in rows) == sorted(
            [mworld.bea.email, mworld.carl.email, mworld.it_manager.user.email]
        )
        assert {m.status for m in rows} == {OutboxMessage.DONE}
    # Sent once each: one email a recipient with the file of SEQUENCE 5, and nothing else.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.to[0] for m in rows)
    assert all("SEQUENCE:5" in m.alternatives[-1][0] for m in mail.outbox)
