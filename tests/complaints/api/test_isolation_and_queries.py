"""Another office's complaint is a 404 on every route of the API, like one that does not exist;
lists and records read a fixed number of queries however many complaints there are."""

import pytest

from tests.complaints.api.conftest import COMPLAINTS, url
from tests.complaints.conftest import receive, working
from tests.kit import api_client, assert_api_queries, in_tenant, make_member

pytestmark = pytest.mark.django_db

ROUTES = [
    ("get", ""),
    ("patch", ""),
    ("post", "acknowledge"),
    ("post", "assign"),
    ("post", "escalate"),
    ("post", "resolve"),
    ("get", "messages"),
    ("post", "messages"),
]


@pytest.fixture
def office_b_complaint(tenant_b):
    from brm.tenancy.models import Role
    from tests.factories import ContactFactory, CustomerFactory, received_complaint

    rm = make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email="rm-b@example.test")
    customer = CustomerFactory(tenant=tenant_b, relationship_manager=rm)
    customer.business_manager = ContactFactory(customer=customer)
    in_tenant(tenant_b, customer.save)
    return received_complaint(customer, subject="Office B's complaint")


@pytest.mark.parametrize(("method", "action"), ROUTES)
def test_another_offices_complaint_answers_404_like_an_unknown_one(
    api, office_b_complaint, method, action
):
    response = getattr(api, method)(url(office_b_complaint, action), {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    unknown = getattr(api, method)(f"{COMPLAINTS}987654321/{action + '/' if action else ''}")
    assert unknown.status_code == 404 and unknown.json() == response.json()


def test_another_offices_complaints_are_not_listed(api, world, office_b_complaint, new):
    rows = api.get(COMPLAINTS).json()["results"]
    assert [row["id"] for row in rows] == [new.pk]
    b_key = api_client(office_b_complaint.tenant, "read")
    assert [row["id"] for row in b_key.get(COMPLAINTS).json()["results"]] == [office_b_complaint.pk]


def test_a_complaint_of_another_office_cannot_be_recorded_for_its_customer(
    tenant_a, world, api, office_b_complaint
):
    body = {
        "customer": office_b_complaint.customer_id,
        "raiser_email": "x@example.test",
        "raiser_name": "X",
        "subject": "s",
        "description": "d",
    }
    response = api.post(COMPLAINTS, body, format="json")
    assert response.status_code == 400 and "customer" in response.json()["error"]["fields"]


def _many(tenant_a, world, n):
    with in_tenant(tenant_a):
        for i in range(n):
            complaint = receive(world, subject=f"Complaint {i}")
            if i % 2:
                working(world, complaint)


def test_the_list_reads_a_fixed_number_of_queries(tenant_a, world, read_api):
    _many(tenant_a, world, 3)
    assert_api_queries(read_api, COMPLAINTS, own=2)
    _many(tenant_a, world, 6)
    assert_api_queries(read_api, COMPLAINTS, own=2)
    assert_api_queries(read_api, f"{COMPLAINTS}?status=new&breached=false&level=1", own=2)


def test_a_complaint_and_its_thread_read_a_fixed_number_of_queries(
    tenant_a, world, read_api, acknowledged
):
    from complaints import services

    assert_api_queries(read_api, url(acknowledged), own=1)
    with in_tenant(tenant_a):
        for i in range(4):
            services.complaint_message_add(complaint=acknowledged, actor=world.rm, body=f"m{i}")
    assert_api_queries(read_api, url(acknowledged, "messages"), own=2)
