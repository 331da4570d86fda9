"""A customer to survey: Finance (relationship manager, business manager Bea with a portal
login, counterpart Carl, a purchaser unit Payroll with its manager Paul and a purchaser login),
two catalogue services Finance consumes, a second customer of another relationship manager in
another division, and a survey with one question of each kind. The office is in Amsterdam."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role
from customers.models import Contact, Customer, Purchaser, Service
from satisfaction.models import Survey
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    CustomerServiceFactory,
    PurchaserFactory,
    ServiceFactory,
    survey_with_questions,
)
from tests.kit import in_tenant, make_member, make_portal_member

ALL_KINDS = ("nps", "csat", "service_rating", "effort", "choice", "text")


@dataclass
class SatWorld:
    customer: Customer
    rm: Membership
    bea: Contact
    business_manager: Membership
    carl: Contact
    payroll: Purchaser
    paul: Contact
    purchaser: Membership
    services: list[Service]
    other_customer: Customer
    other_rm: Membership
    olga: Contact
    survey: Survey
    analyst: Membership
    admin: Membership


@pytest.fixture
def sworld(tenant_a, rm_a, customer_record) -> SatWorld:
    return make_sat_world(tenant_a, rm_a, customer_record)


def make_sat_world(tenant, rm, customer) -> SatWorld:
    tenant.time_zone = "Europe/Amsterdam"
    tenant.save(update_fields=["time_zone"])
    other_rm = make_member(tenant, Role.RELATIONSHIP_MANAGER, email=f"rm2@{tenant.slug}.example")
    with in_tenant(tenant):
        customer.division = "Corporate"
        customer.save(update_fields=["division"])
        bea = customer.business_manager
        carl = customer.counterpart or ContactFactory(
            customer=customer, name="Carl Counterpart", email="carl@finance.example"
        )
        if customer.counterpart_id is None:
            customer.counterpart = carl
            customer.save(update_fields=["counterpart"])
        payroll = PurchaserFactory(customer=customer, name="Payroll")
        paul = ContactFactory(
            customer=customer, purchaser=payroll, name="Paul Payroll", email="paul@finance.example"
        )
        payroll.manager = paul
        payroll.save(update_fields=["manager"])
        services = [ServiceFactory(name="Email"), ServiceFactory(name="Payroll system")]
        for service in services:
            CustomerServiceFactory(customer=customer, service=service)
        other_customer = CustomerFactory(
            name="Logistics", division="Operations", relationship_manager=other_rm
        )
        olga = ContactFactory(customer=other_customer, name="Olga Ops", email="olga@ops.example")
        other_customer.business_manager = olga
        other_customer.save(update_fields=["business_manager"])
        survey = survey_with_questions(kinds=ALL_KINDS)
    return SatWorld(
        customer=customer,
        rm=rm,
        bea=bea,
        business_manager=make_portal_member(bea, Role.CUSTOMER),
        carl=carl,
        payroll=payroll,
        paul=paul,
        purchaser=make_portal_member(paul, Role.PURCHASER),
        services=services,
        other_customer=other_customer,
        other_rm=other_rm,
        olga=olga,
        survey=survey,
        analyst=make_member(tenant, Role.ANALYST),
        admin=make_member(tenant, Role.ADMIN),
    )


def run_due(tenant, now=None) -> list[str]:
    """What the beat and a worker do at `now`: dispatch what is due, run each job; again until
    nothing more is due (a job may make one due at once)."""
    now = now or timezone.now()
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


def days(n: int) -> timedelta:
    return timedelta(days=n)
