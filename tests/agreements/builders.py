"""Agreements at each stage, built through the services in any office: for the isolation cases
and the page tests. Each call makes its own people (emails carry the office and a number), so
several can be built in one office."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from agreements import services
from agreements.models import AgreementVersion, Signature
from brm.tenancy.models import Membership, Role
from customers.models import Contact, Customer
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member, make_portal_member

SEQ = itertools.count(1)


@dataclass
class Round:
    """A customer's agreement with a version in signature (or further) and its four signers."""

    customer: Customer
    version: AgreementVersion
    signers: dict[str, Membership]

    def signature(self, role: str) -> Signature:
        return in_tenant(
            self.customer.tenant_id,
            lambda: Signature.objects.select_related("membership__user").get(
                version=self.version, role=role
            ),
        )


def customer_with_rm(tenant, name: str = "") -> Customer:
    n = next(SEQ)
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email=f"agr-rm-{n}@{tenant.slug}.example.test",
        name=f"Rita RM {n}",
    )
    return CustomerFactory(tenant=tenant, name=name or f"Customer {n}", relationship_manager=rm)


def signers_for(customer: Customer) -> dict[str, Membership]:
    """A business manager and a line manager with the mandate and customer logins, and an IT
    manager; the customer's business manager becomes the first."""
    tenant = customer.tenant
    n = next(SEQ)
    bm = ContactFactory(
        customer=customer,
        name=f"Bea Budget {n}",
        email=f"agr-bm-{n}@{tenant.slug}.example.test",
        authority=Contact.Authority.DECIDES,
    )
    lm = ContactFactory(
        customer=customer,
        name=f"Lina Line {n}",
        email=f"agr-lm-{n}@{tenant.slug}.example.test",
        authority=Contact.Authority.DECIDES,
    )
    customer.business_manager = bm
    in_tenant(tenant, customer.save)
    return {
        "relationship_manager": in_tenant(
            tenant, lambda: Membership.objects.get(pk=customer.relationship_manager_id)
        ),
        "it_manager": make_member(
            tenant,
            Role.IT_MANAGER,
            email=f"agr-itm-{n}@{tenant.slug}.example.test",
            name=f"Ivo IT {n}",
        ),
        "business_manager": make_portal_member(bm, Role.CUSTOMER),
        "business_line_manager": make_portal_member(lm, Role.CUSTOMER),
    }


def draft_for(customer: Customer, *, philosophy: str = "Partners, not suppliers."):
    """Version 1, a draft with a row in each section."""
    actor = in_tenant(customer.tenant, lambda: customer.relationship_manager.user)
    with in_tenant(customer.tenant):
        version = services.agreement_draft_create(
            customer=customer, actor=actor, relationship_philosophy=philosophy
        )
        staff = Membership.objects.get(pk=customer.relationship_manager_id)
        services.section_row_add(
            version=version, section="partner_plan", actor=actor, member=staff, role="RM"
        )
        services.section_row_add(
            version=version,
            section="engagement",
            actor=actor,
            meeting_type="monthly_service_review",
            purpose="Service levels",
            frequency="monthly",
            month_day=10,
        )
        services.section_row_add(
            version=version, section="objectives", actor=actor, objective="Close in 3 days"
        )
        services.section_row_add(
            version=version, section="action_plan", actor=actor, title="Map the close"
        )
    return version


def in_signature(
    customer: Customer | None = None, *, tenant=None, philosophy: str = "Partners, not suppliers."
) -> Round:
    customer = customer or customer_with_rm(tenant)
    signers = signers_for(customer)
    version = draft_for(customer, philosophy=philosophy)
    with in_tenant(customer.tenant):
        services.version_submit(
            version=version, actor=customer.relationship_manager.user, signers=signers
        )
        version.refresh_from_db()
    return Round(customer=customer, version=version, signers=signers)


def in_force(customer: Customer | None = None, *, tenant=None, **kwargs) -> Round:
    round_ = in_signature(customer, tenant=tenant, **kwargs)
    with in_tenant(round_.customer.tenant):
        for role, member in round_.signers.items():
            services.signature_sign(
                signature=Signature.objects.get(version=round_.version, role=role),
                user=member.user,
                ip_address="192.0.2.1",
                user_agent="builder",
                auth_method="password",
                affirmation_checked=True,
            )
        round_.version.refresh_from_db()
    return round_
