"""A customer ready for its agreement: the four people who may sign it, and one who may not."""

from dataclasses import dataclass

import pytest

from agreements import services
from brm.tenancy.models import Membership, Role
from customers.models import Contact, Customer
from tests.factories import ContactFactory, PurchaserFactory, ServiceFactory
from tests.kit import in_tenant, make_member, make_portal_member


@dataclass
class World:
    customer: Customer
    rm: Membership
    it_manager: Membership
    business_manager: Membership
    line_manager: Membership
    purchaser: Membership
    bea: Contact
    lina: Contact

    @property
    def signers(self) -> dict:
        return {
            "relationship_manager": self.rm,
            "it_manager": self.it_manager,
            "business_manager": self.business_manager,
            "business_line_manager": self.line_manager,
        }


@pytest.fixture
def world(tenant_a, rm_a, customer_record) -> World:
    """Finance: Bea (business manager) and Lina (line manager) hold the budget mandate and have
    customer logins; Paul, of the Payroll purchaser, has a purchaser login."""
    with in_tenant(tenant_a):
        bea = customer_record.business_manager
        bea.authority = Contact.Authority.DECIDES
        bea.save()
        lina = ContactFactory(
            customer=customer_record,
            name="Lina Line",
            email="lina@finance.example",
            authority=Contact.Authority.DECIDES,
        )
        payroll = PurchaserFactory(customer=customer_record, name="Payroll")
        paul = ContactFactory(
            customer=customer_record, purchaser=payroll, name="Paul", email="paul@finance.example"
        )
    return World(
        customer=customer_record,
        rm=rm_a,
        it_manager=make_member(tenant_a, Role.IT_MANAGER, name="Ivo IT"),
        business_manager=make_portal_member(bea, Role.CUSTOMER),
        line_manager=make_portal_member(lina, Role.CUSTOMER),
        purchaser=make_portal_member(paul, Role.PURCHASER),
        bea=bea,
        lina=lina,
    )


@pytest.fixture
def draft(as_tenant_a, world):
    """Version 1 of Finance's agreement, a draft with a row in each section."""
    actor = world.rm.user
    version = services.agreement_draft_create(
        customer=world.customer, actor=actor, relationship_philosophy="Partners, not suppliers."
    )
    services.section_row_add(
        version=version,
        section="partner_plan",
        actor=actor,
        contact=world.bea,
        role="Business manager",
    )
    services.section_row_add(
        version=version,
        section="engagement",
        actor=actor,
        meeting_type="monthly_service_review",
        purpose="Service levels and incidents",
        attendee_roles=["service owner"],
        attendee_contact_ids=[world.bea.pk],
        attendee_member_ids=[world.rm.pk],
        frequency="monthly",
        weekday=1,
        week_of_month=2,
        duration_minutes=60,
    )
    services.section_row_add(
        version=version,
        section="objectives",
        actor=actor,
        objective="Close the books in 3 days",
        owner_text="CFO office",
    )
    services.section_row_add(
        version=version,
        section="action_plan",
        actor=actor,
        title="Map the close process",
        owner_member=world.rm,
    )
    services.section_row_add(
        version=version,
        section="sla",
        actor=actor,
        service=ServiceFactory(tenant=world.customer.tenant_id, name="ERP"),
        metric="Availability",
        target_value="99.5",
        unit="%",
        direction="at_least",
        period="month",
        workload_limit="Up to 400 concurrent users",
        exceptions="Planned maintenance announced 5 days ahead",
    )
    return version


def sign(signature, membership, **facts):
    values = {
        "ip_address": "192.0.2.10",
        "user_agent": "Test browser",
        "auth_method": "password",
        "affirmation_checked": True,
    }
    values.update(facts)
    return services.signature_sign(signature=signature, user=membership.user, **values)


def sign_all(version, world):
    from agreements.models import Signature

    for signature in Signature.objects.filter(version=version).select_related("membership"):
        sign(signature, signature.membership)


def backdate_in_force(version, days: int):
    """The version came into force `days` ago (its lifecycle times may still move: the trigger
    lets in_force_at change), so past periods have a version in force to be measured against."""
    from datetime import timedelta

    from django.utils import timezone

    from agreements.models import AgreementVersion

    AgreementVersion.objects.filter(pk=version.pk).update(
        in_force_at=timezone.now() - timedelta(days=days)
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def in_force(world, draft):
    """Version 1 with its ERP availability line, in force for the last 300 days."""
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign_all(draft, world)
    return backdate_in_force(draft, 300)


@pytest.fixture
def sla_line(in_force):
    from agreements.models import SlaLine

    return SlaLine.objects.select_related("version__agreement").get(version=in_force)


def months_ago(n: int):
    """The calendar month (start, end) `n` months before the current one, in the office."""
    from django.utils import timezone

    from agreements import periods

    period = periods.period_containing("month", timezone.localdate())
    for _ in range(n):
        period = periods.previous_period("month", period)
    return period


def agreement_in_force(world, days: int = 300):
    """Finance's agreement with version 1 in force for `days`: one monthly ERP availability
    line (at least 99.5 %). Builds inside the customer's tenant and leaves it, as a page or API
    test needs (their requests enter the tenant themselves). Returns the line."""
    from agreements.models import SlaLine

    with in_tenant(world.customer.tenant_id):
        actor = world.rm.user
        version = services.agreement_draft_create(customer=world.customer, actor=actor)
        services.section_row_add(
            version=version,
            section="sla",
            actor=actor,
            service=ServiceFactory(name="ERP"),
            metric="Availability",
            target_value="99.5",
            unit="%",
            period="month",
        )
        services.version_submit(version=version, actor=actor, signers=world.signers)
        sign_all(version, world)
        backdate_in_force(version, days)
        return SlaLine.objects.select_related("version__agreement").get(version=version)


def record(world, line, n: int, value: str):
    """A measurement of `line` for the month `n` months back (in the line's tenant)."""
    from decimal import Decimal

    with in_tenant(line.tenant_id):
        start, end = months_ago(n)
        return services.sla_measurement_record(
            line=line,
            period_start=start,
            period_end=end,
            actual_value=Decimal(value),
            actor=world.rm.user,
        )
