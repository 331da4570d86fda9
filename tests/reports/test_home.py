"""The relationship manager's home: what each panel shows and leaves out, the empty states,
who gets it (relationship managers) and who keeps the office overview, and its query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brm.tenancy.models import Role
from customers.models import ActionItem
from tests.factories import CustomerFactory
from tests.kit import assert_page_queries, in_tenant, make_member
from tests.reports.home_world import customer_day

pytestmark = pytest.mark.django_db


def home(tenant) -> str:
    return reverse("tenancy:staff_home", kwargs={"tenant_slug": tenant.slug})


def panels_of(client, member) -> dict:
    client.force_login(member.user)
    response = client.get(home(member.tenant))
    assert response.status_code == 200
    return {panel.key: panel for panel in response.context["panels"]}


def titles(panel) -> list[str]:
    shown = []
    for row in panel.rows:
        if panel.key == "customers":
            shown.append(row["customer"].name)
        elif panel.key == "missed":
            shown.append(row.cadence.name)
        elif panel.key == "complaints":
            shown.append(row.subject)
        elif panel.key in ("signatures",):
            shown.append(row.agreement.customer.name)
        elif panel.key == "reviews":
            shown.append(row.customer.name)
        else:
            shown.append(getattr(row, "title", None) or row.name)
    return shown


@pytest.fixture
def day(tenant_a, tenant_b):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test", name="Rita")
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="otto@a.test")
    finance = customer_day(tenant_a, rm, "Finance")
    sales = customer_day(tenant_a, other_rm, "Sales", division="Commercial")
    # An item Rita owns on another RM's customer is hers.
    in_tenant(
        tenant_a,
        lambda: ActionItem.objects.create(
            customer=sales,
            title="Rita's errand",
            owner_member=rm,
            due_date=timezone.localdate() - timedelta(days=1),
        ),
    )
    rm_b = make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email="rita@b.test")
    customer_day(tenant_b, rm_b, "Harbour")
    return rm, finance


def test_each_panel_shows_the_rms_records_and_leaves_out_the_rest(client, day):
    rm, finance = day
    panels = panels_of(client, rm)

    assert titles(panels["customers"]) == ["Finance"]
    row = panels["customers"].rows[0]
    # Open items: overdue, soon, later and the follow-up; the closed one is not counted.
    assert row["open_items"] == 4
    assert row["next_meeting"].title == "Review Finance"
    assert titles(panels["overdue"]) == ["Overdue item Finance", "Rita's errand"]
    assert titles(panels["due_soon"]) == ["Follow-up Finance", "Soon item Finance"]
    assert titles(panels["meetings"]) == ["Review Finance"]
    assert titles(panels["missed"]) == ["Monthly review Finance"]
    # Past first; the calm one and the one about Rita herself are left out.
    assert titles(panels["complaints"]) == ["Past complaint Finance", "Near complaint Finance"]
    assert [c.past_target for c in panels["complaints"].rows] == [True, False]
    assert titles(panels["signatures"]) == ["Finance"]
    assert panels["signatures"].rows[0].pending == 1
    assert panels["signatures"].rows[0].mine_pending is True
    assert titles(panels["reviews"]) == ["Finance"]
    assert titles(panels["campaigns"]) == ["Pulse Finance"]
    assert panels["campaigns"].rows[0].delivered == 1
    assert titles(panels["follow_ups"]) == ["Follow-up Finance"]
    for key, panel in panels.items():
        assert panel.count == len(panel.rows), key


def test_the_page_links_each_row_to_its_record_and_each_panel_to_its_list(client, day):
    rm, finance = day
    from brm.tenancy.models import Tenant

    Tenant.objects.filter(pk=rm.tenant_id).update(time_zone="America/New_York")
    rm.tenant.refresh_from_db()
    client.force_login(rm.user)
    body = client.get(home(rm.tenant)).content.decode()
    slug = rm.tenant.slug
    assert f'href="/t/{slug}/customers/{finance.pk}/"' in body
    assert f"/t/{slug}/customers/mine/" in body
    assert f"/t/{slug}/action-items/?tab=mine" in body
    assert f"/t/{slug}/agreements/?relationship_manager={rm.pk}" in body
    assert "Past target" in body and "Near target" in body
    # Times are the office's (the meetings pages' zone), not UTC.
    from meetings.models import Meeting

    review = in_tenant(rm.tenant, lambda: Meeting.objects.get(title="Review Finance"))
    local = timezone.localtime(review.starts_at, rm.tenant.zone)
    assert local.strftime("%-d %b %Y, %H:%M") in body
    assert "About the RM" not in body
    # Rita's errand is on Sales; nothing else of another RM's customer or another office shows.
    for other in ("Sales", "Harbour"):
        for title in ("Overdue item", "Review", "Pulse", "Near complaint", "Monthly review"):
            assert f"{title} {other}" not in body


def test_an_overdue_review_shows_as_overdue_and_a_far_one_not_at_all(client, day):
    rm, finance = day
    from agreements.models import Agreement

    in_tenant(
        rm.tenant,
        lambda: Agreement.objects.filter(customer=finance).update(
            review_due=timezone.localdate() - timedelta(days=2)
        ),
    )
    client.force_login(rm.user)
    body = client.get(home(rm.tenant)).content.decode()
    assert "Review overdue" in body
    in_tenant(
        rm.tenant,
        lambda: Agreement.objects.filter(customer=finance).update(
            review_due=timezone.localdate() + timedelta(days=31)
        ),
    )
    assert panels_of(client, rm)["reviews"].rows == []


def test_an_rm_without_records_sees_every_empty_state(client, tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER)
    client.force_login(rm.user)
    response = client.get(home(tenant_a))
    body = response.content.decode()
    for panel in response.context["panels"]:
        assert panel.count == 0 and panel.rows == []
        assert str(panel.empty) in body
    assert "Nothing overdue" in body
    assert "My working day" in body


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.IT_MANAGER, Role.STEERING, Role.ANALYST], ids=str
)
def test_other_staff_roles_keep_the_office_overview(client, tenant_a, role):
    member = make_member(tenant_a, role)
    CustomerFactory(tenant=tenant_a, relationship_manager=member)
    client.force_login(member.user)
    response = client.get(home(tenant_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "panels" not in response.context
    assert "Staff members" in body
    assert "My working day" not in body


def test_a_portal_member_does_not_get_the_staff_home(client, tenant_a):
    member = make_member(tenant_a, Role.CUSTOMER)
    client.force_login(member.user)
    response = client.get(home(tenant_a))
    assert response.status_code in (302, 403, 404)


def test_an_rm_of_another_office_gets_no_home_here(client, day, tenant_a, tenant_b):
    rm_b = make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email="ben@b.test")
    client.force_login(rm_b.user)
    assert client.get(home(tenant_a)).status_code == 404


# Pinned the same with 1 customer and with 7 (more than a panel shows), each with a record of
# every kind: 2 queries a panel, 2 more for the customers' open items and next meetings.
HOME_QUERIES = 2 * 10 + 2


@pytest.mark.parametrize("customers", [1, 7])
def test_the_home_reads_a_fixed_number_of_queries(client, tenant_a, customers):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER)
    for n in range(customers):
        customer_day(tenant_a, rm, f"Unit {n}")
    client.force_login(rm.user)
    assert_page_queries(client, home(tenant_a), own=HOME_QUERIES)
