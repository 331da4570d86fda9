"""/api/v1/decisions/: recorded through the service (a purchaser is never accountable); approval
only by the accountable person signed in: an API key is always refused."""

import pytest
from django.test import Client

from meetings.models import Decision
from tests.kit import api_client, refreshed
from tests.meetings.builders import business_decision, it_decision

pytestmark = pytest.mark.django_db


def _browser(member, tenant):
    """A signed-in staff member whose last staff page was in `tenant` (CSRF not enforced)."""
    client = Client()
    client.force_login(member.user)
    assert client.get(f"/t/{tenant.slug}/", headers={"Sec-Fetch-Site": "none"}).status_code == 200
    return client


def test_a_business_decision_is_recorded_awaiting_approval(tenant_a, mworld):
    body = {
        "customer": mworld.customer.pk,
        "title": "Fund the new ERP",
        "kind": "business",
        "accountable_contact": mworld.bea.pk,
    }
    response = api_client(tenant_a).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "proposed"
    assert response.json()["accountable_member"] is None


def test_a_purchaser_is_never_accountable(tenant_a, mworld):
    body = {
        "customer": mworld.customer.pk,
        "title": "Order laptops",
        "kind": "business",
        "accountable_contact": mworld.paul.pk,
    }
    response = api_client(tenant_a).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 400
    assert (
        "a purchaser never approves" in response.json()["error"]["fields"]["accountable_contact"][0]
    )


def test_an_it_decision_names_an_it_manager_or_steering_member(tenant_a, mworld):
    body = {
        "customer": mworld.customer.pk,
        "title": "Retire the old ERP",
        "kind": "it",
        "accountable_member": mworld.rm.pk,
    }
    response = api_client(tenant_a).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 400
    assert "accountable_member" in response.json()["error"]["fields"]


@pytest.mark.parametrize("scope", ["write", "read"])
@pytest.mark.parametrize("verb", ["approve", "reject"])
def test_an_api_key_never_approves_or_rejects(tenant_a, mworld, scope, verb):
    decision = business_decision(mworld)
    response = api_client(tenant_a, scope).post(f"/api/v1/decisions/{decision.pk}/{verb}/")
    assert response.status_code == 403
    assert "an API key is no person" in response.json()["error"]["detail"]
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_another_offices_decision_is_not_found_even_to_refuse(tenant_a, tenant_b, mworld):
    decision = business_decision(mworld)
    response = api_client(tenant_b).post(f"/api/v1/decisions/{decision.pk}/approve/")
    assert response.status_code == 404


def test_the_accountable_it_manager_approves_in_their_browser_session(tenant_a, mworld):
    decision = it_decision(mworld)
    client = _browser(mworld.it_manager, tenant_a)
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/approve/",
        {"note": "Agreed in the board."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by_name"] == "Ivo IT"
    assert refreshed(decision).decision_note == "Agreed in the board."


def test_an_accountable_steering_member_decides_though_their_role_only_reads(tenant_a, mworld):
    decision = it_decision(mworld, member=mworld.steering)
    client = _browser(mworld.steering, tenant_a)
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/reject/", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert refreshed(decision).status == Decision.Status.REJECTED


def test_another_staff_member_is_refused_in_their_session(tenant_a, mworld):
    decision = it_decision(mworld)
    client = _browser(mworld.rm, tenant_a)
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/approve/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["detail"] == (
        "Only Ivo IT (IT manager), who is accountable, can approve this decision."
    )
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_a_note_that_is_not_text_is_a_400(tenant_a, mworld):
    decision = it_decision(mworld)
    client = _browser(mworld.it_manager, tenant_a)
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/approve/", {"note": 5}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    assert refreshed(decision).status == Decision.Status.PROPOSED
