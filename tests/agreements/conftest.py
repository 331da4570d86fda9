"""A customer ready for its agreement: the four people who may sign it, and one who may not."""

import subprocess
from dataclasses import dataclass

import pytest

from agreements import services
from brm.pdf.keys import SealFiles, generate_seal_files
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
    return make_world(tenant_a, rm_a, customer_record)


def make_world(tenant_a, rm_a, customer_record) -> World:
    """The world of the fixture above, for a customer (with its business manager contact) of
    any office."""
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


def make_draft(world):
    """Version 1 of Finance's agreement, a draft with a row in each section (in its tenant)."""
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


@pytest.fixture
def submitted(world, draft):
    """Version 1, submitted for signature with the four signers named."""
    return services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)


@pytest.fixture
def in_force(world, submitted):
    """Version 1, signed by all four: in force (its seal job scheduled, not run)."""
    sign_all(submitted, world)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def seal_keys(settings, tmp_path_factory):
    """A seal key and certificate of this run, as tests/pdf uses (brm.pdf.keys)."""
    from tests.pdf.conftest import use_seal

    files = SealFiles.under(tmp_path_factory.mktemp("agreement-seal"))
    generate_seal_files(files)
    use_seal(settings, files)
    return files


@pytest.fixture
def media(settings, tmp_path):
    """Stored files of this test in a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def pdf_texts(pdf: bytes, folder) -> list[str]:
    """The text of each page in reading order (poppler's pdftotext)."""
    path = folder / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@dataclass
class History:
    """Finance's agreement as the downloads see it: version 1 in force and sealed, version 2
    in signature (the RM and the IT manager have signed; the customer side is awaited)."""

    world: World
    in_force: object
    in_signature: object


@pytest.fixture
def history(tenant_a, world, seal_keys, media) -> History:
    """Built inside tenant A without entering it for the test: for page and API tests."""
    from agreements.models import Signature

    with in_tenant(tenant_a):
        v1 = services.version_submit(
            version=make_draft(world), actor=world.rm.user, signers=world.signers
        )
        sign_all(v1, world)
        v1 = services.version_seal(version=v1)
        v2 = services.version_revise(version=v1, actor=world.rm.user)
        services.version_update(
            version=v2, actor=world.rm.user, relationship_philosophy="Partners, and then some."
        )
        v2 = services.version_submit(version=v2, actor=world.rm.user, signers=world.signers)
        for signature in Signature.objects.filter(
            version=v2, role__in=Signature.STAFF_SIDE
        ).select_related("membership"):
            sign(signature, signature.membership)
    return History(world=world, in_force=v1, in_signature=v2)


def sealed_agreement_of(tenant) -> bytes:
    """The stored sealed PDF of a new customer's agreement in force in `tenant` (with the seal
    settings the caller has set)."""
    from agreements.models import AgreementVersion
    from tests.factories import CustomerFactory

    rm = make_member(tenant, Role.RELATIONSHIP_MANAGER, email=f"rm-seal@{tenant.slug}.example")
    customer = CustomerFactory(tenant=tenant, name="Finance", relationship_manager=rm)
    manager = ContactFactory(
        customer=customer, name="Bea Budget", email=f"bea@{tenant.slug}.example"
    )
    customer.business_manager = manager
    in_tenant(tenant, customer.save)
    world = make_world(tenant, rm, customer)
    with in_tenant(tenant):
        version = services.version_submit(
            version=make_draft(world), actor=rm.user, signers=world.signers
        )
        sign_all(version, world)
        services.version_seal(version=version)
        return AgreementVersion.objects.get(pk=version.pk).sealed_pdf.read()
