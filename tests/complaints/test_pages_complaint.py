"""The staff complaint page: the timeline with internal notes marked, the targets and the route,
and each action as a form that calls its service (a refusal re-renders the form with its
message). The steering group acts at level 3 only; the RM a complaint is about gets a 404."""

import pytest

from complaints import services
from complaints.models import Complaint
from customers.models import ActionItem
from tests.complaints.conftest import receive, working
from tests.complaints.pages import body, signed_in, url
from tests.kit import assert_page_queries, in_tenant, refreshed

pytestmark = pytest.mark.django_db

# The complaint (with its customer's RM), the timeline (events, messages, their files), the
# office calendar (its row, its holidays), the clock's spans, the route's people at levels 2
# and 3, and the files outside messages.
DETAIL_QUERIES = 10


def _complaint(tenant, world, **values):
    with in_tenant(tenant):
        return receive(world, **values)


def test_the_complaint_page_shows_the_timeline_with_internal_notes_marked(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        working(world, complaint)
        services.complaint_message_add(complaint=complaint, actor=world.rm, body="We are on it")
        services.complaint_message_add(
            complaint=complaint, actor=world.rm, body="Forgot the schedule", internal=True
        )
    page = body(signed_in(client, world.rm).get(url(tenant_a, "complaint_detail", pk=complaint.pk)))
    assert "We are on it" in page
    assert "Forgot the schedule" in page
    note_at = page.index("Forgot the schedule")
    assert ">internal</span>" in page[note_at - 400 : note_at]
    assert "Acknowledged" in page and "Received" in page
    assert "Level 1: the relationship manager" in page
    assert "Ivo IT" in page  # the IT managers, level 2 of the route


def test_the_page_reads_the_same_number_of_queries_with_a_longer_timeline(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        services.complaint_message_add(complaint=complaint, actor=world.rm, body="First")
    path = url(tenant_a, "complaint_detail", pk=complaint.pk)
    signed_in(client, world.rm)
    assert_page_queries(client, path, own=DETAIL_QUERIES)
    with in_tenant(tenant_a):
        working(world, complaint)
        for i in range(4):
            services.complaint_message_add(complaint=complaint, actor=world.rm, body=f"M {i}")
        services.complaint_escalate(complaint=complaint, actor=world.rm, note="To IT")
    assert_page_queries(client, path, own=DETAIL_QUERIES)


def test_a_complaint_about_the_rm_is_a_404_for_that_rm(client, tenant_a, world):
    complaint = _complaint(tenant_a, world, about_rm=True, actor=world.admin)
    signed_in(client, world.rm)
    assert client.get(url(tenant_a, "complaint_detail", pk=complaint.pk)).status_code == 404
    assert client.get(url(tenant_a, "acknowledge", pk=complaint.pk)).status_code == 404


def test_acknowledging_from_the_page_moves_the_status_and_says_so(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    signed_in(client, world.rm)
    path = url(tenant_a, "acknowledge", pk=complaint.pk)
    assert "The raiser is emailed" in body(client.get(path))
    response = client.post(path, {"message": "On it"}, follow=True)
    assert "Acknowledged: the raiser is told" in body(response)
    assert refreshed(complaint).status == Complaint.Status.ACKNOWLEDGED


def test_acknowledging_twice_re_renders_the_form_with_the_refusal(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        working(world, complaint)
    response = signed_in(client, world.rm).post(url(tenant_a, "acknowledge", pk=complaint.pk))
    assert response.status_code == 200
    assert "This complaint was acknowledged already." in body(response)


def test_a_severity_change_without_a_reason_re_renders_with_the_message(client, tenant_a, world):
    complaint = _complaint(tenant_a, world, severity="critical")
    signed_in(client, world.rm)
    path = url(tenant_a, "severity", pk=complaint.pk)
    response = client.post(path, {"severity": "low", "reason": ""})
    assert response.status_code == 200
    assert "is-invalid" in body(response)
    assert refreshed(complaint).severity == "critical"
    client.post(path, {"severity": "low", "reason": "Only one person affected"})
    assert refreshed(complaint).severity == "low"


def test_assigning_waiting_and_resuming_from_the_pages(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        working(world, complaint)
    signed_in(client, world.rm)
    client.post(url(tenant_a, "assign", pk=complaint.pk), {"owner": world.it_manager.pk})
    assert refreshed(complaint).owner_id == world.it_manager.pk
    client.post(url(tenant_a, "wait", pk=complaint.pk), {"question": "Which run?"})
    assert refreshed(complaint).status == Complaint.Status.WAITING_ON_RAISER
    resume = url(tenant_a, "resume", pk=complaint.pk)
    assert "run the clocks again?" in body(client.get(resume))
    client.post(resume)
    assert refreshed(complaint).status != Complaint.Status.WAITING_ON_RAISER
    assert "is not waiting on the raiser" in body(client.get(resume))


def test_a_reply_and_an_internal_note_from_the_page(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        working(world, complaint)
    signed_in(client, world.rm)
    client.post(url(tenant_a, "reply", pk=complaint.pk), {"body": "We are on it"})
    client.post(url(tenant_a, "note", pk=complaint.pk), {"body": "Staff only"})
    with in_tenant(tenant_a):
        messages = list(complaint.messages.order_by("created_at").values_list("body", "internal"))
    assert messages == [("We are on it", False), ("Staff only", True)]
    response = client.post(url(tenant_a, "reply", pk=complaint.pk), {"body": ""})
    assert response.status_code == 200 and "is-invalid" in body(response)


def test_escalating_from_the_page_needs_a_note_and_moves_one_level(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    signed_in(client, world.rm)
    path = url(tenant_a, "escalate", pk=complaint.pk)
    assert "is-invalid" in body(client.post(path, {"note": ""}))
    response = client.post(path, {"note": "Needs IT"}, follow=True)
    assert "Escalated to level 2." in body(response)
    assert refreshed(complaint).level == 2


def test_resolving_from_the_page_makes_the_corrective_action_items(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        working(world, complaint)
    signed_in(client, world.rm)
    path = url(tenant_a, "resolve", pk=complaint.pk)
    response = client.post(path, {"root_cause_category": "process", "root_cause": "x"})
    assert response.status_code == 200 and "is-invalid" in body(response)
    client.post(
        path,
        {
            "root_cause_category": "process",
            "root_cause": "Not scheduled after the upgrade",
            "resolution": "Rescheduled",
            "actions": "Add a check to the upgrade plan\n\nReview the runbook",
            "actions_owner": world.it_manager.pk,
        },
    )
    assert refreshed(complaint).status == Complaint.Status.RESOLVED
    with in_tenant(tenant_a):
        items = set(
            ActionItem.objects.filter(source=ActionItem.Source.COMPLAINT).values_list(
                "title", flat=True
            )
        )
    assert items == {"Add a check to the upgrade plan", "Review the runbook"}


def test_resolving_a_new_complaint_re_renders_with_the_refusal(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    response = signed_in(client, world.rm).post(
        url(tenant_a, "resolve", pk=complaint.pk),
        {"root_cause_category": "process", "root_cause": "x", "resolution": "y"},
    )
    assert "Acknowledge the complaint before resolving it." in body(response)


def test_the_steering_group_acts_only_on_a_complaint_at_level_3(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    with in_tenant(tenant_a):
        working(world, complaint)
    steering = world.steering[0]
    signed_in(client, steering)
    note = url(tenant_a, "note", pk=complaint.pk)
    assert client.get(url(tenant_a, "complaint_detail", pk=complaint.pk)).status_code == 200
    assert client.post(note, {"body": "x"}).status_code == 403
    with in_tenant(tenant_a):
        services.complaint_escalate(complaint=complaint, actor=world.rm, note="To IT")
        services.complaint_escalate(complaint=complaint, actor=world.it_manager, note="To SG")
    assert client.post(note, {"body": "We look at it"}).status_code == 302
    page = body(client.get(url(tenant_a, "complaint_detail", pk=complaint.pk)))
    assert "We look at it" in page


def test_an_analyst_reads_the_page_without_any_action(client, tenant_a, world):
    complaint = _complaint(tenant_a, world)
    signed_in(client, world.analyst)
    page = body(client.get(url(tenant_a, "complaint_detail", pk=complaint.pk)))
    assert url(tenant_a, "acknowledge", pk=complaint.pk) not in page
    assert client.post(url(tenant_a, "acknowledge", pk=complaint.pk)).status_code == 403
