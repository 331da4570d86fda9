"""A relationship manager's complaints near or past a target (their working day): open
complaints of their customers whose target in force has warned or breached, never those about
them, the acknowledge target only until acknowledged."""

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.selectors import complaints_near_or_past_target
from tests.complaints.conftest import receive
from tests.factories import CustomerFactory

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _mark(complaint, **values):
    Complaint.objects.filter(pk=complaint.pk).update(**values)


def _subjects(member):
    return [c.subject for c in complaints_near_or_past_target(member)]


def test_warned_and_breached_complaints_of_the_rms_customers_past_first(world):
    now = timezone.now()
    calm = receive(world, subject="calm")
    near = receive(world, subject="near")
    _mark(near, acknowledge_warned_at=now)
    past = receive(world, subject="past")
    _mark(past, acknowledge_warned_at=now, acknowledge_breached=True)
    resolving = receive(world, subject="resolve near")
    _mark(resolving, acknowledged_at=now, acknowledge_warned_at=now, resolve_warned_at=now)
    assert calm.pk
    found = list(complaints_near_or_past_target(world.rm))
    assert [c.subject for c in found[:1]] == ["past"]
    assert {c.subject for c in found[1:]} == {"near", "resolve near"}
    assert [c.past_target for c in found] == [True, False, False]


def test_an_acknowledged_complaint_leaves_the_acknowledge_warning_behind(world):
    done = receive(world, subject="acknowledged in time")
    _mark(done, acknowledged_at=timezone.now(), acknowledge_warned_at=timezone.now())
    assert _subjects(world.rm) == []


def test_closed_about_the_rm_and_other_rms_complaints_are_left_out(world, tenant_a):
    now = timezone.now()
    about = receive(world, subject="about Rita", about_rm=True)
    _mark(about, acknowledge_breached=True)
    closed = receive(world, subject="closed")
    _mark(closed, status=Complaint.Status.CLOSED_CONFIRMED, resolve_target_breached_at=now)
    other = CustomerFactory(relationship_manager=world.it_manager)
    theirs = receive(
        world,
        subject="another RM's",
        customer=other,
        raiser_contact=None,
        raiser_email="x@business.example",
        raiser_name="Xavier",
        actor=world.it_manager,
    )
    _mark(theirs, resolve_target_breached_at=now)
    assert _subjects(world.rm) == []
    assert _subjects(world.it_manager) == ["another RM's"]
