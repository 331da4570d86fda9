"""A customer ready for its agreement: the four people who may sign it, and one who may not."""

from dataclasses import dataclass

import pytest

from agreements import services
from brm.tenancy.models import Membership, Role
from customers.models import Contact, Customer
from tests.factories import ContactFactory, PurchaserFactory
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
    return make_draft(world)


@pytest.fixture
def page_draft(tenant_a, world):
    """The same draft, made outside the tenant (for page tests: a request enters it itself)."""
    with in_tenant(tenant_a):
        return make_draft(world)


@pytest.fixture
def page_submitted(tenant_a, world, page_draft):
    """The draft submitted with the four signers (for page tests)."""
    with in_tenant(tenant_a):
        return services.version_submit(
            version=page_draft, actor=world.rm.user, signers=world.signers
        )


@pytest.fixture
def page_in_force(tenant_a, world, page_submitted):
    """Every signer signed: version 1 is in force (for page tests)."""
    with in_tenant(tenant_a):
        sign_all(page_submitted, world)
        page_submitted.refresh_from_db()
    return page_submitted


def make_draft(world):
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
