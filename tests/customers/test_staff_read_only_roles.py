"""Analysts and the steering group read the customers area without its write buttons.

That they are refused every write page and POST of the area is proven for every page of the app
by the URL walk in tests/test_read_only_roles.py; here: what they see, and action items they own.
"""

import pytest

from brm.tenancy.models import Role
from customers.models import ActionItem
from tests.factories import ActionItemFactory, ContactFactory, PurchaserFactory
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db

READ_ONLY = [Role.ANALYST, Role.STEERING]


@pytest.fixture
def records(customer_record, rm_a):
    purchaser = PurchaserFactory(customer=customer_record)
    ContactFactory(customer=customer_record, purchaser=purchaser, name="Paula")
    return ActionItemFactory(customer=customer_record, owner_member=rm_a, title="Call back")


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_see_the_pages_without_write_buttons(
    client, tenant_a, role, customer_record, records
):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    base = f"/t/{tenant_a.slug}"
    pages = [
        f"{base}/customers/",
        f"{base}/customers/{customer_record.pk}/",
        f"{base}/action-items/?tab=open",
        f"{base}/action-items/{records.pk}/",
        f"{base}/coverage/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert "/edit/" not in body, page
        assert "/delete/" not in body, page
        assert "/new/" not in body, page
        for label in ("Invite to portal", "Mark done", "Add comment", "New customer"):
            assert label not in body, (page, label)
    # The same pages do show them to a relationship manager (the control).
    client.force_login(customer_record.relationship_manager.user)
    body = client.get(f"{base}/customers/{customer_record.pk}/").content.decode()
    assert "/edit/" in body and "Invite to portal" in body and "Add purchaser" in body


def test_steering_member_may_complete_their_own_action_item(client, tenant_a, customer_record):
    """Owning an item is not writing the customer: its staff owner may comment and close it."""
    steering = make_member(tenant_a, Role.STEERING)
    item = ActionItemFactory(customer=customer_record, owner_member=steering)
    client.force_login(steering.user)
    assert client.post(f"/t/{tenant_a.slug}/action-items/{item.pk}/done/").status_code == 302
    assert in_tenant(tenant_a, lambda: ActionItem.objects.get(pk=item.pk).status) == "done"


def test_analyst_owner_still_reads_only(client, tenant_a, customer_record):
    analyst = make_member(tenant_a, Role.ANALYST)
    item = ActionItemFactory(customer=customer_record, owner_member=analyst)
    client.force_login(analyst.user)
    assert client.post(f"/t/{tenant_a.slug}/action-items/{item.pk}/done/").status_code == 403
    assert in_tenant(tenant_a, lambda: ActionItem.objects.get(pk=item.pk).status) == "open"
