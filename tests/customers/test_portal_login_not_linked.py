"""A portal login not linked to a contact yet sees a clear empty state and no records."""

import pytest
from django.urls import reverse

from tests.factories import ActionItemFactory, ExpectationFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = ["portal_organisation", "portal_expectation_list", "portal_action_item_list"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_unlinked_login_is_told_to_ask_the_relationship_manager(client, tenant_a, customer_a, name):
    client.force_login(customer_a.user)
    response = client.get(reverse(f"customers:{name}", args=[tenant_a.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "not linked to a contact yet" in page
    assert "Ask your relationship manager" in page


def test_unlinked_login_sees_the_empty_state_on_the_portal_home(client, tenant_a, customer_a):
    client.force_login(customer_a.user)
    page = client.get(f"/t/{tenant_a.slug}/portal/").content.decode()
    assert "not linked to a contact yet" in page


def test_unlinked_login_gets_404_for_every_record(client, tenant_a, customer_a, customer_record):
    expectation = ExpectationFactory(customer=customer_record)
    item = ActionItemFactory(customer=customer_record)
    client.force_login(customer_a.user)
    for name, pk in (("portal_expectation", expectation.pk), ("portal_action_item", item.pk)):
        path = reverse(f"customers:{name}", kwargs={"tenant_slug": tenant_a.slug, "pk": pk})
        assert client.get(path).status_code == 404
