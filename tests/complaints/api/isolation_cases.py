"""Isolation cases of the complaints API: how to make, in a given tenant, the complaint each
route names, a category for the writes that name one, and a marked complaint the lists of
another office must not show. tests/api/isolation.py picks this module up by its name."""

import itertools

from brm.tenancy.models import Role
from complaints.models import ComplaintCategory
from tests.api.isolation import register_api, register_related
from tests.factories import ContactFactory, CustomerFactory, received_complaint
from tests.isolation import MARKER, marked_rows
from tests.kit import in_tenant, make_member

SEQ = itertools.count()


def _complaint(tenant):
    n = next(SEQ)
    rm = make_member(
        tenant, Role.RELATIONSHIP_MANAGER, email=f"{MARKER}-complaints-rm-{n}@example.test"
    )
    customer = CustomerFactory(
        tenant=tenant, name=f"{MARKER} complaining {n}", relationship_manager=rm
    )
    customer.business_manager = ContactFactory(customer=customer, name=f"{MARKER} raiser")
    in_tenant(tenant, customer.save)
    return received_complaint(customer, subject=f"{MARKER} complaint {n}")


@register_api("/api/v1/complaints/{id}/")
@register_api("/api/v1/complaints/{id}/acknowledge/")
@register_api("/api/v1/complaints/{id}/assign/")
@register_api("/api/v1/complaints/{id}/escalate/")
@register_api("/api/v1/complaints/{id}/resolve/")
@register_api("/api/v1/complaints/{id}/messages/")
def api_complaint(tenant):
    return {"id": _complaint(tenant).pk}


@register_related("complaints.complaintcategory")
def related_category(tenant):
    return in_tenant(
        tenant,
        lambda: ComplaintCategory.objects.create(name=f"{MARKER} category {next(SEQ)}").pk,
    )


@marked_rows
def complaint_rows(tenant):
    _complaint(tenant)
