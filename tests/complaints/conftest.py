"""A customer ready to complain: its relationship manager, the IT managers and the steering group,
a business manager with a portal login, two purchaser units with a purchaser login each, and an
office clock the tests set (the office is in Amsterdam, Monday to Friday 09:00 to 17:00)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role
from complaints import services
from complaints.models import Complaint, ComplaintCategory
from customers.models import Contact, Customer, Purchaser
from tests.factories import ContactFactory, PurchaserFactory
from tests.kit import in_tenant, make_member, make_portal_member

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args) -> datetime:
    """A moment on the office's (Amsterdam) wall clock."""
    return datetime(*args, tzinfo=AMSTERDAM)


@dataclass
class World:
    customer: Customer
    rm: Membership
    it_manager: Membership
    second_it_manager: Membership
    steering: list[Membership]
    analyst: Membership
    admin: Membership
    bea: Contact
    business_manager: Membership
    payroll: Purchaser
    paul: Contact
    purchaser: Membership
    audit: Purchaser
    anna: Contact
    other_purchaser: Membership
    category: ComplaintCategory


class OfficeClock:
    """`timezone.now()` as the test sets it: `clock.set(local(2027, 3, 26, 15))`,
    `clock.advance(hours=2)`."""

    def __init__(self, monkeypatch):
        self._now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self._now)

    def set(self, moment: datetime) -> datetime:
        self._now = moment
        return moment

    def advance(self, **delta) -> datetime:
        self._now = self._now + timedelta(**delta)
        return self._now

    @property
    def now(self) -> datetime:
        return self._now


@pytest.fixture
def clock(monkeypatch):
    return OfficeClock(monkeypatch)


@pytest.fixture
def world(tenant_a, rm_a, customer_record) -> World:
    return make_world(tenant_a, rm_a, customer_record)


def make_world(tenant, rm, customer) -> World:
    tenant.time_zone = "Europe/Amsterdam"
    tenant.save(update_fields=["time_zone"])
    with in_tenant(tenant):
        bea = customer.business_manager
        payroll = PurchaserFactory(customer=customer, name="Payroll")
        paul = ContactFactory(
            customer=customer, purchaser=payroll, name="Paul Payroll", email="paul@finance.example"
        )
        audit = PurchaserFactory(customer=customer, name="Audit")
        anna = ContactFactory(
            customer=customer, purchaser=audit, name="Anna Audit", email="anna@finance.example"
        )
        category = ComplaintCategory.objects.create(name="Service quality")
    steering = [
        make_member(tenant, Role.STEERING, email=f"steer{i}@{tenant.slug}.example", name=f"S{i}")
        for i in (1, 2)
    ]
    return World(
        customer=customer,
        rm=rm,
        it_manager=make_member(tenant, Role.IT_MANAGER, name="Ivo IT"),
        second_it_manager=make_member(
            tenant, Role.IT_MANAGER, email=f"ita@{tenant.slug}.example", name="Ida IT"
        ),
        steering=steering,
        analyst=make_member(tenant, Role.ANALYST),
        admin=make_member(tenant, Role.ADMIN),
        bea=bea,
        business_manager=make_portal_member(bea, Role.CUSTOMER),
        payroll=payroll,
        paul=paul,
        purchaser=make_portal_member(paul, Role.PURCHASER),
        audit=audit,
        anna=anna,
        other_purchaser=make_portal_member(anna, Role.PURCHASER),
        category=category,
    )


def receive(world: World, actor=None, **values) -> Complaint:
    """A complaint of Finance, entered by its RM for Bea unless told otherwise (in the current
    tenant)."""
    data = {
        "customer": world.customer,
        "subject": "The payroll run failed",
        "description": "Salaries were late.",
        "severity": "critical",
        "raiser_contact": world.bea,
        "category": world.category,
    }
    data.update(values)
    return services.complaint_receive(actor=actor or world.rm, **data)


def working(world: World, complaint: Complaint) -> Complaint:
    """Acknowledged by the RM."""
    return services.complaint_acknowledge(complaint=complaint, actor=world.rm)


def resolve(world: World, complaint: Complaint, actor=None, **values) -> Complaint:
    data = {
        "root_cause_category": "process",
        "root_cause": "The run was not scheduled after the upgrade.",
        "resolution": "Rescheduled and paid the same day.",
    }
    data.update(values)
    return services.complaint_resolve(complaint=complaint, actor=actor or world.rm, **data)


def run_due(tenant, now) -> list[str]:
    """What the beat and a worker do at `now`: dispatch what is due, run each job; again until
    nothing more is due (a job may make one due at once)."""
    results = []
    for _ in range(10):
        due_job_dispatch(now=now)
        with tenant_context(tenant):
            ids = list(
                DueJob.objects.filter(status=DueJob.DISPATCHED)
                .order_by("due_at", "pk")
                .values_list("pk", flat=True)
            )
        if not ids:
            return results
        results += [due_job_run(tenant_id=tenant.pk, job_id=pk) for pk in ids]
    return results


def mails(prefix: str):
    return list(OutboxMessage.objects.filter(key__startswith=prefix).order_by("pk"))


def refetch(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)
