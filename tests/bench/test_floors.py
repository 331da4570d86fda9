"""The benchmark's floors answer with their endpoints' rows, under the same sign-in.

A floor that drifted from its endpoint (other rows, columns, order, page size or count) would
make every "share of the floor" figure meaningless; bench.contract is the check the load script
runs on the bench offices, run here on small ones.
"""

import datetime
import json

import pytest
from django.utils import timezone

from bench import contract
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from customers import services
from customers.models import ActionItem
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    CustomerFactory,
    ExpectationFactory,
    PurchaserFactory,
    RegisterItemFactory,
)
from tests.kit import client_for, make_key, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def office(tenant_a, rm_a):
    """60 customers (more than a page of the API's 50) and 70 action items of every status."""
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="other-rm@example.test")
    today = timezone.localdate()
    with tenant_context(tenant_a):
        other_rm.is_active = False  # the list marks an inactive RM
        other_rm.save()
        customers = [
            CustomerFactory(
                name=f"Unit {(i * 37) % 60:02d}",  # name order is not id order
                division="" if i % 5 == 0 else f"Division {i % 3}",
                relationship_manager=rm_a if i % 4 else other_rm,
                notes="Bénéfice « net »" if i % 6 == 0 else "",
            )
            for i in range(60)
        ]
        statuses = list(ActionItem.Status.values)
        for i in range(70):
            ActionItemFactory(
                customer=customers[i % 5],
                status=statuses[i % len(statuses)],
                due_date=None if i % 9 == 0 else today + datetime.timedelta(days=i - 35),
                owner_member=rm_a if i % 2 else None,
            )
    return customers


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response


@pytest.mark.parametrize(
    ("endpoint", "floor"),
    [
        ("/api/v1/customers/", "/api/floor/customers/"),
        ("/api/v1/customers/?page=2", "/api/floor/customers/?page=2"),
        ("/api/v1/action-items/?status=open", "/api/floor/action-items/?status=open"),
    ],
)
def test_api_floor_answers_the_endpoints_document(tenant_a, office, endpoint, floor):
    client = client_for(make_key(tenant_a, "read")[1])
    endpoint_body = _get(client, endpoint).content
    floor_body = _get(client, floor).content
    contract.check_api(endpoint, endpoint_body, floor_body)
    assert json.loads(floor_body)["results"]


def test_api_floor_needs_a_valid_key(tenant_a, office):
    response = client_for("brm_abcdefgh_not-a-key").get("/api/floor/customers/")
    assert response.status_code == 401
    assert client_for("").get("/api/floor/customers/").status_code == 401


def test_api_floor_shows_the_keys_office_only(tenant_a, tenant_b, office):
    rm_b = make_member(tenant_b, Role.RELATIONSHIP_MANAGER)
    CustomerFactory(name="Only in B", relationship_manager=rm_b)
    body = _get(client_for(make_key(tenant_b, "read")[1]), "/api/floor/customers/").json()
    assert [c["name"] for c in body["results"]] == ["Only in B"]
    assert body["count"] == 1


def test_action_item_floor_refuses_other_filters(tenant_a, office):
    client = client_for(make_key(tenant_a, "read")[1])
    assert client.get("/api/floor/action-items/?status=done").status_code == 400
    assert client.get("/api/floor/action-items/").status_code == 400


def test_api_check_notices_other_rows_columns_counts_and_links():
    body = {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}],
    }
    same = json.dumps(body).encode()
    contract.check_api("list", same, same)
    for change in (
        {"count": 3},
        {"results": [{"id": 2, "name": "B"}, {"id": 1, "name": "A"}]},
        {"results": [{"id": 1, "name": "A"}, {"id": 2}]},
        {"results": [{"id": 1, "name": "A"}]},
        {"next": "http://testserver/api/floor/?page=2"},
    ):
        with pytest.raises(contract.FloorMismatch):
            contract.check_api("list", same, json.dumps({**body, **change}).encode())


def test_list_page_floor_shows_the_pages_rows(client, tenant_a, rm_a, office):
    client.force_login(rm_a.user)
    page = _get(client, "/t/tenant-a/customers/").content.decode()
    floor = _get(client, "/t/tenant-a/floor/customers/").content.decode()
    contract.check_list_page("tenant-a", page, floor)
    assert "60 customers" in floor


def test_list_page_check_notices_other_rows():
    link = '<a href="/t/x/customers/{}/">'
    floor = "<caption>2 customers</caption>" + link.format(1) + link.format(2)
    contract.check_list_page("x", "2 customers " + link.format(1) + link.format(2), floor)
    with pytest.raises(contract.FloorMismatch):
        contract.check_list_page("x", "2 customers " + link.format(2) + link.format(1), floor)
    with pytest.raises(contract.FloorMismatch):
        contract.check_list_page("x", "3 customers " + link.format(1) + link.format(2), floor)


def test_page_floors_are_behind_the_same_sign_in(client, tenant_a, tenant_b, rm_a, office):
    path = f"/t/tenant-a/floor/customers/{office[1].pk}/"
    assert client.get(path).status_code == 302  # to the sign-in page
    client.force_login(make_member(tenant_b, Role.ADMIN).user)
    assert client.get(path).status_code == 404  # not a member of this office
    assert client.get("/t/tenant-a/floor/customers/").status_code == 404


def test_customer_page_floor_reads_the_pages_rows(client, tenant_a, rm_a, office):
    with tenant_context(tenant_a):
        customer = services.customer_create(
            actor=rm_a.user, name="Finance", division="Group", relationship_manager=rm_a
        )
        for n in range(3):
            services.purchaser_create(actor=rm_a.user, customer=customer, name=f"Dept {n}")
            services.contact_create(
                actor=rm_a.user, customer=customer, name=f"Person {n}", email=f"p{n}@b.example"
            )
        ContactFactory(customer=customer, name="Person 0")
        PurchaserFactory(customer=customer, name="Another dept")
        ExpectationFactory(customer=customer)
        RegisterItemFactory(customer=customer, owner=rm_a)
        for i in range(14):
            ActionItemFactory(
                customer=customer,
                status="open" if i % 3 else "done",
                due_date=timezone.localdate() + datetime.timedelta(days=i % 4),
            )
        contract.check_customer_page(tenant_a.pk, customer.pk)
        with pytest.raises(contract.FloorMismatch):
            contract.check_customer_page(tenant_a.pk, customer.pk + 10_000)
    client.force_login(rm_a.user)
    html = _get(client, f"/t/tenant-a/floor/customers/{customer.pk}/").content.decode()
    assert "Finance" in html
    assert "9 open actions" in html
    assert client.get(f"/t/tenant-a/floor/customers/{customer.pk + 10_000}/").status_code == 404
