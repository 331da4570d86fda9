"""The reads behind a relationship manager's working day: their upcoming meetings, each
customer's next meeting and their customers' missed cadences."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from meetings import selectors
from meetings.models import Attendee, Cadence, Meeting, MissedCadence
from tests.factories import CustomerFactory
from tests.kit import make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _meeting(customer, organiser, days, status=Meeting.Status.PLANNED):
    start = timezone.now() + timedelta(days=days)
    return Meeting.objects.create(
        customer=customer,
        kind=Meeting.Kind.OTHER,
        title=f"Meeting in {days} days",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status=status,
        organiser=organiser,
    )


def test_upcoming_meetings_of_an_rm_are_of_their_customers_organised_by_or_inviting_them(
    tenant_a,
):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    other = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="otto@a.test")
    mine = CustomerFactory(relationship_manager=rm)
    theirs = CustomerFactory(relationship_manager=other)
    of_customer = _meeting(mine, other, 2)
    organised = _meeting(theirs, rm, 3)
    invited = _meeting(theirs, other, 4)
    Attendee.objects.create(meeting=invited, member=rm, name="Rita", email="rita@a.test")
    removed = _meeting(theirs, other, 5)
    Attendee.objects.create(
        meeting=removed, member=rm, name="Rita", email="rita@a.test", removed_at=timezone.now()
    )
    _meeting(theirs, other, 1)  # not Rita's
    _meeting(mine, rm, 20)  # after the window
    _meeting(mine, rm, 1, status=Meeting.Status.CANCELLED)
    _meeting(mine, rm, -3)  # over

    until = timezone.now() + timedelta(days=14)
    assert list(selectors.upcoming_meetings_of_rm(rm, until=until)) == [
        of_customer,
        organised,
        invited,
    ]


def test_next_meeting_by_customer_is_the_soonest_planned_one(tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    one, two, none = (CustomerFactory(relationship_manager=rm) for _ in range(3))
    _meeting(one, rm, 9)
    soonest = _meeting(one, rm, 2)
    _meeting(one, rm, 1, status=Meeting.Status.CANCELLED)
    _meeting(one, rm, -2)
    later = _meeting(two, rm, 30)
    found = selectors.next_meeting_by_customer([one.pk, two.pk, none.pk])
    assert found == {one.pk: soonest, two.pk: later}


def test_missed_cadences_of_an_rm_are_their_customers_recent_ones(tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    other = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="otto@a.test")
    today = timezone.localdate()

    def missed(customer, ended_days_ago):
        cadence = Cadence.objects.create(
            customer=customer,
            meeting_type="service_review",
            name="Monthly review",
            frequency="monthly",
            month_day=1,
            starts_on=today - timedelta(days=400),
            time_of_day=time(10),
            organiser=customer.relationship_manager,
        )
        return MissedCadence.objects.create(
            cadence=cadence,
            customer=customer,
            period_start=today - timedelta(days=ended_days_ago + 30),
            period_end=today - timedelta(days=ended_days_ago),
        )

    recent = missed(CustomerFactory(relationship_manager=rm), 5)
    missed(CustomerFactory(relationship_manager=rm), 200)
    missed(CustomerFactory(relationship_manager=other), 5)
    since = today - timedelta(days=90)
    assert list(selectors.missed_cadences_of_rm(rm, since=since)) == [recent]
