"""Isolation cases of the complaints pages, staff and portal.

How to make, in a given tenant, the object each of the area's URLs names, and the marked rows
its lists must not show to another tenant. Portal complaints hang under the harness's portal
customer (tests/customers/isolation_cases.py), raised by its contact, the harness's portal user.
"""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from brm.tenancy.models import Role
from complaints import services
from complaints.models import ComplaintCategory
from customers.models import Customer
from tests.customers.isolation_cases import portal_contact
from tests.factories import ContactFactory, CustomerFactory, received_complaint
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant, make_member

SEQ = itertools.count()
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _customer(tenant):
    n = next(SEQ)
    rm = make_member(
        tenant,
        Role.RELATIONSHIP_MANAGER,
        email=f"complaints-rm-{n}@{tenant.slug}.example.test",
        name=f"{MARKER} complaints rm",
    )
    customer = CustomerFactory(
        tenant=tenant, name=f"{MARKER} complaints customer {n}", relationship_manager=rm
    )
    customer.business_manager = ContactFactory(
        customer=customer, name=f"{MARKER} raiser", email=f"raiser-{n}@business.example"
    )
    in_tenant(tenant, customer.save)
    return customer


def _complaint(tenant, **values):
    return received_complaint(_customer(tenant), subject=f"{MARKER} complaint", **values)


def _file(complaint, **values):
    """A PDF attached by the customer's relationship manager."""
    with in_tenant(complaint.tenant_id):
        return services.attachment_add(
            complaint=complaint,
            actor=complaint.customer.relationship_manager,
            upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
            **values,
        )


@register("complaints:complaint_detail")
@register("complaints:acknowledge")
@register("complaints:assign")
@register("complaints:severity")
@register("complaints:wait")
@register("complaints:resume")
@register("complaints:reply")
@register("complaints:note")
@register("complaints:attach")
@register("complaints:escalate")
@register("complaints:resolve")
def staff_complaint(tenant):
    return {"pk": _complaint(tenant).pk}


@register("complaints:attachment_download")
def staff_file(tenant):
    complaint = _complaint(tenant)
    return {"pk": _file(complaint, internal=True).pk}


@register("complaints:category_edit")
def category(tenant):
    made = in_tenant(
        tenant,
        lambda: ComplaintCategory.objects.create(name=f"{MARKER} category {next(SEQ)}"),
    )
    return {"pk": made.pk}


# Portal -----------------------------------------------------------------------------------------


def _portal_complaint(tenant):
    contact = portal_contact(tenant)
    customer = in_tenant(
        tenant,
        lambda: Customer.objects.select_related("relationship_manager", "business_manager").get(
            pk=contact.customer_id
        ),
    )
    return received_complaint(customer, raiser_contact=contact, subject=f"{MARKER} portal")


@register("complaints:portal_complaint")
@register("complaints:portal_reply")
@register("complaints:portal_escalate")
@register("complaints:portal_confirm")
@register("complaints:portal_reject")
def portal_complaint(tenant):
    return {"pk": _portal_complaint(tenant).pk}


@register("complaints:portal_attachment_download")
def portal_file(tenant):
    complaint = _portal_complaint(tenant)
    return {"pk": _file(complaint).pk}


@marked_rows
def complaint_rows(tenant):
    """A marked complaint of a marked customer (the staff lists), one of the harness portal
    customer (the portal list), one at level 3 (the steering view) and a marked category."""
    _complaint(tenant)
    _portal_complaint(tenant)
    level_3 = _complaint(tenant, about_rm=True)
    it_manager = make_member(
        tenant, Role.IT_MANAGER, email=f"complaints-it-{next(SEQ)}@{tenant.slug}.example"
    )
    with in_tenant(tenant):
        services.complaint_escalate(complaint=level_3, actor=it_manager, note=f"{MARKER} note")
    category(tenant)
