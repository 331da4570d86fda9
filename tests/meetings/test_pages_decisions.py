"""The decision log (per customer, linked from the customer page) and a decision's page: the
accountable IT manager or steering member approves or rejects after a confirmation; anyone else
sees why not and is refused."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Decision
from tests.kit import assert_audited, in_tenant, refreshed
from tests.meetings.pages import held, signed_in, url

pytestmark = pytest.mark.django_db


def _decision(mworld, **overrides):
    meeting = held(mworld)
    data = {
        "customer": mworld.customer,
        "meeting": meeting,
        "title": "Replace the payroll servers",
        "kind": "it",
        "accountable_member": mworld.it_manager,
    }
    data.update(overrides)
    with in_tenant(mworld.customer.tenant_id):
        return services.decision_create(actor=mworld.rm.user, **data)


def test_the_customers_decision_log_lists_its_decisions_only(client, tenant_a, mworld):
    from tests.factories import CustomerFactory

    _decision(mworld)
    other = CustomerFactory(tenant=tenant_a, name="Sales", relationship_manager=mworld.rm)
    log = url(tenant_a, "decision_log") + f"?customer={mworld.customer.pk}"
    body = signed_in(client, mworld.rm).get(log).content.decode()
    assert "Replace the payroll servers" in body and "Decision log of Finance" in body
    body = client.get(url(tenant_a, "decision_log") + f"?customer={other.pk}").content.decode()
    assert "Replace the payroll servers" not in body and "No decision matches" in body


def test_the_customer_page_links_to_its_decision_log(client, tenant_a, mworld):
    page = reverse(
        "customers:customer_detail", kwargs={"tenant_slug": tenant_a.slug, "pk": mworld.customer.pk}
    )
    body = signed_in(client, mworld.rm).get(page).content.decode()
    assert url(tenant_a, "decision_log") + f"?customer={mworld.customer.pk}" in body


def test_the_accountable_it_manager_approves_after_confirming(client, tenant_a, mworld):
    decision = _decision(mworld)
    signed_in(client, mworld.it_manager)
    page = client.get(url(tenant_a, "decision_detail", pk=decision.pk)).content.decode()
    decide = url(tenant_a, "decision_decide", pk=decision.pk)
    assert decide in page
    assert "Confirm my decision" in client.get(decide + "?outcome=approve").content.decode()
    assert refreshed(decision).status == Decision.Status.PROPOSED
    answer = client.post(decide, {})
    assert answer.status_code == 200 and "This field is required." in answer.content.decode()
    assert client.post(decide, {"outcome": "approve", "note": "Go"}).status_code == 302
    decision = refreshed(decision)
    assert decision.status == Decision.Status.APPROVED
    assert (decision.decided_by_id, decision.decision_note) == (mworld.it_manager.user_id, "Go")
    assert_audited(tenant_a, "decision.decided", obj=decision, actor=mworld.it_manager.user)


def test_the_accountable_steering_member_rejects(client, tenant_a, mworld):
    decision = _decision(mworld, accountable_member=mworld.steering)
    signed_in(client, mworld.steering)
    client.post(url(tenant_a, "decision_decide", pk=decision.pk), {"outcome": "reject"})
    assert refreshed(decision).status == Decision.Status.REJECTED


@pytest.mark.parametrize("who", ["rm", "steering"])
def test_anyone_but_the_accountable_person_sees_why_not_and_is_refused(
    client, tenant_a, mworld, who
):
    decision = _decision(mworld)
    signed_in(client, getattr(mworld, who))
    page = client.get(url(tenant_a, "decision_detail", pk=decision.pk)).content.decode()
    assert "who is accountable, can approve this decision." in page
    decide = url(tenant_a, "decision_decide", pk=decision.pk)
    assert decide not in page
    assert "who is accountable" in client.get(decide).content.decode()
    assert client.post(decide, {"outcome": "approve"}).status_code == 403
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_a_business_decision_is_not_approved_on_the_staff_pages(client, tenant_a, mworld):
    decision = _decision(
        mworld, kind="business", accountable_member=None, accountable_contact=mworld.bea
    )
    signed_in(client, mworld.it_manager)
    page = client.get(url(tenant_a, "decision_detail", pk=decision.pk)).content.decode()
    assert "Only Bea Budget, who is accountable, can approve this decision." in page
    decide = url(tenant_a, "decision_decide", pk=decision.pk)
    assert client.post(decide, {"outcome": "approve"}).status_code == 403
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_a_decided_decision_says_so_and_is_not_decided_twice(client, tenant_a, mworld):
    decision = _decision(mworld)
    with in_tenant(tenant_a):
        services.decision_decide(decision=decision, membership=mworld.it_manager, approve=True)
    signed_in(client, mworld.it_manager)
    decide = url(tenant_a, "decision_decide", pk=decision.pk)
    assert "already approved" in client.get(decide).content.decode()
    assert client.post(decide, {"outcome": "reject"}).status_code == 403
    assert refreshed(decision).status == Decision.Status.APPROVED
