"""A small office for the reports tests: two customers of two RMs in two divisions, a dormant
one, purchasers, an agreement in force with a measured SLA line, and October 2026's meetings,
decisions and action items, all written straight into the records (the figures are what is
tested here, not how each record is made)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from brm.tenancy.models import Membership, Role
from customers.models import ActionItem, Customer
from meetings.models import Decision, Meeting, MeetingAction, Minutes
from tests.factories import (
    ActionItemFactory,
    CustomerFactory,
    PurchaserFactory,
    sla_measured_agreement,
)
from tests.kit import in_tenant, make_member

AMS = ZoneInfo("Europe/Amsterdam")
OCT = date(2026, 10, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


@dataclass
class KWorld:
    tenant: object
    rm: Membership
    other_rm: Membership
    finance: Customer
    logistics: Customer
    dormant: Customer


def _meeting(customer, organiser, day, *, kind=Meeting.Kind.CADENCE, held=True, minutes=True):
    meeting = Meeting.objects.create(
        customer=customer,
        kind=kind,
        title="Service review",
        starts_at=at(day),
        ends_at=at(day, 11),
        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
        organiser=organiser,
    )
    if minutes:
        Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED)
    return meeting


def _action(meeting, *, due: date, done: date | None):
    item = ActionItemFactory(
        customer=meeting.customer,
        due_date=due,
        status=ActionItem.Status.DONE if done else ActionItem.Status.OPEN,
        completed_at=at(done, 15) if done else None,
    )
    MeetingAction.objects.create(meeting=meeting, action_item=item)
    return item


def _decision(customer, *, approved_on: date | None):
    return Decision.objects.create(
        customer=customer,
        title="Move payroll to the new platform",
        kind=Decision.Kind.BUSINESS,
        accountable_contact=customer.business_manager,
        status=Decision.Status.APPROVED if approved_on else Decision.Status.PROPOSED,
        decided_at=at(approved_on) if approved_on else None,
        decided_by_name="Bea Budget" if approved_on else "",
    )


def make_kworld(tenant, rm, finance) -> KWorld:
    tenant.time_zone = "Europe/Amsterdam"
    tenant.save(update_fields=["time_zone"])
    other_rm = make_member(tenant, Role.RELATIONSHIP_MANAGER, email=f"rm2@{tenant.slug}.example")
    with in_tenant(tenant):
        finance.division = "Corporate"
        finance.save(update_fields=["division"])
        logistics = CustomerFactory(
            name="Logistics", division="Operations", relationship_manager=other_rm
        )
        dormant = CustomerFactory(
            name="Old unit",
            division="Operations",
            relationship_manager=other_rm,
            status=Customer.Status.DORMANT,
        )
        PurchaserFactory(customer=finance, name="Payroll", it_contact=rm)
        PurchaserFactory(customer=finance, name="Treasury")
        PurchaserFactory(customer=logistics, name="Warehouse")
        PurchaserFactory(customer=dormant, name="Archive", it_contact=other_rm)
    sla_measured_agreement(finance)  # in force, last month's line met (99.5 against 99)
    with in_tenant(tenant):
        # October 2026: Finance two reviews (one without minutes: not a review) and a one-off;
        # Logistics one review on the 20th.
        r1 = _meeting(finance, rm, date(2026, 10, 5))
        _meeting(finance, rm, date(2026, 10, 12), minutes=False)
        _meeting(finance, rm, date(2026, 10, 14), kind=Meeting.Kind.MAJOR_EVENT, minutes=False)
        r2 = _meeting(logistics, other_rm, date(2026, 10, 20))
        _meeting(finance, rm, date(2026, 11, 2))  # next month
        _meeting(dormant, other_rm, date(2026, 10, 6), held=False)  # planned only
        # Action items from meetings closed in October: Finance on time and late, Logistics on time.
        _action(r1, due=date(2026, 10, 10), done=date(2026, 10, 9))
        _action(r1, due=date(2026, 10, 10), done=date(2026, 10, 11))
        _action(r1, due=date(2026, 10, 10), done=None)
        _action(r2, due=date(2026, 10, 25), done=date(2026, 10, 25))
        # Decisions: two approved in October (Finance on the 6th, Logistics on the 21st), one
        # in September, one awaiting.
        for customer, day in (
            (finance, date(2026, 10, 6)),
            (logistics, date(2026, 10, 21)),
            (finance, date(2026, 9, 30)),
            (finance, None),
        ):
            if customer.business_manager is None:
                from tests.factories import ContactFactory

                customer.business_manager = ContactFactory(customer=customer, name="Lou Lead")
                customer.save(update_fields=["business_manager"])
            _decision(customer, approved_on=day)
    return KWorld(tenant, rm, other_rm, finance, logistics, dormant)


@pytest.fixture
def kworld(tenant_a, rm_a, customer_record) -> KWorld:
    return make_kworld(tenant_a, rm_a, customer_record)
