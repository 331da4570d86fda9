"""A contact accountable for a decision is kept: deleting them is refused (400 through the
API, a message on the page), never a server error, and nothing of the deletion is left."""

import pytest
from django.urls import reverse

from brm.audit.models import AuditEvent
from customers.models import Contact
from tests.kit import api_client, in_tenant
from tests.meetings.builders import business_decision

pytestmark = pytest.mark.django_db


def test_deleting_an_accountable_contact_through_the_api_is_a_400(tenant_a, mworld):
    business_decision(mworld)
    response = api_client(tenant_a).delete(f"/api/v1/contacts/{mworld.bea.pk}/")
    assert response.status_code == 400
    assert "a decision they are accountable for" in str(response.json()["error"]["fields"])
    with in_tenant(tenant_a):
        assert Contact.objects.filter(pk=mworld.bea.pk).exists()
        assert not AuditEvent.objects.filter(action="contact.deleted").exists()
        assert Contact.objects.get(pk=mworld.bea.pk).membership.is_active


def test_deleting_an_accountable_contact_on_the_staff_page_says_why(client, tenant_a, mworld):
    business_decision(mworld)
    client.force_login(mworld.rm.user)
    path = reverse(
        "customers:contact_delete", kwargs={"tenant_slug": tenant_a.slug, "pk": mworld.bea.pk}
    )
    response = client.post(path, follow=True)
    assert "a decision they are accountable for" in response.content.decode()
    assert in_tenant(tenant_a, lambda: Contact.objects.filter(pk=mworld.bea.pk).exists())
