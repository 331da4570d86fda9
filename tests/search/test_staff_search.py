"""The staff search box: every kind an area registers is found by its name, title, reference or
email, grouped by kind in the registry's order, each hit linking to its page; a kind with more
hits than the page shows links to its own list filtered by the query."""

import pytest

from brm.tenancy.models import Role
from tests.factories import CustomerFactory
from tests.kit import assert_page_queries, in_tenant, make_member
from tests.meetings.builders import business_decision, one_off
from tests.search.pages import found, results, staff_search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("q", "kind", "title"),
    [
        ("Sales", "customers", "Sales"),
        ("Operations", "customers", "Finance"),  # the division
        ("Pia Orders", "contacts", "Pia Orders"),
        ("sam@sales.example", "contacts", "Sam Seller"),
        ("Email", "services", "Email"),
        ("Finance", "agreements", "Partnership agreement with Finance"),
        ("roadmap review", "meetings", "Quarterly roadmap review"),
        ("Adopt", "decisions", "Adopt the roadmap"),
        ("Firewall", "notices", "Firewall replacement"),
        ("Invoices twice", "complaints", None),  # the reference is the title
        ("Annual partnership", "surveys", "Annual partnership survey"),
        ("Spring pulse", "campaigns", "Spring pulse"),
    ],
)
def test_each_kind_is_found_by_what_names_it(client, tenant_a, sworld, q, kind, title):
    client.force_login(sworld.c.m.it_manager.user)
    groups = found(client, staff_search(tenant_a), q)
    expected = title or sworld.complaint.reference
    assert expected in groups.get(kind, []), groups


def test_a_complaint_is_found_by_its_reference_and_links_to_its_page(client, tenant_a, sworld):
    client.force_login(sworld.c.m.it_manager.user)
    reference = sworld.complaint.reference
    groups, links, _counts = results(client.get(staff_search(tenant_a), {"q": reference}))
    assert groups == {"complaints": [reference]}
    assert links["complaints"] == [f"/t/{tenant_a.slug}/complaints/{sworld.complaint.pk}/"]
    assert client.get(links["complaints"][0]).status_code == 200


