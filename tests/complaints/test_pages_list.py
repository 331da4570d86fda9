"""The staff list of complaints: filters, search, sorting, the time left to each target, the
empty state, the rule that a complaint about an RM is not shown to that RM, and its queries."""

import pytest

from complaints import services
from tests.complaints.conftest import local, receive
from tests.complaints.pages import body, signed_in, url
from tests.kit import assert_page_queries, in_tenant

pytestmark = pytest.mark.django_db

# The filter choices (customers, owners, categories), the count (unfiltered: the office's and
# those about the member), the page of complaints, the clocks' spans of the page, and the office
# calendar (its row, its holidays).
LIST_QUERIES = 9


def test_the_list_says_so_when_there_are_no_complaints(client, tenant_a, world):
    response = signed_in(client, world.rm).get(url(tenant_a, "complaint_list"))
    assert response.status_code == 200
    assert "No complaints yet." in body(response)


def test_the_list_shows_each_complaint_with_the_time_left_to_its_targets(
    client, tenant_a, world, clock
):
    clock.set(local(2027, 3, 2, 9))  # a Tuesday, 09:00
    with in_tenant(tenant_a):
        complaint = receive(world, severity="critical")
    clock.set(local(2027, 3, 2, 10))
    page = body(signed_in(client, world.rm).get(url(tenant_a, "complaint_list")))
    assert complaint.reference in page
    assert "1 h 00 min" in page  # of the 2 hours to acknowledge
    assert "15 h 00 min" in page  # of the 16 hours to resolve


def test_the_list_filters_by_status_severity_level_breached_customer_and_category(
    client, tenant_a, world
):
    with in_tenant(tenant_a):
        critical = receive(world, subject="Critical one", severity="critical")
        low = receive(world, subject="Low one", severity="low", category=None)
        services.complaint_acknowledge(complaint=low, actor=world.rm)
        services.complaint_escalate(complaint=low, actor=world.rm, note="To IT")
    signed_in(client, world.admin)
    path = url(tenant_a, "complaint_list")

    def shown(**query):
        page = body(client.get(path, query))
        return {s for s in ("Critical one", "Low one") if s in page}

    assert shown() == {"Critical one", "Low one"}
    assert shown(severity="critical") == {"Critical one"}
    assert shown(status="new") == {"Critical one"}
    assert shown(status="open") == {"Critical one", "Low one"}
    assert shown(level="2") == {"Low one"}
    assert shown(breached="yes") == set()
    assert shown(breached="no") == {"Critical one", "Low one"}
    assert shown(customer=world.customer.pk) == {"Critical one", "Low one"}
    assert shown(category=world.category.pk) == {"Critical one"}
    assert shown(q=critical.reference) == {"Critical one"}
    assert shown(q="low") == {"Low one"}
    assert "No complaint matches these filters." in body(client.get(path, {"severity": "high"}))


def test_the_list_filters_by_owner(client, tenant_a, world):
    with in_tenant(tenant_a):
        receive(world, subject="Kept by the RM")
        mine = receive(world, subject="Given to Ivo")
        services.complaint_assign(complaint=mine, actor=world.rm, owner=world.it_manager)
    page = body(
        signed_in(client, world.admin).get(
            url(tenant_a, "complaint_list"), {"owner": world.it_manager.pk}
        )
    )
    assert "Given to Ivo" in page
    assert "Kept by the RM" not in page


def test_the_list_sorts_by_severity_and_by_reference(client, tenant_a, world):
    with in_tenant(tenant_a):
        first = receive(world, subject="Low first", severity="low")
        second = receive(world, subject="Critical second", severity="critical")
    signed_in(client, world.rm)
    path = url(tenant_a, "complaint_list")
    page = body(client.get(path, {"sort": "severity"}))
    assert page.index("Critical second") < page.index("Low first")
    page = body(client.get(path, {"sort": "reference"}))
    assert page.index(first.reference) < page.index(second.reference)
    page = body(client.get(path, {"sort": "-reference"}))
    assert page.index(second.reference) < page.index(first.reference)


def test_a_complaint_about_the_relationship_manager_is_not_on_their_list(client, tenant_a, world):
    with in_tenant(tenant_a):
        receive(world, subject="About the RM", about_rm=True, actor=world.admin)
    assert "About the RM" not in body(
        signed_in(client, world.rm).get(url(tenant_a, "complaint_list"))
    )
    assert "About the RM" in body(
        signed_in(client, world.it_manager).get(url(tenant_a, "complaint_list"))
    )


def test_the_count_leaves_out_the_complaints_about_the_reader_filtered_or_not(
    client, tenant_a, world
):
    with in_tenant(tenant_a):
        receive(world, subject="About the RM", about_rm=True, actor=world.admin)
        receive(world, subject="Plain one")
        receive(world, subject="Plain two", severity="low")
    path = url(tenant_a, "complaint_list")
    assert "2 complaints" in body(signed_in(client, world.rm).get(path))
    assert "1 complaint" in body(client.get(path, {"severity": "low"}))
    assert "3 complaints" in body(signed_in(client, world.it_manager).get(path))


def test_the_list_reads_the_same_number_of_queries_with_more_complaints(client, tenant_a, world):
    with in_tenant(tenant_a):
        receive(world)
    signed_in(client, world.rm)
    path = url(tenant_a, "complaint_list")
    assert_page_queries(client, path, own=LIST_QUERIES)
    with in_tenant(tenant_a):
        for i in range(5):
            c = receive(world, subject=f"More {i}")
            services.complaint_assign(complaint=c, actor=world.rm, owner=world.it_manager)
    assert_page_queries(client, path, own=LIST_QUERIES)
