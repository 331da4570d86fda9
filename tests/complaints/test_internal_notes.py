"""Internal notes are staff only: never in an email, never in what the raiser's side reads."""

import pytest
from django.core.exceptions import PermissionDenied

from brm.outbox.models import OutboxMessage
from complaints import services
from complaints.selectors import complaint_messages_for_raiser, complaint_timeline
from tests.complaints.conftest import local, receive, resolve, run_due, working

pytestmark = pytest.mark.usefixtures("as_tenant_a")

SECRET = "The RM forgot to schedule it"


def test_an_internal_note_reaches_no_email_and_no_raiser_through_a_whole_life(
    tenant_a, world, clock
):
    clock.set(local(2027, 3, 2, 9))
    complaint = receive(world, severity="critical")
    services.complaint_message_add(complaint=complaint, actor=world.rm, body=SECRET, internal=True)
    working(world, complaint)
    services.complaint_message_add(complaint=complaint, actor=world.rm, body="We are on it")
    services.complaint_wait_on_raiser(complaint=complaint, actor=world.rm, question="Who?")
    services.complaint_message_add(
        complaint=complaint, actor=world.business_manager, body="Everyone"
    )
    services.complaint_message_add(
        complaint=complaint, actor=world.it_manager, body=f"Note: {SECRET}", internal=True
    )
    services.complaint_escalate(complaint=complaint, actor=world.rm, note="To IT")
    run_due(tenant_a, local(2027, 3, 9, 9))  # warnings, a breach, an escalation
    resolve(world, complaint, actor=world.it_manager)
    run_due(tenant_a, local(2027, 4, 30, 9))  # the deemed-acceptance reminder and close

    sent = list(OutboxMessage.objects.all())
    assert len(sent) > 8
    for mail in sent:
        assert SECRET not in mail.subject + mail.text + mail.html, mail.key
    raiser_side = complaint_timeline(complaint, for_raiser=True)
    assert all(not (e.message and e.message.internal) for e in raiser_side)
    assert all(not (e.event and e.event.internal) for e in raiser_side)
    bodies = [m.body for m in complaint_messages_for_raiser(complaint)]
    assert bodies == ["We are on it", "Who?", "Everyone"]
    staff_side = [e.message.body for e in complaint_timeline(complaint) if e.kind == "note"]
    assert staff_side == [SECRET, f"Note: {SECRET}"]


def test_the_raisers_side_cannot_write_an_internal_note(world):
    complaint = receive(world)
    with pytest.raises(PermissionDenied):
        services.complaint_message_add(
            complaint=complaint, actor=world.business_manager, body="x", internal=True
        )
