"""Isolation cases of the agreements pages, staff and portal.

How to make, in a given tenant, the object each of the area's URLs names, and the marked rows its
lists must not show to another tenant. Portal objects hang under the harness's portal customer
(tests/customers/isolation_cases.py): its contact keeps the customer role through the mandate,
while the signers of its agreement are people of their own.
"""

from agreements import services
from customers.models import Contact
from tests.agreements.builders import customer_with_rm, draft_for, in_force, in_signature
from tests.customers.isolation_cases import portal_contact
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant


def _marked_customer(tenant):
    return customer_with_rm(tenant, name=f"{MARKER} agreement customer")


@register("agreements:agreement_create_for_customer")
def customer_without_agreement(tenant):
    return {"pk": _marked_customer(tenant).pk}


@register("agreements:agreement_detail")
@register("agreements:agreement_compare")
def staff_agreement(tenant):
    version = draft_for(_marked_customer(tenant))
    return {"pk": version.agreement_id}


@register("agreements:version_detail")
@register("agreements:version_edit")
@register("agreements:version_submit")
@register("agreements:version_withdraw")
@register("agreements:version_revise")
def staff_version(tenant):
    return {"pk": draft_for(_marked_customer(tenant)).pk}


@register("agreements:row_create")
@register("agreements:rows_reorder")
def staff_section(tenant):
    return {"pk": draft_for(_marked_customer(tenant)).pk, "section": "objectives"}


@register("agreements:row_edit")
@register("agreements:row_delete")
def staff_row(tenant):
    version = draft_for(_marked_customer(tenant))
    row = in_tenant(tenant, lambda: services.section_rows(version, "engagement").get())
    return {"section": "engagement", "pk": row.pk}


@register("agreements:signature_sign")
@register("agreements:signature_decline")
def staff_signature(tenant):
    round_ = in_signature(tenant=tenant)
    return {"pk": round_.signature("it_manager").pk}


# Portal -----------------------------------------------------------------------------------------


def _portal_customer(tenant):
    contact = portal_contact(tenant)
    in_tenant(
        tenant,
        lambda: Contact.objects.filter(pk=contact.pk).update(authority=Contact.Authority.DECIDES),
    )
    return in_tenant(tenant, lambda: Contact.objects.get(pk=contact.pk).customer)


def _portal_round(tenant):
    """The harness portal customer's agreement in signature. Its contact (the harness's portal
    user) keeps the customer role by the mandate; the business manager who signs is another."""
    return in_signature(_portal_customer(tenant))


@register("agreements:portal_version")
def portal_version(tenant):
    return {"pk": _portal_round(tenant).version.pk}


@register("agreements:portal_signature_sign")
@register("agreements:portal_signature_decline")
def portal_signature(tenant):
    return {"pk": _portal_round(tenant).signature("business_manager").pk}


@marked_rows
def agreement_rows(tenant):
    """A marked customer's agreement in force, and the harness portal customer's, in force
    with a marked philosophy (the portal's agreement page shows it)."""
    in_force(_marked_customer(tenant))
    in_force(_portal_customer(tenant), philosophy=f"{MARKER} philosophy")
