"""/api/v1/notices/ and /api/v1/communication-plan/: an IT service management tool posts a
planned maintenance or a major incident and its updates, the audience by customer ids and
roles; filters; bad input is a 400 naming the field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import OutboxMessage
from meetings import communications
from meetings.models import Notice
from tests.kit import api_client, assert_api_queries, in_tenant
from tests.meetings.workers import run_due

pytestmark = pytest.mark.django_db


def _maintenance(cworld, **overrides):
    starts = timezone.now() + timedelta(days=2)
    body = {
        "kind": "planned_maintenance",
        "subject": "Storage firmware",
        "body": "Storage is updated.",
        "window_starts_at": starts.isoformat(),
        "window_ends_at": (starts + timedelta(hours=3)).isoformat(),
        "customer_ids": [cworld.finance.pk, cworld.sales.pk],
        "roles": ["business_manager"],
        "send": True,
    }
    body.update(overrides)
    return body


def test_a_tool_posts_a_maintenance_and_it_is_sent(tenant_a, cworld):
    response = api_client(tenant_a).post("/api/v1/notices/", _maintenance(cworld), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "sent" and data["source"] == "api"
    run_due(tenant_a, timezone.now() + timedelta(seconds=1), communications.NOTICE_FANOUT)
    with in_tenant(tenant_a):
        mails = OutboxMessage.objects.filter(key__startswith=f"notice-{data['id']}:")
        assert sorted(m.to[0] for m in mails) == ["bea@finance.example", "sam@sales.example"]


def test_a_major_incident_and_its_updates_through_the_api(tenant_a, cworld):
    api = api_client(tenant_a)
    body = _maintenance(
        cworld,
        kind="major_incident",
        subject="Mail down",
        window_starts_at=None,
        window_ends_at=None,
    )
    notice = api.post("/api/v1/notices/", body, format="json").json()
    answer = api.post(
        f"/api/v1/notices/{notice['id']}/updates/",
        {"stage": "investigating", "body": "We are looking."},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert [u["stage"] for u in answer.json()["updates"]] == ["investigating"]
    bad = api.post(f"/api/v1/notices/{notice['id']}/updates/", {"stage": "maybe"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"stage", "body"}


def test_a_draft_is_sent_with_send(tenant_a, cworld):
    api = api_client(tenant_a)
    notice = api.post("/api/v1/notices/", _maintenance(cworld, send=False), format="json").json()
    assert notice["status"] == "draft"
    assert api.post(f"/api/v1/notices/{notice['id']}/send/").json()["status"] == "sent"
    again = api.post(f"/api/v1/notices/{notice['id']}/send/")
    assert again.status_code == 400


@pytest.mark.parametrize(
    "change, field",
    [
        ({"window_starts_at": None}, "window_starts_at"),
        ({"customer_ids": [987654321]}, "customer_ids"),
        ({"customer_ids": ["x"]}, "customer_ids"),
        ({"roles": ["boss"]}, "roles"),
        ({"kind": "gossip"}, "kind"),
        ({"window_ends_at": "9999-12-31T00:00:00Z"}, "window_ends_at"),
        ({"customer_ids": [], "service": None}, "customer_ids"),
        ({"resolve": "hand", "contact_ids": []}, "contact_ids"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(tenant_a, cworld, change, field):
    response = api_client(tenant_a).post(
        "/api/v1/notices/", _maintenance(cworld, **change), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]


def test_a_read_key_cannot_send(tenant_a, cworld):
    response = api_client(tenant_a, scope="read").post(
        "/api/v1/notices/", _maintenance(cworld), format="json"
    )
    assert response.status_code == 403


def test_notices_filter_by_customer_kind_status_and_sent_between(tenant_a, cworld):
    api = api_client(tenant_a)
    api.post("/api/v1/notices/", _maintenance(cworld), format="json")
    api.post(
        "/api/v1/notices/",
        _maintenance(
            cworld,
            kind="general",
            window_starts_at=None,
            window_ends_at=None,
            customer_ids=[cworld.sales.pk],
            send=False,
        ),
        format="json",
    )
    # The filter's days are the office's (near midnight, not the server's).
    today = timezone.localdate(timezone=tenant_a.zone)
    today, tomorrow = today.isoformat(), (today + timedelta(days=1)).isoformat()

    def subjects(query):
        return sorted(n["kind"] for n in api.get(f"/api/v1/notices/?{query}").json()["results"])

    assert subjects(f"customer={cworld.finance.pk}") == ["planned_maintenance"]
    assert subjects(f"customer={cworld.sales.pk}") == ["general", "planned_maintenance"]
    assert subjects("kind=general") == ["general"]
    assert subjects("status=draft") == ["general"]
    assert subjects(f"sent_after={today}&sent_before={tomorrow}") == ["planned_maintenance"]
    assert api.get("/api/v1/notices/?kind=gossip").status_code == 400


def test_the_plan_through_the_api(tenant_a, cworld):
    api = api_client(tenant_a)
    body = {
        "customer": cworld.sales.pk,
        "topic": "service_report",
        "roles": ["business_manager"],
        "contact_ids": [cworld.pia.pk],
        "frequency": "monthly",
        "owner": cworld.m.rm.pk,
        "next_due": "2027-02-01",
    }
    created = api.post("/api/v1/communication-plan/", body, format="json")
    assert created.status_code == 201, created.json()
    entry = created.json()
    listed = api.get(f"/api/v1/communication-plan/?customer={cworld.sales.pk}").json()
    assert [e["id"] for e in listed["results"]] == [entry["id"]]
    patched = api.patch(
        f"/api/v1/communication-plan/{entry['id']}/", {"frequency": "quarterly"}, format="json"
    )
    assert patched.json()["frequency"] == "quarterly"
    wrong = api.post(
        "/api/v1/communication-plan/",
        {**body, "contact_ids": [cworld.m.bea.pk], "next_due": "1999-01-01"},
        format="json",
    )
    assert wrong.status_code == 400
    assert set(wrong.json()["error"]["fields"]) >= {"next_due"}
    unknown_contact = api.post(
        "/api/v1/communication-plan/", {**body, "contact_ids": [cworld.m.bea.pk]}, format="json"
    )
    assert "contact_ids" in unknown_contact.json()["error"]["fields"]
    assert api.delete(f"/api/v1/communication-plan/{entry['id']}/").status_code == 204


def test_the_notice_list_reads_a_fixed_number_of_queries(tenant_a, cworld):
    api = api_client(tenant_a)
    for _ in range(2):
        api.post("/api/v1/notices/", _maintenance(cworld), format="json")
        with in_tenant(tenant_a):
            communications.plan_entry_create(
                customer=cworld.sales,
                actor=None,
                topic="newsletter",
                roles=["all_contacts"],
                frequency="monthly",
                owner=cworld.m.rm,
            )
        assert_api_queries(api, "/api/v1/notices/", own=2)
        assert_api_queries(api, "/api/v1/communication-plan/", own=2)


def test_an_unsent_notice_has_no_recipients(tenant_a, cworld):
    api_client(tenant_a).post("/api/v1/notices/", _maintenance(cworld, send=False), format="json")
    with in_tenant(tenant_a):
        assert Notice.objects.get().recipient_count == 0
