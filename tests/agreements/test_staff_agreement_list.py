"""The staff list of agreements: customer, version in force, state, review date, signatures
pending; filtered by state and relationship manager, searched, sorted; an empty state."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Agreement
from brm.tenancy.models import Role
from tests.agreements.builders import customer_with_rm, draft_for, in_force, in_signature
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


def _list(client, tenant, **params):
    return client.get(
        reverse("agreements:agreement_list", kwargs={"tenant_slug": tenant.slug}), params
    )


def _rows(response) -> list[str]:
    return [a.customer.name for a in response.context["page"].object_list]


@pytest.fixture
def three(tenant_a):
    """Alpha in force, Beta in signature (none in force), Gamma a draft."""
    alpha = in_force(customer_with_rm(tenant_a, name="Alpha"))
    beta = in_signature(customer_with_rm(tenant_a, name="Beta"))
    draft_for(customer_with_rm(tenant_a, name="Gamma"))
    return alpha, beta


def test_the_list_shows_version_in_force_state_review_date_and_pending_signatures(
    client, tenant_a, admin_a, three
):
    client.force_login(admin_a.user)
    response = _list(client, tenant_a)
    assert response.status_code == 200
    assert _rows(response) == ["Alpha", "Beta", "Gamma"]
    body = response.content.decode()
    alpha = in_tenant(tenant_a, lambda: Agreement.objects.get(customer__name="Alpha"))
    assert alpha.review_due.isoformat() in body
    assert 'data-status="in_force"' in body and 'data-status="none_in_force"' in body
    assert "4 awaited" in body  # Beta's round: nobody signed yet


def test_the_list_filters_by_state(client, tenant_a, admin_a, three):
    client.force_login(admin_a.user)
    assert _rows(_list(client, tenant_a, state="in_force")) == ["Alpha"]
    assert _rows(_list(client, tenant_a, state="none_in_force")) == ["Beta", "Gamma"]


def test_the_list_filters_by_relationship_manager_and_searches_customers(
    client, tenant_a, admin_a, three
):
    alpha, _beta = three
    client.force_login(admin_a.user)
    rm = alpha.customer.relationship_manager_id
    assert _rows(_list(client, tenant_a, relationship_manager=rm)) == ["Alpha"]
    assert _rows(_list(client, tenant_a, q="amm")) == ["Gamma"]


def test_the_list_sorts_by_signatures_pending_and_by_customer_descending(
    client, tenant_a, admin_a, three
):
    client.force_login(admin_a.user)
    assert _rows(_list(client, tenant_a, sort="-pending"))[0] == "Beta"
    assert _rows(_list(client, tenant_a, sort="-customer")) == ["Gamma", "Beta", "Alpha"]


def test_an_overdue_review_shows_in_the_list(client, tenant_a, admin_a, three):
    with in_tenant(tenant_a):
        Agreement.objects.filter(customer__name="Alpha").update(
            review_due=datetime.date(2020, 1, 1)
        )
    client.force_login(admin_a.user)
    assert _rows(_list(client, tenant_a, state="review_overdue")) == ["Alpha"]


def test_an_office_without_agreements_says_so_and_offers_to_start_one(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    body = _list(client, tenant_a).content.decode()
    assert "No agreements yet." in body and "Start the first one" in body


def test_a_filter_matching_nothing_says_so(client, tenant_a, admin_a, three):
    client.force_login(admin_a.user)
    assert (
        "No agreement matches these filters." in _list(client, tenant_a, q="zzz").content.decode()
    )


def test_read_only_roles_see_the_list_without_a_start_button(client, tenant_a, three):
    analyst = make_member(tenant_a, Role.ANALYST)
    client.force_login(analyst.user)
    response = _list(client, tenant_a)
    assert response.status_code == 200 and "Start an agreement" not in response.content.decode()


def test_the_staff_navigation_has_agreements(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    body = client.get(f"/t/{tenant_a.slug}/").content.decode()
    assert f'href="/t/{tenant_a.slug}/agreements/"' in body
