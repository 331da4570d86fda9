"""The campaigns a relationship manager sees closing on their working day: open, closing by a
time, having invited one of their customers; with their customers' delivered and answered
invitations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from satisfaction.listing import campaigns_closing_for_rm
from satisfaction.models import Campaign, Invitation
from tests.factories import CampaignFactory, CustomerFactory
from tests.kit import make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_open_campaigns_closing_soon_that_invited_the_rms_customers(tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    other = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="otto@a.test")
    mine = CustomerFactory(relationship_manager=rm)
    theirs = CustomerFactory(relationship_manager=other)
    now = timezone.now()

    def campaign(days, status=Campaign.Status.OPEN, *invited):
        made = CampaignFactory(
            status=status, opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=days)
        )
        for customer, answered in invited:
            Invitation.objects.create(
                campaign=made,
                customer=customer,
                name="Bea",
                status=Invitation.Status.SENT,
                answered_at=now if answered else None,
            )
        return made

    closing = campaign(3, Campaign.Status.OPEN, (mine, True), (mine, False), (theirs, True))
    campaign(2, Campaign.Status.OPEN, (theirs, False))
    campaign(12, Campaign.Status.OPEN, (mine, False))
    campaign(1, Campaign.Status.CANCELLED, (mine, False))
    found = list(campaigns_closing_for_rm(rm, until=now + timedelta(days=7)))
    assert found == [closing]
    assert (found[0].delivered, found[0].answered) == (2, 1)
