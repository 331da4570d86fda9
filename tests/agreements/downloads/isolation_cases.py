"""Isolation cases of the agreements area: the PDF downloads (staff and portal), and the API.

How to make, in a given tenant, the version each URL names, and the marked agreements the lists
must not show to another tenant. The harnesses of tests/isolation.py and tests/api/isolation.py
pick this module up by its name.
"""

import itertools

from django.utils import timezone

from agreements.models import Agreement, AgreementVersion
from brm.tenancy.models import Role
from tests.api.isolation import register_api
from tests.customers.isolation_cases import portal_contact
from tests.factories import AgreementFactory, AgreementVersionFactory, CustomerFactory
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant, make_member

SEQ = itertools.count()


def _customer(tenant):
    n = next(SEQ)
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email=f"{MARKER}-agreement-rm-{n}-{tenant.slug}@example.test",
        password="x-long-password",
        name=f"{MARKER} agreement rm",
    )
    return CustomerFactory(
        tenant=tenant, name=f"{MARKER} agreement customer {n}", relationship_manager=rm
    )


def draft_version(tenant) -> AgreementVersion:
    """A draft, version 1, of a new (marked) customer's agreement."""
    customer = _customer(tenant)
    return AgreementVersionFactory(agreement=AgreementFactory(customer=customer), number=1)


@register("agreement_pdf:version_pdf")
def staff_version(tenant):
    return {"pk": draft_version(tenant).pk}


@register("agreement_pdf_portal:version_pdf")
def portal_version_in_force(tenant):
    """A version in force of the harness portal user's customer (made as the record it is: the
    signing round itself is tested in tests/agreements)."""
    contact = portal_contact(tenant)
    with in_tenant(tenant):
        agreement = Agreement.objects.filter(customer_id=contact.customer_id).first()
        if agreement is None:
            agreement = AgreementFactory(customer=contact.customer)
        version = AgreementVersion.objects.filter(agreement=agreement, status="in_force").first()
    if version is None:
        version = AgreementVersionFactory(
            agreement=agreement,
            number=1,
            status=AgreementVersion.Status.IN_FORCE,
            content_sha256="0" * 64,
            submitted_at=timezone.now(),
            in_force_at=timezone.now(),
        )
    return {"pk": version.pk}


@marked_rows
def agreement_rows(tenant):
    """A marked customer's agreement with a draft version."""
    draft_version(tenant)


# API ------------------------------------------------------------------------------------------


@register_api("/api/v1/agreements/{id}/")
def api_agreement(tenant):
    return {"id": draft_version(tenant).agreement_id}


@register_api("/api/v1/agreement-versions/{id}/")
@register_api("/api/v1/agreement-versions/{id}/submit/")
@register_api("/api/v1/agreement-versions/{id}/withdraw/")
@register_api("/api/v1/agreement-versions/{id}/revise/")
@register_api("/api/v1/agreement-versions/{id}/pdf/")
def api_version(tenant):
    return {"id": draft_version(tenant).pk}
