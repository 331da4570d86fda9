"""Receiving a complaint: its reference, the raiser, the targets snapshotted from the policy, who
may raise it for whom, and the route it starts on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brm.outbox.models import OutboxMessage
from complaints import services
from complaints.models import ClockSpan, Complaint, ComplaintEvent
from tests.complaints.conftest import local, mails, receive

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_references_count_up_per_office_and_year(world, clock):
    clock.set(local(2026, 12, 31, 10))
    first = receive(world)
    second = receive(world)
    clock.set(local(2027, 1, 4, 10))
    third = receive(world)
    assert [first.reference, second.reference, third.reference] == [
        "C-2026-0001",
        "C-2026-0002",
        "C-2027-0001",
    ]


def test_the_targets_are_snapshotted_from_the_default_policy_with_their_values(world, clock):
    clock.set(local(2027, 3, 2, 9))  # a Tuesday at opening
    complaint = receive(world, severity="high")
    assert complaint.acknowledge_hours == Decimal(4)
    assert complaint.resolve_hours == Decimal(40)
    assert complaint.acknowledge_due_at == local(2027, 3, 2, 13)
    assert complaint.resolve_due_at == local(2027, 3, 8, 17)  # 5 working days later
    (event,) = ComplaintEvent.objects.filter(complaint=complaint)
    assert event.kind == "received" and event.data["resolve_hours"] == "40.00"


def test_an_office_policy_overrides_the_default_and_later_changes_leave_the_snapshot(world, clock):
    clock.set(local(2027, 3, 2, 9))
    services.complaint_policy_update(actor=world.admin, severity="low", acknowledge_hours=1)
    complaint = receive(world, severity="low")
    services.complaint_policy_update(actor=world.admin, severity="low", acknowledge_hours=3)
    assert Complaint.objects.get(pk=complaint.pk).acknowledge_hours == Decimal(1)
    assert complaint.resolve_hours == Decimal(160)


def test_only_an_admin_changes_the_policy(world):
    with pytest.raises(PermissionDenied):
        services.complaint_policy_update(actor=world.rm, severity="low", acknowledge_hours=1)


def test_seeding_the_policy_writes_the_defaults_once(world):
    assert len(services.complaint_policy_seed()) == 4
    assert services.complaint_policy_seed() == []


def test_the_clock_starts_at_receipt(world, clock):
    clock.set(local(2027, 3, 2, 9))
    complaint = receive(world)
    (span,) = ClockSpan.objects.filter(complaint=complaint)
    assert span.started_at == complaint.received_at and span.ended_at is None


def test_a_raiser_without_a_login_is_named_with_an_email(world):
    complaint = receive(world, raiser_contact=None, raiser_name="Walt", raiser_email="w@x.example")
    assert complaint.raiser_display == "Walt" and complaint.raiser_address == "w@x.example"


def test_a_complaint_without_a_raiser_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        receive(world, raiser_contact=None, raiser_name="Walt")
    assert "raiser_email" in caught.value.message_dict


def test_a_contact_of_another_customer_cannot_be_the_raiser(world):
    from tests.factories import ContactFactory, CustomerFactory

    other = CustomerFactory(name="Sales", relationship_manager=world.rm)
    stranger = ContactFactory(customer=other, name="Sam", email="sam@sales.example")
    with pytest.raises(ValidationError) as caught:
        receive(world, raiser_contact=stranger)
    assert "raiser_contact" in caught.value.message_dict


def test_a_raiser_of_a_purchaser_unit_files_it_under_that_unit(world):
    complaint = receive(world, raiser_contact=world.paul)
    assert complaint.purchaser == world.payroll


def test_the_business_manager_raises_for_their_own_business_in_the_portal(world):
    complaint = receive(world, actor=world.business_manager, channel="email")
    assert complaint.channel == "portal"
    assert complaint.raiser_contact == world.bea
    assert complaint.purchaser is None


def test_a_purchaser_raises_only_for_their_own_unit(world):
    complaint = receive(world, actor=world.purchaser, raiser_contact=world.bea)
    assert complaint.purchaser == world.payroll
    assert complaint.raiser_contact == world.paul
    with pytest.raises(PermissionDenied, match="own unit"):
        receive(world, actor=world.purchaser, purchaser=world.audit)


def test_a_portal_member_cannot_raise_for_another_customer(world):
    from tests.factories import CustomerFactory

    other = CustomerFactory(name="Sales", relationship_manager=world.rm)
    with pytest.raises(PermissionDenied):
        receive(world, actor=world.business_manager, customer=other)


def test_analysts_and_the_steering_group_do_not_enter_complaints(world):
    for member in (world.analyst, world.steering[0]):
        with pytest.raises(PermissionDenied):
            receive(world, actor=member)


def test_an_offered_category_only(world):
    services.category_update(actor=world.admin, category=world.category, is_active=False)
    with pytest.raises(ValidationError) as caught:
        receive(world)
    assert "category" in caught.value.message_dict


def test_a_complaint_cannot_be_received_in_the_future(world, clock):
    with pytest.raises(ValidationError):
        receive(world, received_at=clock.now + timedelta(hours=1))


def test_a_complaint_starts_at_level_1_with_the_relationship_manager_as_owner(world):
    complaint = receive(world)
    assert complaint.level == 1 and complaint.owner == world.rm
    (mail,) = mails(f"complaint-received:{complaint.pk}")
    assert mail.to == [world.rm.user.email]


def test_a_complaint_about_the_relationship_manager_starts_at_level_2_with_the_it_managers(
    world,
):
    complaint = receive(world, about_rm=True)
    assert complaint.level == 2
    assert complaint.owner is None and complaint.rm_concerned == world.rm
    told = sorted(m.to[0] for m in mails(f"complaint-received:{complaint.pk}"))
    assert told == sorted([world.it_manager.user.email, world.second_it_manager.user.email])
    assert not OutboxMessage.objects.filter(to__contains=[world.rm.user.email])


def test_an_api_key_enters_a_complaint_from_the_service_desk(world):
    from brm.api.services import api_key_create

    key, _raw = api_key_create(name="desk", scope="write")
    complaint = receive(world, actor=key)
    assert complaint.channel == "api"
    read_key, _raw = api_key_create(name="reader", scope="read")
    with pytest.raises(PermissionDenied):
        receive(world, actor=read_key)
