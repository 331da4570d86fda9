"""Analysts and the steering group read the customers area; they neither write nor see buttons."""

import pytest
from django.urls import reverse

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from customers.models import ActionItem, ActionItemComment, Customer
from tests import isolation_registry  # noqa: F401  (fills OBJECT_FACTORIES)
from tests.conftest import make_member
from tests.factories import ActionItemFactory, ContactFactory, PurchaserFactory
from tests.isolation import OBJECT_FACTORIES, tenant_urls

pytestmark = pytest.mark.django_db

READ_PAGES = {
    "customers:customer_list",
    "customers:customer_mine",
    "customers:customer_detail",
    "customers:action_item_list",
    "customers:action_item_detail",
    "customers:coverage",
}
WRITE_PAGES = [
    u
    for u in tenant_urls()
    if u.name.startswith("customers:")
    and not u.is_portal
    and u.name not in READ_PAGES
    and "import" not in u.name
    and "export" not in u.name
]
READ_ONLY = [Role.ANALYST, Role.STEERING]


def test_every_write_page_is_checked_here():
    assert {u.name.split(":")[1] for u in WRITE_PAGES} >= {
        "customer_create",
        "customer_edit",
        "customer_delete",
        "purchaser_create",
        "contact_invite",
        "expectation_delete",
        "register_item_edit",
        "action_item_create",
        "action_item_done",
    }


@pytest.mark.parametrize("role", READ_ONLY)
@pytest.mark.parametrize("url", WRITE_PAGES, ids=lambda u: u.name)
def test_read_only_roles_get_403_on_every_write_page(client, tenant_a, role, url):
    member = make_member(tenant_a, role)
    kwargs = OBJECT_FACTORIES[url.name](tenant_a) if url.params else {}
    path = reverse(url.name, kwargs={"tenant_slug": tenant_a.slug, **kwargs})
    with tenant_context(tenant_a):
        before = (Customer.objects.count(), ActionItem.objects.exclude(status="done").count())
    client.force_login(member.user)
    assert client.get(path).status_code == 403
    assert client.post(path, {"name": "x", "title": "x"}).status_code == 403
    with tenant_context(tenant_a):
        after = (Customer.objects.count(), ActionItem.objects.exclude(status="done").count())
    assert after == before


@pytest.fixture
def records(tenant_a, customer_record, rm_a):
    with tenant_context(tenant_a):
        purchaser = PurchaserFactory(customer=customer_record)
        ContactFactory(customer=customer_record, purchaser=purchaser, name="Paula")
        item = ActionItemFactory(customer=customer_record, owner_member=rm_a, title="Call back")
    return item


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


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_cannot_comment(client, tenant_a, role, records):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    response = client.post(f"/t/{tenant_a.slug}/action-items/{records.pk}/", {"body": "Hello"})
    assert response.status_code == 403
    with tenant_context(tenant_a):
        assert not ActionItemComment.objects.exists()


def test_steering_member_may_complete_their_own_action_item(client, tenant_a, customer_record):
    """Owning an item is not writing the customer: its staff owner may comment and close it."""
    steering = make_member(tenant_a, Role.STEERING)
    with tenant_context(tenant_a):
        item = ActionItemFactory(customer=customer_record, owner_member=steering)
    client.force_login(steering.user)
    assert client.post(f"/t/{tenant_a.slug}/action-items/{item.pk}/done/").status_code == 302
    with tenant_context(tenant_a):
        item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


def test_analyst_owner_still_reads_only(client, tenant_a, customer_record):
    analyst = make_member(tenant_a, Role.ANALYST)
    with tenant_context(tenant_a):
        item = ActionItemFactory(customer=customer_record, owner_member=analyst)
    client.force_login(analyst.user)
    assert client.post(f"/t/{tenant_a.slug}/action-items/{item.pk}/done/").status_code == 403
    with tenant_context(tenant_a):
        item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
