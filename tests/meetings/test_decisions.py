"""Decisions: the accountable person approves or rejects; a purchaser, the wrong person and an
API key never do."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brm.tenancy.models import Role
from meetings import services
from meetings.models import Decision
from tests.kit import make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def business_decision(world, **overrides):
    data = {
        "customer": world.customer,
        "title": "Move payroll to the cloud",
        "kind": "business",
        "accountable_contact": world.bea,
    }
    data.update(overrides)
    return services.decision_create(actor=world.rm.user, **data)


def test_the_accountable_business_manager_approves_a_business_decision(mworld):
    decision = business_decision(mworld)
    services.decision_decide(
        decision=decision, membership=mworld.business_manager, approve=True, note="Go"
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPROVED
    assert decision.decided_by == mworld.business_manager.user
    assert decision.decided_at is not None and decision.decision_note == "Go"


def test_a_purchaser_never_approves(mworld):
    decision = business_decision(mworld)
    with pytest.raises(PermissionDenied, match="purchaser"):
        services.decision_decide(decision=decision, membership=mworld.purchaser, approve=True)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED


def test_someone_else_with_the_mandate_is_not_the_accountable_person(mworld):
    decision = business_decision(mworld)
    with pytest.raises(PermissionDenied, match="Only Bea Budget"):
        services.decision_decide(decision=decision, membership=mworld.line_manager, approve=True)


def test_staff_do_not_approve_a_business_decision(mworld):
    decision = business_decision(mworld)
    with pytest.raises(PermissionDenied):
        services.decision_decide(decision=decision, membership=mworld.rm, approve=True)


def test_no_membership_means_no_person_and_no_decision(mworld):
    decision = business_decision(mworld)
    with pytest.raises(PermissionDenied, match="person"):
        services.decision_decide(decision=decision, membership=None, approve=True)


def test_a_contact_without_the_mandate_cannot_be_made_accountable(mworld):
    with pytest.raises(ValidationError) as caught:
        business_decision(mworld, accountable_contact=mworld.paul)
    assert "budget mandate" in str(caught.value.message_dict["accountable_contact"])


def test_a_business_decision_loses_its_approver_with_the_mandate(mworld):
    decision = business_decision(mworld)
    mworld.bea.authority = "recommends"
    mworld.bea.save()
    with pytest.raises(PermissionDenied, match="no longer holds"):
        services.decision_decide(
            decision=decision, membership=mworld.business_manager, approve=True
        )


def test_an_it_decision_is_approved_by_its_accountable_it_manager(mworld):
    decision = services.decision_create(
        actor=mworld.rm.user,
        customer=mworld.customer,
        title="Patch window on Sundays",
        kind="it",
        accountable_member=mworld.it_manager,
    )
    with pytest.raises(PermissionDenied):
        services.decision_decide(decision=decision, membership=mworld.steering, approve=True)
    services.decision_decide(
        decision=decision, membership=mworld.it_manager, approve=False, note="Not now"
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REJECTED


def test_an_it_decision_needs_an_it_manager_or_a_steering_member(mworld, tenant_a):
    analyst = make_member(tenant_a, Role.ANALYST, name="Ann Analyst")
    with pytest.raises(ValidationError) as caught:
        services.decision_create(
            actor=mworld.rm.user,
            customer=mworld.customer,
            title="Patch window",
            kind="it",
            accountable_member=analyst,
        )
    assert "accountable_member" in caught.value.message_dict


def test_a_decision_is_decided_once(mworld):
    decision = business_decision(mworld)
    services.decision_decide(decision=decision, membership=mworld.business_manager, approve=True)
    with pytest.raises(PermissionDenied, match="already approved"):
        services.decision_decide(
            decision=decision, membership=mworld.business_manager, approve=False
        )


def test_a_decision_taken_in_a_meeting_of_another_customer_is_refused(mworld, tenant_a):
    from tests.factories import CustomerFactory

    other = CustomerFactory(relationship_manager=mworld.rm, name="Sales")
    start = timezone.now() + timedelta(days=1)
    meeting = services.meeting_create(
        actor=mworld.rm.user,
        customer=other,
        title="Sales review",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        organiser=mworld.rm,
    )
    with pytest.raises(ValidationError) as caught:
        business_decision(mworld, meeting=meeting)
    assert "meeting" in caught.value.message_dict
