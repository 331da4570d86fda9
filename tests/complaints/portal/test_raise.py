"""Raising a complaint in the portal: the raiser is the portal user, a purchaser raises only
for their own unit, and a form missing its subject re-renders with the message."""

import pytest

from complaints.models import Complaint
from customers.models import Contact
from tests.complaints.pages import body, signed_in, url
from tests.kit import in_tenant, make_portal_member

pytestmark = pytest.mark.django_db

FORM = {"subject": "Laptop not delivered", "description": "Ordered a month ago", "severity": "high"}


def test_a_purchaser_raises_a_complaint_for_their_own_unit(client, tenant_a, world):
    signed_in(client, world.purchaser)
    path = url(tenant_a, "portal_complaint_create")
    page = body(client.get(path))
    assert 'name="purchaser"' not in page
    response = client.post(path, FORM)
    complaint = in_tenant(tenant_a, lambda: Complaint.objects.get())
    assert response["Location"] == url(tenant_a, "portal_complaint", pk=complaint.pk)
    assert (complaint.raiser_contact_id, complaint.purchaser_id, complaint.channel) == (
        world.paul.pk,
        world.payroll.pk,
        "portal",
    )


def test_a_purchaser_naming_another_unit_still_raises_for_their_own(client, tenant_a, world):
    signed_in(client, world.purchaser)
    client.post(url(tenant_a, "portal_complaint_create"), {**FORM, "purchaser": world.audit.pk})
    assert in_tenant(tenant_a, lambda: Complaint.objects.get()).purchaser_id == world.payroll.pk


def test_a_customer_login_may_raise_for_one_of_its_units(client, tenant_a, world):
    signed_in(client, world.business_manager)
    client.post(url(tenant_a, "portal_complaint_create"), {**FORM, "purchaser": world.audit.pk})
    complaint = in_tenant(tenant_a, lambda: Complaint.objects.get())
    assert (complaint.raiser_contact_id, complaint.purchaser_id) == (world.bea.pk, world.audit.pk)


def test_a_complaint_without_a_subject_re_renders_with_the_message(client, tenant_a, world):
    signed_in(client, world.purchaser)
    response = client.post(url(tenant_a, "portal_complaint_create"), {**FORM, "subject": ""})
    assert response.status_code == 200
    assert "is-invalid" in body(response)
    assert "Ordered a month ago" in body(response)
    assert in_tenant(tenant_a, lambda: Complaint.objects.count()) == 0


def test_a_login_not_linked_to_a_contact_is_told_so(client, tenant_a, world):
    contact = in_tenant(
        tenant_a,
        lambda: Contact.objects.create(
            customer=world.customer, name="Nina", email="nina@finance.example"
        ),
    )
    member = make_portal_member(contact)
    in_tenant(tenant_a, lambda: Contact.objects.filter(pk=contact.pk).update(membership=None))
    signed_in(client, member)
    response = client.get(url(tenant_a, "portal_complaint_create"))
    assert response.status_code == 200
    assert in_tenant(tenant_a, lambda: Complaint.objects.count()) == 0
    assert 'name="subject"' not in body(response)
