"""A customer to meet: its RM, an IT manager, a steering member, Bea and Lina (budget mandate,
customer logins), Paul (a purchaser's contact with a purchaser login) and Carl (no mandate)."""

from dataclasses import dataclass
from datetime import time

import pytest

from brm.tenancy.models import Membership, Role
from customers.models import Contact, Customer
from meetings import services
from meetings.models import Cadence
from tests.agreements.conftest import make_world
from tests.factories import ContactFactory
from tests.kit import in_tenant, make_member


@dataclass
class MeetingWorld:
    customer: Customer
    rm: Membership
    it_manager: Membership
    steering: Membership
    business_manager: Membership
    line_manager: Membership
    purchaser: Membership
    bea: Contact
    lina: Contact
    paul: Contact
    carl: Contact


@pytest.fixture
def mworld(tenant_a, rm_a, customer_record) -> MeetingWorld:
    world = make_world(tenant_a, rm_a, customer_record)
    with in_tenant(tenant_a):
        tenant_a.time_zone = "Europe/Amsterdam"
        tenant_a.save(update_fields=["time_zone"])
        paul = Contact.objects.get(customer=customer_record, name="Paul")
        carl = ContactFactory(
            customer=customer_record, name="Carl Clerk", email="carl@finance.example"
        )
    return MeetingWorld(
        customer=customer_record,
        rm=rm_a,
        it_manager=world.it_manager,
        steering=make_member(tenant_a, Role.STEERING, name="Stella Steering"),
        business_manager=world.business_manager,
        line_manager=world.line_manager,
        purchaser=world.purchaser,
        bea=world.bea,
        lina=world.lina,
        paul=paul,
        carl=carl,
    )


def monthly_review(world: MeetingWorld, **overrides) -> Cadence:
    """A monthly service review on the second Tuesday at 10:00 office time, Bea and the RM."""
    data = {
        "customer": world.customer,
        "meeting_type": "service_review",
        "name": "Monthly service review",
        "frequency": "monthly",
        "weekday": 1,
        "week_of_month": 2,
        "starts_on": overrides.pop("starts_on"),
        "time_of_day": time(10),
        "duration_minutes": 60,
        "organiser": world.rm,
        "agenda_template": "Welcome\nService levels\nAny other business",
    }
    data.update(overrides)
    return services.cadence_create(
        actor=world.rm.user, contacts=[world.bea], members=[world.rm], **data
    )
