"""Two customers to communicate with: Finance (Bea the business manager, Lina, Paul of the
Payroll purchaser unit with a purchaser login, Carl without a login) from the meetings' world,
and Sales (Sam, its business manager, and Pia, the manager of its Orders purchaser unit)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Contact, Customer, Purchaser, Service
from meetings import communications
from meetings.models import Notice
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    CustomerServiceFactory,
    PurchaserFactory,
    ServiceFactory,
)
from tests.kit import in_tenant
from tests.meetings.conftest import MeetingWorld


@dataclass
class CommWorld:
    m: MeetingWorld
    finance: Customer
    sales: Customer
    sam: Contact
    pia: Contact
    orders: Purchaser
    email_service: Service


@pytest.fixture
def cworld(tenant_a, mworld) -> CommWorld:
    with in_tenant(tenant_a):
        sales = CustomerFactory(relationship_manager=mworld.rm, name="Sales")
        sam = ContactFactory(customer=sales, name="Sam Seller", email="sam@sales.example")
        orders = PurchaserFactory(customer=sales, name="Orders")
        pia = ContactFactory(
            customer=sales, purchaser=orders, name="Pia Orders", email="pia@sales.example"
        )
        orders.manager = pia
        orders.save()
        sales.business_manager = sam
        sales.save()
        service = ServiceFactory(name="Email")
        CustomerServiceFactory(customer=mworld.customer, service=service)
        CustomerServiceFactory(customer=sales, service=service)
    return CommWorld(mworld, mworld.customer, sales, sam, pia, orders, service)


def maintenance(world: CommWorld, **overrides) -> Notice:
    starts = timezone.now() + timedelta(days=3)
    data = {
        "kind": "planned_maintenance",
        "subject": "Mail server upgrade",
        "body": "The mail server is **upgraded**; expect a short outage.",
        "window_starts_at": starts,
        "window_ends_at": starts + timedelta(hours=2),
        "customer_ids": [world.finance.pk, world.sales.pk],
        "resolve": "roles",
        "roles": ["business_manager"],
    }
    data["actor_member"] = world.m.rm
    data.update(overrides)
    return communications.notice_create(actor=world.m.rm.user, **data)
