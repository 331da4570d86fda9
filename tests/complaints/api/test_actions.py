"""The complaint's actions through the API: acknowledge, assign, escalate, resolve, the thread,
and confirming, which is never a key's."""

import pytest

from brm.outbox.models import OutboxMessage
from complaints.models import Complaint, ComplaintMessage, Escalation
from customers.models import ActionItem
from tests.complaints.api.conftest import url
from tests.complaints.conftest import mails, refetch, resolve
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db

RESOLUTION = {
    "root_cause_category": "process",
    "root_cause": "The run was not scheduled after the upgrade.",
    "resolution": "Rescheduled and paid the same day.",
}


def test_acknowledging_a_new_complaint_emails_the_raiser_with_the_message(tenant_a, api, new):
    response = api.post(url(new, "acknowledge"), {"message": "We are on it."}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_at"] is not None
    with in_tenant(tenant_a):
        (mail,) = mails(f"complaint-acknowledged:{new.pk}")
        assert "We are on it." in mail.text and mail.to == [new.raiser_address]


def test_acknowledging_twice_is_a_400_saying_so(api, new):
    assert api.post(url(new, "acknowledge"), {}, format="json").status_code == 200
    response = api.post(url(new, "acknowledge"), {}, format="json")
    assert response.status_code == 400
    assert "acknowledged already" in str(response.json()["error"]["fields"])


def test_a_read_key_cannot_acknowledge(read_api, new):
    assert read_api.post(url(new, "acknowledge"), {}, format="json").status_code == 403


def test_assigning_an_owner_puts_the_complaint_in_progress(world, api, acknowledged):
    response = api.post(url(acknowledged, "assign"), {"owner": world.it_manager.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["owner"] == world.it_manager.pk
    assert response.json()["status"] == "in_progress"


def test_an_analyst_cannot_own_a_complaint_a_400_on_the_owner(world, api, acknowledged):
    response = api.post(url(acknowledged, "assign"), {"owner": world.analyst.pk}, format="json")
    assert response.status_code == 400
    assert "analyst" in response.json()["error"]["fields"]["owner"][0]


def test_an_owner_is_required_and_must_be_a_member_of_the_office(api, acknowledged):
    assert (
        "owner"
        in api.post(url(acknowledged, "assign"), {}, format="json").json()["error"]["fields"]
    )
    response = api.post(url(acknowledged, "assign"), {"owner": 987654321}, format="json")
    assert response.status_code == 400 and "owner" in response.json()["error"]["fields"]


def test_escalating_moves_one_level_up_with_the_note_and_the_new_owner(
    tenant_a, world, api, acknowledged
):
    body = {"note": "The customer's board is involved.", "owner": world.it_manager.pk}
    response = api.post(url(acknowledged, "escalate"), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["level"] == 2 and response.json()["owner"] == world.it_manager.pk
    assert response.json()["resolve_hours"] == "8.00"  # critical at level 2
    with in_tenant(tenant_a):
        (step,) = Escalation.objects.filter(complaint=acknowledged)
        assert step.reason == "staff_decision" and step.note == body["note"]


def test_escalating_to_the_steering_group_and_no_further(tenant_a, world, api, acknowledged):
    for _ in range(2):
        response = api.post(url(acknowledged, "escalate"), {"note": "Up."}, format="json")
        assert response.status_code == 200
    assert in_tenant(tenant_a, lambda: refetch(acknowledged).level) == 3
    response = api.post(url(acknowledged, "escalate"), {"note": "Up."}, format="json")
    assert response.status_code == 400


def test_escalating_without_a_note_is_a_400_on_the_note(api, acknowledged):
    response = api.post(url(acknowledged, "escalate"), {"note": " "}, format="json")
    assert response.status_code == 400 and "note" in response.json()["error"]["fields"]


def test_resolving_records_the_root_cause_and_makes_the_corrective_actions(
    tenant_a, world, api, acknowledged
):
    body = {**RESOLUTION, "actions": [{"title": "Add the run to the upgrade checklist"}]}
    response = api.post(url(acknowledged, "resolve"), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resolved"
    assert response.json()["root_cause_category"] == "process"
    with in_tenant(tenant_a):
        (item,) = ActionItem.objects.filter(source=ActionItem.Source.COMPLAINT)
        assert item.source_ref == acknowledged.reference
        assert mails(f"complaint-resolved:{acknowledged.pk}")


def test_resolving_without_root_cause_or_resolution_is_a_400_naming_each(api, acknowledged):
    response = api.post(url(acknowledged, "resolve"), {"root_cause_category": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {
        "root_cause_category",
        "root_cause",
        "resolution",
    }


def test_a_corrective_action_without_a_title_is_a_400(api, acknowledged):
    body = {**RESOLUTION, "actions": [{"description": "no title"}]}
    response = api.post(url(acknowledged, "resolve"), body, format="json")
    assert response.status_code == 400 and "actions" in response.json()["error"]["fields"]


def test_a_new_complaint_is_acknowledged_before_it_is_resolved(api, new):
    response = api.post(url(new, "resolve"), RESOLUTION, format="json")
    assert response.status_code == 400
    assert "Acknowledge" in str(response.json()["error"]["fields"])


def test_a_key_never_confirms_a_resolution_there_is_no_such_operation(
    tenant_a, world, api, acknowledged
):
    in_tenant(tenant_a, lambda: resolve(world, acknowledged))
    for action in ("confirm", "reject"):
        response = api.post(url(acknowledged, action), {"rating": 5}, format="json")
        assert response.status_code == 404
    paths = api.get("/api/v1/schema/?format=json").json()["paths"]
    assert not [p for p in paths if "complaints" in p and ("confirm" in p or "reject" in p)]
    assert in_tenant(tenant_a, lambda: refetch(acknowledged).status) == Complaint.Status.RESOLVED


def test_a_message_from_the_office_is_emailed_to_the_raiser(tenant_a, api, acknowledged):
    response = api.post(
        url(acknowledged, "messages"), {"body": "We rescheduled the run."}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["internal"] is False and response.json()["from_raiser"] is False
    assert response.json()["author_name"] == "service desk"
    with in_tenant(tenant_a):
        assert OutboxMessage.objects.filter(text__contains="We rescheduled the run.").count() == 1


def test_an_internal_note_is_listed_for_the_key_but_never_emailed_or_shown_to_the_raiser(
    tenant_a, api, acknowledged
):
    before = in_tenant(tenant_a, lambda: OutboxMessage.objects.count())
    body = {"body": "The vendor is at fault, keep it internal.", "internal": True}
    assert api.post(url(acknowledged, "messages"), body, format="json").status_code == 201
    thread = api.get(url(acknowledged, "messages")).json()
    assert [m["internal"] for m in thread] == [True]
    with in_tenant(tenant_a):
        from complaints import selectors

        assert OutboxMessage.objects.count() == before
        assert list(selectors.complaint_messages_for_raiser(acknowledged)) == []
        assert ComplaintMessage.objects.filter(internal=True).count() == 1


def test_an_empty_message_is_a_400_on_the_body(api, acknowledged):
    response = api.post(url(acknowledged, "messages"), {"body": ""}, format="json")
    assert response.status_code == 400 and "body" in response.json()["error"]["fields"]


def test_the_thread_is_oldest_first_with_the_raisers_replies(tenant_a, world, api, acknowledged):
    from complaints import services

    with in_tenant(tenant_a):
        services.complaint_message_add(complaint=acknowledged, actor=world.rm, body="First")
        services.complaint_message_add(
            complaint=acknowledged, actor=world.business_manager, body="Reply"
        )
    thread = api.get(url(acknowledged, "messages")).json()
    assert [(m["body"], m["from_raiser"]) for m in thread] == [("First", False), ("Reply", True)]


def test_a_read_key_reads_the_thread_but_cannot_write_in_it(read_api, acknowledged):
    assert read_api.get(url(acknowledged, "messages")).status_code == 200
    response = read_api.post(url(acknowledged, "messages"), {"body": "x"}, format="json")
    assert response.status_code == 403