def test_every_hit_links_to_a_page_that_opens(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    for q in ("Finance", "roadmap", "Firewall", "partnership", "Spring", "Email"):
        _groups, links, _counts = results(client.get(staff_search(tenant_a), {"q": q}))
        for urls in links.values():
            for url in urls:
                assert client.get(url).status_code == 200, url


def test_groups_come_in_the_registry_order_with_their_counts(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    groups, _links, counts = results(client.get(staff_search(tenant_a), {"q": "Finance"}))
    assert list(groups) == ["customers", "contacts", "agreements"]
    assert groups["customers"] == ["Finance"]
    assert counts == {"customers": 1, "contacts": 4, "agreements": 1}  # four @finance.example


def test_a_kind_shows_five_hits_and_links_to_its_list_filtered_by_the_query(client, tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER)
    for n in range(7):
        CustomerFactory(tenant=tenant_a, name=f"Logistics {n}", relationship_manager=rm)
    client.force_login(rm.user)
    response = client.get(staff_search(tenant_a), {"q": "Logistics"})
    groups, _links, counts = results(response)
    assert len(groups["customers"]) == 5 and counts["customers"] == 7
    more = f"/t/{tenant_a.slug}/customers/?q=Logistics"
    assert f'href="{more}"' in response.content.decode()
    listed = client.get(more).content.decode()
    assert all(f"Logistics {n}" in listed for n in range(7))


def test_a_name_with_a_typo_still_finds_the_customer_on_postgresql(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    assert found(client, staff_search(tenant_a), "Finanse").get("customers") == ["Finance"]


def test_the_closer_name_ranks_first(client, tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER)
    CustomerFactory(tenant=tenant_a, name="Marketing and Communications", relationship_manager=rm)
    CustomerFactory(tenant=tenant_a, name="Marketing", relationship_manager=rm)
    client.force_login(rm.user)
    assert found(client, staff_search(tenant_a), "marketing")["customers"] == [
        "Marketing",
        "Marketing and Communications",
    ]


def test_nothing_found_says_so(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    response = client.get(staff_search(tenant_a), {"q": "Zanzibar"})
    assert results(response)[0] == {}
    assert "Nothing found for “Zanzibar”." in response.content.decode()


def test_the_page_without_a_query_invites_a_search(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    response = client.get(staff_search(tenant_a))
    assert results(response)[0] == {}
    assert "Find customers, contacts, services" in response.content.decode()


@pytest.mark.parametrize("q", ["F", " F ", "\x00F"])
def test_a_query_shorter_than_two_characters_gets_a_message(client, tenant_a, sworld, q):
    client.force_login(sworld.c.m.rm.user)
    response = client.get(staff_search(tenant_a), {"q": q})
    assert results(response)[0] == {}
    assert "Type at least 2 characters to search." in response.content.decode()


@pytest.mark.parametrize("q", ["   ", "\x00\x00", "\t\n", "\u200b\u200b"])
def test_only_spaces_or_control_characters_get_a_message(client, tenant_a, sworld, q):
    client.force_login(sworld.c.m.rm.user)
    response = client.get(staff_search(tenant_a), {"q": q})
    assert results(response)[0] == {}
    assert "Type at least 2 characters to search." in response.content.decode()


def test_a_very_long_query_gets_a_message(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    response = client.get(staff_search(tenant_a), {"q": "Finance " * 2000})
    assert results(response)[0] == {}
    assert "Search for at most 100 characters." in response.content.decode()


@pytest.mark.parametrize(
    "q",
    ["Fin\x00ance", "' OR 1=1 --", "!!& | <->", "Finance:*", '"unclosed', "%_%", "-8.6e192"],
)
def test_odd_text_is_searched_never_an_error(client, tenant_a, sworld, q):
    client.force_login(sworld.c.m.rm.user)
    response = client.get(staff_search(tenant_a), {"q": q})
    assert response.status_code == 200


def test_a_nul_inside_the_query_is_dropped(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    assert "Sam Seller" in found(client, staff_search(tenant_a), "Sam\x00 Seller")["contacts"]


def test_a_post_is_refused(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    assert client.post(staff_search(tenant_a), {"q": "Finance"}).status_code == 405


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STEERING])
def test_read_only_roles_search_what_they_read(client, tenant_a, sworld, role):
    client.force_login(make_member(tenant_a, role).user)
    groups = found(client, staff_search(tenant_a), "roadmap")
    assert groups == {"meetings": ["Quarterly roadmap review"], "decisions": ["Adopt the roadmap"]}


def test_a_portal_login_cannot_use_the_staff_search(client, tenant_a, sworld):
    client.force_login(sworld.c.m.business_manager.user)
    assert client.get(staff_search(tenant_a), {"q": "Finance"}).status_code == 403


def test_the_staff_navigation_holds_the_search_box(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    page = client.get(f"/t/{tenant_a.slug}/customers/").content.decode()
    assert 'role="search" aria-label="Site search"' in page
    assert f'action="{staff_search(tenant_a)}"' in page
    assert '<label class="visually-hidden" for="site-search-q">' in page


def test_a_contact_hit_opens_the_contacts_of_its_customer(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    _groups, links, _counts = results(client.get(staff_search(tenant_a), {"q": "Pia Orders"}))
    assert links["contacts"] == [f"/t/{tenant_a.slug}/customers/{sworld.c.sales.pk}/#contacts"]
    with in_tenant(tenant_a):
        assert sworld.c.pia.customer_id == sworld.c.sales.pk


# The count of each of the ten staff kinds and the hits of the two that match (meetings and
# decisions), whatever the number of rows.
STAFF_OWN = 12


def test_the_staff_search_reads_a_fixed_number_of_queries(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    path = f"{staff_search(tenant_a)}?q=roadmap"
    assert_page_queries(client, path, own=STAFF_OWN)
    for n in range(6):
        meeting = one_off(sworld.c.m, title=f"Roadmap sync {n}")
        business_decision(sworld.c.m, meeting, title=f"Roadmap item {n}")
    assert_page_queries(client, path, own=STAFF_OWN)
