"""The pages around the complaints: raising one as staff, the steering group's view, the
policy and the categories for admins, and the customer page's panel."""

import pytest

from complaints import services
from complaints.models import Complaint, ComplaintCategory, ComplaintPolicy
from tests.complaints.conftest import receive, working
from tests.complaints.pages import body, signed_in, url
from tests.kit import assert_page_queries, in_tenant, refreshed

pytestmark = pytest.mark.django_db


def test_staff_record_a_complaint_received_by_email_for_a_named_raiser(client, tenant_a, world):
    signed_in(client, world.rm)
    path = url(tenant_a, "complaint_create")
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "customer": world.customer.pk,
            "channel": "email",
            "raiser_name": "Sam Sender",
            "raiser_email": "sam@finance.example",
            "subject": "Printer queue lost",
            "description": "Jobs vanish",
            "severity": "high",
        },
    )
    complaint = in_tenant(tenant_a, lambda: Complaint.objects.get())
    assert response.status_code == 302
    assert response["Location"] == url(tenant_a, "complaint_detail", pk=complaint.pk)
    assert (complaint.channel, complaint.raiser_email, complaint.severity) == (
        "email",
        "sam@finance.example",
        "high",
    )


def test_a_complaint_without_a_raiser_re_renders_with_the_message(client, tenant_a, world):
    signed_in(client, world.rm)
    response = client.post(
        url(tenant_a, "complaint_create"),
        {
            "customer": world.customer.pk,
            "channel": "staff",
            "subject": "No one",
            "description": "x",
            "severity": "low",
        },
    )
    assert response.status_code == 200
    assert "Name the raiser" in body(response)
    assert "No one" in body(response)  # nothing typed is lost
    assert in_tenant(tenant_a, lambda: Complaint.objects.count()) == 0


def test_the_steering_view_lists_only_complaints_at_level_3(client, tenant_a, world):
    with in_tenant(tenant_a):
        at_one = receive(world, subject="Still with the RM")
        at_three = receive(world, subject="Up to the board")
        working(world, at_three)
        services.complaint_escalate(complaint=at_three, actor=world.rm, note="IT")
        services.complaint_escalate(complaint=at_three, actor=world.it_manager, note="SG")
    page = body(signed_in(client, world.steering[0]).get(url(tenant_a, "steering")))
    assert "Up to the board" in page
    assert at_one.subject not in page


def test_an_admin_changes_the_policy_and_a_bad_value_re_renders(client, tenant_a, world):
    signed_in(client, world.admin)
    path = url(tenant_a, "policy")
    page = body(client.get(path))
    assert "Complaints policy" in page
    assert "/settings/business-calendar/" in page
    values = {
        f"{severity}__{name}": value
        for severity, row in {
            "critical": (2, 16, 8, 4),
            "high": (4, 40, 20, 10),
            "medium": (8, 80, 40, 20),
            "low": (16, 160, 80, 40),
        }.items()
        for name, value in zip(
            (
                "acknowledge_hours",
                "resolve_hours",
                "level_2_resolve_hours",
                "level_3_resolve_hours",
            ),
            row,
            strict=True,
        )
    }
    response = client.post(path, {**values, "critical__acknowledge_hours": "0"})
    assert response.status_code == 200 and "is-invalid" in body(response)
    assert in_tenant(tenant_a, lambda: ComplaintPolicy.objects.count()) == 0
    client.post(path, {**values, "critical__acknowledge_hours": "1.5"})
    rows = in_tenant(tenant_a, lambda: list(ComplaintPolicy.objects.all()))
    assert [(r.severity, float(r.acknowledge_hours)) for r in rows] == [("critical", 1.5)]


def test_only_admins_open_the_policy_and_the_categories(client, tenant_a, world):
    signed_in(client, world.rm)
    assert client.get(url(tenant_a, "policy")).status_code == 403
    assert client.get(url(tenant_a, "category_list")).status_code == 403


def test_an_admin_adds_and_retires_a_category(client, tenant_a, world):
    signed_in(client, world.admin)
    client.post(
        url(tenant_a, "category_create"),
        {"name": "Billing", "description": "", "position": 2, "is_active": "on"},
    )
    billing = in_tenant(tenant_a, lambda: ComplaintCategory.objects.get(name="Billing"))
    assert "Billing" in body(client.get(url(tenant_a, "category_list")))
    response = client.post(
        url(tenant_a, "category_create"),
        {"name": "Billing", "description": "", "position": 0, "is_active": "on"},
    )
    assert "exists already" in body(response)
    client.post(
        url(tenant_a, "category_edit", pk=billing.pk),
        {"name": "Billing", "description": "Invoices", "position": 2},
    )
    assert refreshed(billing).is_active is False


def test_the_customer_page_shows_the_complaints_panel_without_those_about_the_rm(
    client, tenant_a, world
):
    with in_tenant(tenant_a):
        receive(world, subject="Open and visible")
        receive(world, subject="About the RM", about_rm=True, actor=world.admin)
    path = f"/t/{tenant_a.slug}/customers/{world.customer.pk}/"
    page = body(signed_in(client, world.rm).get(path))
    assert "Open and visible" in page
    assert "About the RM" not in page
    assert "1 open" in page
    assert f"{url(tenant_a, 'complaint_list')}?customer={world.customer.pk}" in page
    page = body(signed_in(client, world.it_manager).get(path))
    assert "About the RM" in page and "2 open" in page


# The count, the page of complaints, the office calendar (its row, its holidays) and the
# clocks' spans of the page.
STEERING_QUERIES = 5


def test_the_steering_view_reads_the_same_number_of_queries_with_more_complaints(
    client, tenant_a, world
):
    def at_level_3():
        with in_tenant(tenant_a):
            complaint = working(world, receive(world))
            services.complaint_escalate(complaint=complaint, actor=world.rm, note="IT")
            services.complaint_escalate(complaint=complaint, actor=world.it_manager, note="SG")

    at_level_3()
    signed_in(client, world.steering[0])
    path = url(tenant_a, "steering")
    assert_page_queries(client, path, own=STEERING_QUERIES)
    for _ in range(3):
        at_level_3()
    assert_page_queries(client, path, own=STEERING_QUERIES)
