"""The customers area over the REST API: CRUD, filters, ordering, validation, the same rules."""

import pytest

from customers.models import ActionItem, Customer
from tests import kit
from tests.factories import ActionItemFactory, ContactFactory, CustomerFactory, PurchaserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tenant_a):
    return kit.api_client(tenant_a, "write")


def test_create_customer_returns_the_documented_fields_and_is_audited(api, tenant_a, rm_a):
    response = api.post(
        "/api/v1/customers/",
        {
            "name": "Logistics",
            "division": "Operations",
            "status": "prospect",
            "relationship_manager": rm_a.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "name", "division", "status", "relationship_manager"} <= body.keys()
    assert body["relationship_manager_email"] == rm_a.user.email
    kit.assert_audited(tenant_a, "customer.created")


def test_invalid_customer_is_400_with_field_messages(api, customer_a):
    response = api.post(
        "/api/v1/customers/",
        {"name": "", "status": "bogus", "relationship_manager": customer_a.pk},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"name", "status"} <= fields.keys()


def test_portal_member_cannot_be_relationship_manager(api, customer_a):
    response = api.post(
        "/api/v1/customers/", {"name": "X", "relationship_manager": customer_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "relationship_manager" in response.json()["error"]["fields"]


def test_customer_list_filters_search_and_orders(api, tenant_a, rm_a):
    CustomerFactory(name="Alpha", division="North", status="active", relationship_manager=rm_a)
    CustomerFactory(name="Beta", division="South", status="dormant", relationship_manager=rm_a)
    CustomerFactory(name="Gamma", division="North", status="active", relationship_manager=rm_a)
    names = lambda r: [c["name"] for c in r.json()["results"]]  # noqa: E731
    assert names(api.get("/api/v1/customers/?status=active")) == ["Alpha", "Gamma"]
    assert names(api.get("/api/v1/customers/?search=bet")) == ["Beta"]
    assert names(api.get("/api/v1/customers/?ordering=-name")) == ["Gamma", "Beta", "Alpha"]
    assert names(api.get(f"/api/v1/customers/?relationship_manager={rm_a.pk}&division=North")) == [
        "Alpha",
        "Gamma",
    ]


def test_contact_purchaser_of_another_customer_is_rejected(api, tenant_a, rm_a):
    a = CustomerFactory(relationship_manager=rm_a)
    other_purchaser = PurchaserFactory(customer=CustomerFactory(relationship_manager=rm_a))
    response = api.post(
        "/api/v1/contacts/",
        {"customer": a.pk, "purchaser": other_purchaser.pk, "name": "X", "email": "x@b.example"},
        format="json",
    )
    assert response.status_code == 400
    assert "purchaser" in response.json()["error"]["fields"]


def test_action_items_filter_open_owner_and_due_dates(api, tenant_a, rm_a):
    c = CustomerFactory(relationship_manager=rm_a)
    ActionItemFactory(
        customer=c, title="a", status="open", owner_member=rm_a, due_date="2026-01-10"
    )
    ActionItemFactory(customer=c, title="b", status="in_progress", due_date="2026-02-10")
    ActionItemFactory(
        customer=c, title="c", status="done", owner_member=rm_a, due_date="2026-01-05"
    )
    titles = lambda r: [i["title"] for i in r.json()["results"]]  # noqa: E731
    assert titles(api.get("/api/v1/action-items/?status=open")) == ["a", "b"]
    assert titles(api.get(f"/api/v1/action-items/?owner={rm_a.pk}")) == ["c", "a"]
    assert titles(api.get("/api/v1/action-items/?due_before=2026-01-31&due_after=2026-01-06")) == [
        "a"
    ]


def test_action_item_with_two_owners_is_400(api, tenant_a, rm_a):
    c = CustomerFactory(relationship_manager=rm_a)
    contact = ContactFactory(customer=c)
    response = api.post(
        "/api/v1/action-items/",
        {"customer": c.pk, "title": "T", "owner_member": rm_a.pk, "owner_contact": contact.pk},
        format="json",
    )
    assert response.status_code == 400


def test_marking_an_action_item_done_sets_completed_at(api, tenant_a, rm_a):
    item = ActionItemFactory(customer=CustomerFactory(relationship_manager=rm_a))
    response = api.patch(f"/api/v1/action-items/{item.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 200
    assert response.json()["completed_at"] is not None
    assert kit.refreshed(item).status == "done"


def test_expectation_cannot_be_set_agreed_over_the_api(api, customer_record):
    response = api.post(
        "/api/v1/expectations/",
        {"customer": customer_record.pk, "title": "T", "status": "agreed"},
        format="json",
    )
    assert response.status_code == 400


def test_delete_customer_over_the_api(api, tenant_a, rm_a):
    c = CustomerFactory(relationship_manager=rm_a)
    assert api.delete(f"/api/v1/customers/{c.pk}/").status_code == 204
    assert not kit.in_tenant(tenant_a, lambda: Customer.objects.filter(pk=c.pk).exists())


def test_read_key_cannot_create_a_customer(tenant_a, rm_a):
    read = kit.api_client(tenant_a, "read")
    response = read.post(
        "/api/v1/customers/", {"name": "X", "relationship_manager": rm_a.pk}, format="json"
    )
    assert response.status_code == 403


def test_list_query_count_does_not_grow_with_rows(api, tenant_a, rm_a):
    from tests.kit import assert_api_queries

    for n in (3, 40):
        for _ in range(n):
            ActionItemFactory(
                customer=CustomerFactory(tenant=tenant_a, relationship_manager=rm_a),
                owner_member=rm_a,
            )
        # Each list is a count and one page.
        assert_api_queries(api, "/api/v1/customers/", own=2)
        assert_api_queries(api, "/api/v1/action-items/?status=open", own=2)


def test_every_list_item_is_the_retrieve_of_the_same_id(api, tenant_a, rm_a):
    """Lists read plain rows for speed (brm.api.viewsets.RowListModelMixin); what they answer is
    exactly what the serializer answers for the same record, field for field."""
    import datetime

    from django.urls import get_resolver

    from brm.api.viewsets import RowListModelMixin
    from tests.factories import ExpectationFactory, RegisterItemFactory

    customer = CustomerFactory(relationship_manager=rm_a, division="Finance")
    purchaser = PurchaserFactory(customer=customer)
    contact = ContactFactory(customer=customer, purchaser=purchaser)
    ExpectationFactory(customer=customer)
    RegisterItemFactory(customer=customer)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    ActionItemFactory(customer=customer, owner_contact=contact, due_date=yesterday)
    ActionItemFactory(customer=customer, owner_member=rm_a, status=ActionItem.Status.DONE)
    paths = {
        "customers": "/api/v1/customers/",
        "purchasers": "/api/v1/purchasers/",
        "contacts": "/api/v1/contacts/",
        "expectations": "/api/v1/expectations/",
        "register-items": "/api/v1/register-items/",
        "action-items": "/api/v1/action-items/",
    }
    fast = set()
    for name, path in paths.items():
        listed = api.get(path).json()["results"]
        view = get_resolver().resolve(path).func
        plans = view.cls.__dict__.get("_row_plans", {})
        if issubclass(view.cls, RowListModelMixin) and any(p is not None for p in plans.values()):
            fast.add(name)
        assert listed, name
        for item in listed:
            assert item == api.get(f"{path}{item['id']}/").json(), name
    # Every list of this area takes the fast path (a new field type would silently leave it).
    assert fast == set(paths)
    overdue = api.get("/api/v1/action-items/?status=open").json()["results"]
    assert [i["is_overdue"] for i in overdue] == [True]


def test_times_are_given_in_the_offices_time_zone(api, tenant_a, rm_a, client, admin_a):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    tenant_a.time_zone = "Pacific/Auckland"
    tenant_a.save()
    customer = CustomerFactory(relationship_manager=rm_a)
    offset = timezone.now().astimezone(ZoneInfo("Pacific/Auckland")).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    body = api.get(f"/api/v1/customers/{customer.pk}/").json()
    assert body["created_at"].endswith(offset)
    listed = api.get("/api/v1/customers/").json()["results"][0]
    assert listed["created_at"].endswith(offset)


def test_the_fast_list_path_converts_only_what_needs_converting(api, tenant_a, rm_a):
    """Plain strings, numbers and booleans go out as read; times are put in the office's zone."""
    from brm.api.viewsets import InOfficeTime
    from customers.api.views import CustomerViewSet

    CustomerViewSet._row_plans = {}
    assert api.get("/api/v1/customers/").status_code == 200
    (plan,) = CustomerViewSet._row_plans.values()
    converts = {name: convert for name, _column, convert in plan}
    assert converts["id"] is None and converts["name"] is None and converts["status"] is None
    assert isinstance(converts["created_at"], InOfficeTime)
