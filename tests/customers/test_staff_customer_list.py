"""The customer list: search, filters, sorting, pagination, empty states, and "My customers"."""

import re

import pytest

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from tests.factories import CustomerFactory
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def rm_b(tenant_a):
    return make_member(
        tenant_a, Role.RELATIONSHIP_MANAGER, email="rm-b@a.example", name="Aaron Second"
    )


@pytest.fixture
def customers(tenant_a, rm_a, rm_b):
    return in_tenant(
        tenant_a,
        lambda: {
            "finance": CustomerFactory(
                name="Finance", division="Corporate", status="active", relationship_manager=rm_a
            ),
            "hr": CustomerFactory(
                name="Human resources",
                division="Corporate",
                status="prospect",
                relationship_manager=rm_b,
            ),
            "logistics": CustomerFactory(
                name="Logistics", division="Operations", status="dormant", relationship_manager=rm_b
            ),
        },
    )


def names(response) -> list[str]:
    """Customer names in the order the table shows them."""
    body = response.content.decode()
    return re.findall(r'<th scope="row" class="fw-normal"><a href="[^"]+">([^<]+)</a>', body)


def get(client, tenant, query=""):
    response = client.get(f"/t/{tenant.slug}/customers/{query}")
    assert response.status_code == 200
    return response


def test_list_shows_every_customer_by_name(client, tenant_a, admin_a, customers):
    client.force_login(admin_a.user)
    assert names(get(client, tenant_a)) == ["Finance", "Human resources", "Logistics"]


def test_search_matches_name_or_division(client, tenant_a, admin_a, customers):
    client.force_login(admin_a.user)
    assert names(get(client, tenant_a, "?q=human")) == ["Human resources"]
    assert names(get(client, tenant_a, "?q=operat")) == ["Logistics"]


def test_filters_by_relationship_manager_status_and_division(
    client, tenant_a, admin_a, rm_b, customers
):
    client.force_login(admin_a.user)
    assert names(get(client, tenant_a, f"?relationship_manager={rm_b.pk}")) == [
        "Human resources",
        "Logistics",
    ]
    assert names(get(client, tenant_a, "?status=prospect")) == ["Human resources"]
    assert names(get(client, tenant_a, "?division=Corporate")) == ["Finance", "Human resources"]
    assert names(get(client, tenant_a, f"?division=Corporate&relationship_manager={rm_b.pk}")) == [
        "Human resources"
    ]


def test_sorts_by_division_status_and_rm_both_ways(client, tenant_a, admin_a, customers):
    client.force_login(admin_a.user)
    assert names(get(client, tenant_a, "?sort=-name")) == [
        "Logistics",
        "Human resources",
        "Finance",
    ]
    assert names(get(client, tenant_a, "?sort=-division")) == [
        "Logistics",
        "Finance",
        "Human resources",
    ]
    assert names(get(client, tenant_a, "?sort=status")) == [
        "Finance",
        "Logistics",
        "Human resources",
    ]
    # "Aaron Second" before rm_a, whose name is its email ("relationship_manager-tenant-a@...").
    assert names(get(client, tenant_a, "?sort=rm")) == ["Human resources", "Logistics", "Finance"]
    response = get(client, tenant_a, "?sort=-rm")
    assert names(response) == ["Finance", "Human resources", "Logistics"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_list_is_paginated_by_25_and_keeps_the_filters(client, tenant_a, admin_a, rm_a):
    for i in range(30):
        CustomerFactory(name=f"Unit {i:02d}", division="Plants", relationship_manager=rm_a)
    client.force_login(admin_a.user)
    first = get(client, tenant_a, "?division=Plants")
    assert len(names(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert "?division=Plants&amp;page=2" in first.content.decode()
    second = get(client, tenant_a, "?division=Plants&page=2")
    assert names(second) == [f"Unit {i}" for i in range(25, 30)]


def test_empty_states_tell_no_customers_from_no_match(client, tenant_a, admin_a, customers):
    client.force_login(admin_a.user)
    assert (
        "No customer matches these filters." in get(client, tenant_a, "?q=nothing").content.decode()
    )


def test_empty_office_invites_to_add_the_first_customer(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    body = get(client, tenant_a).content.decode()
    assert "No customers yet." in body
    assert "Add the first customer" in body


def test_my_customers_shows_only_those_of_the_signed_in_rm(client, tenant_a, rm_b, customers):
    client.force_login(rm_b.user)
    response = client.get(f"/t/{tenant_a.slug}/customers/mine/")
    assert response.status_code == 200
    assert names(response) == ["Human resources", "Logistics"]
    assert names(client.get(f"/t/{tenant_a.slug}/customers/mine/?status=dormant")) == ["Logistics"]


def test_my_customers_without_any_says_so(client, tenant_a, customers):
    newcomer = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="new@a.example")
    client.force_login(newcomer.user)
    body = client.get(f"/t/{tenant_a.slug}/customers/mine/").content.decode()
    assert "No customers are assigned to you yet." in body


def test_my_customers_is_in_the_navigation_of_relationship_managers_only(
    client, tenant_a, rm_a, admin_a
):
    client.force_login(rm_a.user)
    body = client.get(f"/t/{tenant_a.slug}/customers/").content.decode()
    assert f'href="/t/{tenant_a.slug}/customers/mine/"' in body
    assert f'href="/t/{tenant_a.slug}/action-items/"' in body
    assert f'href="/t/{tenant_a.slug}/coverage/"' in body
    client.force_login(admin_a.user)
    body = client.get(f"/t/{tenant_a.slug}/customers/").content.decode()
    assert f'href="/t/{tenant_a.slug}/customers/mine/"' not in body
    assert f'href="/t/{tenant_a.slug}/customers/"' in body


def test_rm_who_left_can_still_be_filtered_by(client, tenant_a, admin_a, rm_b, customers):
    from brm.tenancy.models import Membership

    with tenant_context(tenant_a):
        Membership.objects.filter(pk=rm_b.pk).update(is_active=False)
    client.force_login(admin_a.user)
    response = get(client, tenant_a, f"?relationship_manager={rm_b.pk}")
    assert names(response) == ["Human resources", "Logistics"]
    assert "inactive" in response.content.decode()


def test_the_list_links_to_export_and_to_import_for_those_who_may(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    body = get(client, tenant_a).content.decode()
    assert f'href="/t/{tenant_a.slug}/customers/export.csv"' in body
    assert f'href="/t/{tenant_a.slug}/customers/import/"' in body
    analyst = make_member(tenant_a, Role.ANALYST)
    client.force_login(analyst.user)
    body = get(client, tenant_a).content.decode()
    assert f'href="/t/{tenant_a.slug}/customers/export.csv"' in body
    assert "/customers/import/" not in body


def test_invalid_filter_values_are_shown_as_field_errors(client, tenant_a, admin_a, customers):
    client.force_login(admin_a.user)
    body = get(client, tenant_a, "?status=bogus").content.decode()
    assert 'class="form-select is-invalid"' in body
    assert "Select a valid choice." in body
