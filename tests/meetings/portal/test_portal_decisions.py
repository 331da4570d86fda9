"""Approving on the portal: the accountable customer approves or rejects after a confirmation
step; a purchaser, another customer login, or anyone on an IT decision sees no button, and a
POST is refused (403) with the reason, the decision unchanged."""

import pytest
from django.urls import reverse

from meetings.models import Decision
from tests.kit import assert_audited, refreshed
from tests.meetings.builders import business_decision, held, it_decision, one_off

pytestmark = pytest.mark.django_db


def _url(name, tenant, decision):
    return reverse(f"meetings:{name}", kwargs={"tenant_slug": tenant.slug, "pk": decision.pk})


def test_the_accountable_customer_approves_after_confirming(client, tenant_a, mworld):
    decision = business_decision(mworld, held(mworld))
    client.force_login(mworld.business_manager.user)
    detail = client.get(_url("portal_decision", tenant_a, decision)).content.decode()
    assert _url("portal_decision_approve", tenant_a, decision) in detail
    confirm = client.get(_url("portal_decision_approve", tenant_a, decision))
    assert "I approve “Fund the new ERP”" in confirm.content.decode()
    assert refreshed(decision).status == Decision.Status.PROPOSED  # asking changes nothing
    response = client.post(
        _url("portal_decision_approve", tenant_a, decision), {"note": "Within budget."}
    )
    assert response.status_code == 302
    decision = refreshed(decision)
    assert decision.status == Decision.Status.APPROVED
    assert decision.decided_by == mworld.business_manager.user
    assert decision.decision_note == "Within budget."
    assert_audited(tenant_a, "decision.decided", obj=decision, actor=mworld.business_manager.user)
    page = client.get(response["Location"]).content.decode()
    assert "You approved “Fund the new ERP”." in page


def test_the_accountable_customer_rejects_after_confirming(client, tenant_a, mworld):
    decision = business_decision(mworld)
    client.force_login(mworld.business_manager.user)
    confirm = client.get(_url("portal_decision_reject", tenant_a, decision))
    assert "I reject" in confirm.content.decode()
    client.post(_url("portal_decision_reject", tenant_a, decision), {"note": "Not this year."})
    assert refreshed(decision).status == Decision.Status.REJECTED


def test_another_customer_login_sees_no_button_and_is_refused(client, tenant_a, mworld):
    decision = business_decision(mworld)  # Bea is accountable
    client.force_login(mworld.line_manager.user)  # Lina holds the mandate too, but is not Bea
    detail = client.get(_url("portal_decision", tenant_a, decision)).content.decode()
    assert _url("portal_decision_approve", tenant_a, decision) not in detail
    assert "Only Bea Budget, who is accountable, can approve this decision." in detail
    response = client.post(_url("portal_decision_approve", tenant_a, decision))
    assert response.status_code == 403
    assert "Only Bea Budget, who is accountable" in response.content.decode()
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_a_purchaser_sees_the_decisions_of_their_meetings_and_approves_none(
    client, tenant_a, mworld
):
    meeting = one_off(mworld, contacts=[mworld.paul, mworld.bea])
    decision = business_decision(mworld, meeting)
    client.force_login(mworld.purchaser.user)
    listing = client.get(
        reverse("meetings:portal_decision_list", kwargs={"tenant_slug": tenant_a.slug})
    )
    assert "Fund the new ERP" in listing.content.decode()
    assert _url("portal_decision_approve", tenant_a, decision) not in listing.content.decode()
    meeting_page = client.get(
        reverse("meetings:portal_meeting", kwargs={"tenant_slug": "tenant-a", "pk": meeting.pk})
    )
    assert _url("portal_decision_approve", tenant_a, decision) not in meeting_page.content.decode()
    for name in ("portal_decision_approve", "portal_decision_reject"):
        response = client.post(_url(name, tenant_a, decision))
        assert response.status_code == 403
        assert "A purchaser has no budget mandate and cannot approve decisions." in (
            response.content.decode()
        )
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_a_purchaser_does_not_see_decisions_of_meetings_they_were_not_in(client, tenant_a, mworld):
    decision = business_decision(mworld, one_off(mworld))
    log_only = business_decision(mworld, title="Outside any meeting")
    client.force_login(mworld.purchaser.user)
    assert client.get(_url("portal_decision", tenant_a, decision)).status_code == 404
    assert client.post(_url("portal_decision_approve", tenant_a, decision)).status_code == 404
    assert client.get(_url("portal_decision", tenant_a, log_only)).status_code == 404


def test_an_it_decision_is_not_approved_on_the_portal(client, tenant_a, mworld):
    decision = it_decision(mworld)
    client.force_login(mworld.business_manager.user)
    assert _url("portal_decision_approve", tenant_a, decision) not in (
        client.get(_url("portal_decision", tenant_a, decision)).content.decode()
    )
    assert client.post(_url("portal_decision_approve", tenant_a, decision)).status_code == 403
    assert refreshed(decision).status == Decision.Status.PROPOSED


def test_a_decided_decision_is_not_decided_again(client, tenant_a, mworld):
    decision = business_decision(mworld)
    client.force_login(mworld.business_manager.user)
    client.post(_url("portal_decision_approve", tenant_a, decision))
    response = client.post(_url("portal_decision_reject", tenant_a, decision))
    assert response.status_code == 403
    assert "This decision was already approved." in response.content.decode()
    assert refreshed(decision).status == Decision.Status.APPROVED


def test_the_decision_log_lists_awaiting_decisions_first(client, tenant_a, mworld):
    decided = business_decision(mworld, title="Decided earlier")
    client.force_login(mworld.business_manager.user)
    client.post(_url("portal_decision_approve", tenant_a, decided), follow=True)  # its message
    business_decision(mworld, title="Awaiting now")
    body = client.get(
        reverse("meetings:portal_decision_list", kwargs={"tenant_slug": tenant_a.slug})
    ).content.decode()
    assert body.index("Awaiting now") < body.index("Decided earlier")


def test_a_note_longer_than_the_form_allows_re_renders_the_confirmation(client, tenant_a, mworld):
    decision = business_decision(mworld)
    client.force_login(mworld.business_manager.user)
    url = _url("portal_decision_approve", tenant_a, decision)
    response = client.post(url, {"note": "x" * 2001})
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert refreshed(decision).status == Decision.Status.PROPOSED
