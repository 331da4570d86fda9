"""A customer ready for its agreement: the four people who may sign it, and one who may not."""

import subprocess
from dataclasses import dataclass

import pytest

from agreements import services
from brm.pdf.keys import SealFiles, generate_seal_files
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


@pytest.fixture
def submitted(world, draft):
    """Version 1, submitted for signature with the four signers named."""
    return services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)


@pytest.fixture
def in_force(world, submitted):
    """Version 1 (with its ERP availability line), signed by all four: in force for the last
    300 days, so past periods can be measured (its seal job scheduled, not run)."""
    sign_all(submitted, world)
    return backdate_in_force(submitted, 300)


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
