"""The raiser's answers in the portal: a reply, a request for escalation with a reason, and
confirming (with an optional rating) or rejecting (with a reason) a resolution, each after a
confirmation step; a refusal re-renders with its message."""

import pytest

from complaints.models import Complaint
from tests.complaints.conftest import receive, resolve, working
from tests.complaints.pages import body, pdf, signed_in, url
from tests.kit import in_tenant, refreshed

pytestmark = pytest.mark.django_db


def _resolved(tenant, world):
    with in_tenant(tenant):
        complaint = receive(world, raiser_contact=world.paul)
        working(world, complaint)
        return resolve(world, complaint)


def test_the_raiser_replies_with_a_file(client, tenant_a, world):
    with in_tenant(tenant_a):
        complaint = working(world, receive(world, raiser_contact=world.paul))
    signed_in(client, world.purchaser)
    client.post(url(tenant_a, "portal_reply", pk=complaint.pk), {"body": "Here", "file": pdf()})
    page = body(client.get(url(tenant_a, "portal_complaint", pk=complaint.pk)))
    assert "Here" in page and "report.pdf" in page


def test_asking_for_escalation_needs_a_reason_and_moves_one_level(client, tenant_a, world):
    with in_tenant(tenant_a):
        complaint = receive(world, raiser_contact=world.paul)
    signed_in(client, world.purchaser)
    path = url(tenant_a, "portal_escalate", pk=complaint.pk)
    assert "one level up the route" in body(client.get(path))
    assert "is-invalid" in body(client.post(path, {"reason": ""}))
    assert refreshed(complaint).level == 1
    response = client.post(path, {"reason": "Nothing happens"}, follow=True)
    assert "Escalated to level 2." in body(response)
    assert refreshed(complaint).level == 2


def test_the_raiser_confirms_the_resolution_with_a_rating(client, tenant_a, world):
    complaint = _resolved(tenant_a, world)
    signed_in(client, world.purchaser)
    assert "Confirm the resolution" in body(
        client.get(url(tenant_a, "portal_complaint", pk=complaint.pk))
    )
    path = url(tenant_a, "portal_confirm", pk=complaint.pk)
    assert "is-invalid" in body(client.post(path, {"rating": "9"}))
    client.post(path, {"rating": "4"})
    complaint = refreshed(complaint)
    assert (complaint.status, complaint.rating) == (Complaint.Status.CLOSED_CONFIRMED, 4)


def test_confirming_without_a_rating_closes_it_too(client, tenant_a, world):
    complaint = _resolved(tenant_a, world)
    signed_in(client, world.purchaser).post(url(tenant_a, "portal_confirm", pk=complaint.pk), {})
    complaint = refreshed(complaint)
    assert (complaint.status, complaint.rating) == (Complaint.Status.CLOSED_CONFIRMED, None)


def test_rejecting_needs_a_reason_and_reopens_it(client, tenant_a, world):
    complaint = _resolved(tenant_a, world)
    signed_in(client, world.purchaser)
    path = url(tenant_a, "portal_reject", pk=complaint.pk)
    assert "is-invalid" in body(client.post(path, {"reason": ""}))
    client.post(path, {"reason": "Still failing"})
    assert refreshed(complaint).status == Complaint.Status.REOPENED


def test_confirming_a_complaint_that_is_not_resolved_re_renders_with_the_refusal(
    client, tenant_a, world
):
    with in_tenant(tenant_a):
        complaint = receive(world, raiser_contact=world.paul)
    response = signed_in(client, world.purchaser).post(
        url(tenant_a, "portal_confirm", pk=complaint.pk), {"rating": "5"}
    )
    assert response.status_code == 200
    assert "There is no resolution to confirm." in body(response)
