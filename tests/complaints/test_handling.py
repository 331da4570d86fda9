"""Handling a complaint: acknowledgement, the owner, severity, waiting on the raiser, the thread,
escalation along the route, resolution with corrective actions, and the raiser's answer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.models import ClockSpan, ComplaintEvent, Escalation
from customers.models import ActionItem
from tests.complaints.conftest import local, mails, receive, refetch, resolve, working
from tests.kit import assert_audited

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _kinds(complaint):
    return list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))


def test_acknowledging_tells_the_raiser_with_the_resolve_target_and_the_portal_link(
    world, tenant_a, clock
):
    clock.set(local(2027, 3, 2, 9))
    complaint = working(world, receive(world))
    assert complaint.status == "acknowledged" and complaint.acknowledged_at == clock.now
    (mail,) = mails(f"complaint-acknowledged:{complaint.pk}")
    assert mail.to == [world.bea.email]
    assert "2027-03-03 17:00" in mail.text  # critical: 16 business hours, two full days
    assert f"/t/{tenant_a.slug}/portal/complaints/{complaint.pk}/" in mail.text


def test_a_complaint_is_acknowledged_once(world):
    complaint = working(world, receive(world))
    with pytest.raises(ValidationError):
        working(world, complaint)


def test_analysts_read_but_never_handle(world):
    complaint = receive(world)
    with pytest.raises(PermissionDenied, match="read-only"):
        services.complaint_acknowledge(complaint=complaint, actor=world.analyst)


def test_the_steering_group_handles_a_complaint_only_at_level_3(world):
    complaint = working(world, receive(world))
    with pytest.raises(PermissionDenied):
        services.complaint_message_add(complaint=complaint, actor=world.steering[0], body="Hi")
    for _ in range(2):
        services.complaint_escalate(complaint=complaint, actor=world.it_manager, note="Big")
    services.complaint_message_add(complaint=complaint, actor=world.steering[0], body="On it")


def test_assigning_an_owner_puts_an_acknowledged_complaint_in_progress(world):
    complaint = working(world, receive(world))
    complaint = services.complaint_assign(
        complaint=complaint, actor=world.rm, owner=world.it_manager
    )
    assert complaint.owner == world.it_manager and complaint.status == "in_progress"
    assert mails("complaint-assigned:")[0].to == [world.it_manager.user.email]


def test_an_analyst_cannot_own_a_complaint(world):
    complaint = working(world, receive(world))
    with pytest.raises(ValidationError):
        services.complaint_assign(complaint=complaint, actor=world.rm, owner=world.analyst)


def test_a_severity_change_recomputes_the_targets_from_receipt_and_records_why(world, clock):
    clock.set(local(2027, 3, 2, 9))
    complaint = receive(world, severity="low")
    clock.set(local(2027, 3, 2, 11))
    complaint = services.complaint_severity_change(
        complaint=complaint, actor=world.rm, severity="critical", reason="Payroll is down"
    )
    assert complaint.acknowledge_hours == Decimal(2)
    assert complaint.acknowledge_due_at == local(2027, 3, 2, 11)
    assert complaint.resolve_due_at == local(2027, 3, 3, 17)
    event = ComplaintEvent.objects.get(complaint=complaint, kind="severity_changed")
    assert event.note == "Payroll is down"
    assert event.data["from"] == "low" and event.data["to"] == "critical"
    assert event.data["before"]["resolve_hours"] == "160.00"
    assert_audited(world.customer.tenant, "complaint.severity_changed")


def test_a_severity_change_needs_a_reason(world):
    complaint = receive(world, severity="low")
    with pytest.raises(ValidationError):
        services.complaint_severity_change(
            complaint=complaint, actor=world.rm, severity="high", reason=" "
        )


def test_waiting_on_the_raiser_stops_the_clock_and_their_reply_runs_it_again(world, clock):
    clock.set(local(2027, 3, 2, 9))
    complaint = working(world, receive(world))
    clock.set(local(2027, 3, 2, 10))
    complaint = services.complaint_wait_on_raiser(
        complaint=complaint, actor=world.rm, question="Which employees were paid late?"
    )
    assert complaint.status == "waiting_on_raiser"
    assert mails("complaint-message:")[0].to == [world.bea.email]
    clock.set(local(2027, 3, 2, 15))
    services.complaint_message_add(
        complaint=complaint, actor=world.business_manager, body="All of them."
    )
    complaint = refetch(complaint)
    assert complaint.status == "in_progress"
    spans = list(
        ClockSpan.objects.filter(complaint=complaint).values_list("started_at", "ended_at")
    )
    assert spans == [
        (local(2027, 3, 2, 9), local(2027, 3, 2, 10)),
        (local(2027, 3, 2, 15), None),
    ]
    assert complaint.resolve_due_at == local(2027, 3, 4, 14)  # 16 h, 5 of them paused
    assert "paused" in _kinds(complaint) and "resumed" in _kinds(complaint)
    assert mails("complaint-raiser-message:")[0].to == [world.rm.user.email]


def test_staff_may_run_the_clock_again_without_an_answer(world):
    complaint = working(world, receive(world))
    services.complaint_wait_on_raiser(complaint=complaint, actor=world.rm, question="Who?")
    complaint = services.complaint_resume(complaint=complaint, actor=world.rm)
    assert complaint.status == "in_progress"


def test_a_new_complaint_cannot_wait_on_the_raiser(world):
    with pytest.raises(ValidationError):
        services.complaint_wait_on_raiser(complaint=receive(world), actor=world.rm, question="?")


def test_the_raiser_asks_for_escalation_with_a_reason_and_it_goes_one_level_up(world, clock):
    clock.set(local(2027, 3, 2, 9))
    complaint = working(world, receive(world))
    clock.set(local(2027, 3, 2, 12))
    escalation = services.complaint_escalation_request(
        complaint=complaint, actor=world.business_manager, reason="Nothing happens"
    )
    complaint = refetch(complaint)
    assert (escalation.from_level, escalation.to_level) == (1, 2)
    assert escalation.reason == "raiser_request" and escalation.note == "Nothing happens"
    assert escalation.by == world.business_manager.user
    assert complaint.level == 2 and complaint.owner is None
    # Level 2's own target (8 business hours for critical), counted from the escalation.
    assert complaint.resolve_hours == Decimal(8)
    assert complaint.resolve_due_at == local(2027, 3, 3, 12)
    told = sorted(m.to[0] for m in mails(f"complaint-escalated:{escalation.pk}:"))
    assert told == sorted([world.it_manager.user.email, world.second_it_manager.user.email])
    assert mails(f"complaint-escalated-raiser:{escalation.pk}")[0].to == [world.bea.email]


def test_escalation_needs_a_reason(world):
    complaint = working(world, receive(world))
    with pytest.raises(ValidationError):
        services.complaint_escalation_request(
            complaint=complaint, actor=world.business_manager, reason=""
        )
    with pytest.raises(ValidationError):
        services.complaint_escalate(complaint=complaint, actor=world.rm, note="")


def test_staff_cannot_ask_for_escalation_as_the_raiser(world):
    complaint = working(world, receive(world))
    with pytest.raises(PermissionDenied):
        services.complaint_escalation_request(complaint=complaint, actor=world.rm, reason="x")


def test_reaching_the_steering_group_tells_every_steering_member(world):
    complaint = working(world, receive(world))
    services.complaint_escalate(
        complaint=complaint, actor=world.rm, note="Beyond me", owner=world.it_manager
    )
    third = services.complaint_escalate(complaint=complaint, actor=world.it_manager, note="Policy")
    told = sorted(m.to[0] for m in mails(f"complaint-escalated:{third.pk}:"))
    assert told == sorted(m.user.email for m in world.steering)
    with pytest.raises(ValidationError, match="steering group already"):
        services.complaint_escalate(complaint=complaint, actor=world.it_manager, note="More")
    assert list(
        Escalation.objects.filter(complaint=complaint).values_list("to_level", "reason")
    ) == [(2, "staff_decision"), (3, "staff_decision")]


def test_resolving_needs_the_root_cause_and_the_resolution(world):
    complaint = working(world, receive(world))
    with pytest.raises(ValidationError) as caught:
        resolve(world, complaint, root_cause_category="", root_cause="", resolution="")
    assert set(caught.value.message_dict) == {"root_cause_category", "root_cause", "resolution"}


def test_a_new_complaint_is_acknowledged_before_it_is_resolved(world):
    with pytest.raises(ValidationError, match="Acknowledge"):
        resolve(world, receive(world))


def test_resolving_makes_the_corrective_actions_and_asks_the_raiser_to_confirm(world, tenant_a):
    complaint = working(world, receive(world))
    complaint = resolve(
        world,
        complaint,
        actions=[{"title": "Monitor the payroll schedule", "owner_member": world.it_manager}],
    )
    assert complaint.status == "resolved"
    (item,) = ActionItem.objects.filter(source="complaint")
    assert item.source_ref == complaint.reference and item.customer == world.customer
    assert item.owner_member == world.it_manager
    (mail,) = mails(f"complaint-resolved:{complaint.pk}:")
    assert "Rescheduled and paid the same day." in mail.text
    assert f"/t/{tenant_a.slug}/portal/complaints/{complaint.pk}/" in mail.text
    assert ClockSpan.objects.get(complaint=complaint).ended_at == complaint.resolved_at


def test_the_raiser_confirms_with_a_rating(world):
    complaint = resolve(world, working(world, receive(world)))
    complaint = services.complaint_confirm(
        complaint=complaint, actor=world.business_manager, rating=4
    )
    assert complaint.status == "closed_confirmed" and complaint.rating == 4
    assert complaint.closed_at is not None


def test_a_rating_is_from_1_to_5(world):
    complaint = resolve(world, working(world, receive(world)))
    with pytest.raises(ValidationError):
        services.complaint_confirm(complaint=complaint, actor=world.business_manager, rating=6)


def test_staff_and_keys_never_confirm_for_the_raiser(world):
    from brm.api.services import api_key_create

    complaint = resolve(world, working(world, receive(world)))
    key, _raw = api_key_create(name="desk", scope="write")
    for actor in (world.rm, key):
        with pytest.raises(PermissionDenied):
            services.complaint_confirm(complaint=complaint, actor=actor)


def test_a_purchaser_of_another_unit_cannot_answer_for_it(world):
    complaint = resolve(world, working(world, receive(world, raiser_contact=world.paul)))
    with pytest.raises(PermissionDenied):
        services.complaint_confirm(complaint=complaint, actor=world.other_purchaser)
    services.complaint_confirm(complaint=complaint, actor=world.purchaser)


def test_rejecting_with_a_reason_reopens_it_and_the_clock_runs_again(world, clock):
    clock.set(local(2027, 3, 2, 9))
    complaint = working(world, receive(world))
    clock.set(local(2027, 3, 2, 13))
    complaint = resolve(world, complaint)
    clock.set(local(2027, 3, 4, 9))
    with pytest.raises(ValidationError):
        services.complaint_reject(complaint=complaint, actor=world.business_manager, reason="")
    complaint = services.complaint_reject(
        complaint=complaint, actor=world.business_manager, reason="Still two people unpaid"
    )
    assert complaint.status == "reopened" and complaint.reopen_count == 1
    assert complaint.resolved_at is None
    # 4 of the 16 hours were used before the resolution; 12 are left from Thursday 09:00.
    assert refetch(complaint).resolve_due_at == local(2027, 3, 5, 13)
    assert mails("complaint-reopened:")[0].to == [world.rm.user.email]
    event = ComplaintEvent.objects.get(complaint=complaint, kind="reopened")
    assert event.note == "Still two people unpaid"


def test_a_reopened_complaint_is_worked_on_and_resolved_again(world):
    complaint = resolve(world, working(world, receive(world)))
    services.complaint_reject(complaint=complaint, actor=world.business_manager, reason="No")
    complaint = resolve(world, refetch(complaint), resolution="Paid the last two.")
    assert complaint.status == "resolved"
    assert len(mails(f"complaint-resolved:{complaint.pk}:")) == 2


def test_a_closed_complaint_takes_no_more_messages(world):
    complaint = resolve(world, working(world, receive(world)))
    services.complaint_confirm(complaint=complaint, actor=world.business_manager)
    with pytest.raises(ValidationError):
        services.complaint_message_add(complaint=complaint, actor=world.rm, body="One more")


def test_the_timeline_has_every_step_in_order(world, clock):
    from complaints.selectors import complaint_timeline

    clock.set(local(2027, 3, 2, 9))
    complaint = receive(world)
    for minutes in range(1, 6):
        clock.advance(minutes=minutes)
        if minutes == 1:
            working(world, complaint)
        elif minutes == 2:
            services.complaint_message_add(complaint=complaint, actor=world.rm, body="Looking")
        elif minutes == 3:
            services.complaint_escalate(complaint=complaint, actor=world.rm, note="IT")
        elif minutes == 4:
            resolve(world, complaint, actor=world.it_manager)
        else:
            services.complaint_confirm(complaint=complaint, actor=world.business_manager)
    assert [e.kind for e in complaint_timeline(complaint)] == [
        "received",
        "acknowledged",
        "message",
        "escalated",
        "resolved",
        "confirmed",
    ]
    assert clock.now - complaint.received_at == timedelta(minutes=15)


def test_staff_correct_what_a_complaint_is_about_and_it_is_audited(world):
    complaint = receive(world)
    complaint = services.complaint_update(
        complaint=complaint, actor=world.rm, subject="Payroll run failed twice", category=None
    )
    assert complaint.subject == "Payroll run failed twice" and complaint.category is None
    assert_audited(world.customer.tenant, "complaint.updated")


def test_the_severity_and_the_raiser_are_not_changed_as_corrections(world):
    complaint = receive(world)
    with pytest.raises(ValidationError) as caught:
        services.complaint_update(complaint=complaint, actor=world.rm, severity="low")
    assert "severity" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.complaint_update(complaint=complaint, actor=world.rm, subject="")


def test_the_route_names_the_people_at_each_level(world):
    from complaints.selectors import complaint_route

    route = complaint_route(receive(world))
    assert [level for level, _people in route] == [1, 2, 3]
    assert route[0][1] == [world.rm]
    assert set(route[1][1]) == {world.it_manager, world.second_it_manager}
    assert set(route[2][1]) == set(world.steering)
    about = complaint_route(receive(world, about_rm=True))
    assert [level for level, _people in about] == [2, 3]


def test_a_complaint_is_got_only_by_who_may_see_it(world):
    from complaints.models import Complaint
    from complaints.selectors import complaint_get

    about = receive(world, about_rm=True)
    assert complaint_get(world.it_manager, about.pk) == about
    with pytest.raises(Complaint.DoesNotExist):
        complaint_get(world.rm, about.pk)
