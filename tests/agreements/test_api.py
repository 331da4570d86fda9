"""The agreements over the REST API: agreements with their state, versions with their sections,
drafts changed as one document, submit / withdraw / revise, the PDF, and no signing at all."""

import hashlib

import pytest

from agreements import services
from agreements.models import Agreement, AgreementVersion, PartnerPlanRow, Signature
from brm.pdf.seal import verify_pdf
from tests import kit
from tests.agreements.conftest import make_draft

pytestmark = pytest.mark.django_db

Status = AgreementVersion.Status


@pytest.fixture
def api(tenant_a):
    return kit.api_client(tenant_a, "write")


@pytest.fixture
def draft_a(tenant_a, world):
    return kit.in_tenant(tenant_a, lambda: make_draft(world))


def _signers(world) -> dict:
    return {role: m.pk for role, m in world.signers.items()}


def test_creating_an_agreement_makes_its_first_draft(api, tenant_a, customer_record):
    response = api.post(
        "/api/v1/agreements/",
        {"customer": customer_record.pk, "relationship_philosophy": "Partners."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["customer"] == customer_record.pk and body["customer_name"] == "Finance"
    assert body["state"] == "none_in_force" and body["pending_signatures"] == 0
    draft = api.get(f"/api/v1/agreement-versions/{body['latest_version_id']}/").json()
    assert (draft["number"], draft["status"]) == (1, "draft")
    assert draft["relationship_philosophy"] == "Partners."
    kit.assert_audited(tenant_a, "agreement.created")


def test_a_second_agreement_for_the_customer_is_a_400(api, draft_a, customer_record):
    response = api.post("/api/v1/agreements/", {"customer": customer_record.pk}, format="json")
    assert response.status_code == 400
    assert "has an agreement already" in str(response.json()["error"]["fields"])


def test_agreements_list_with_their_state_and_filter_by_customer_and_state(
    api, tenant_a, history, rm_a
):
    from tests.factories import AgreementFactory, CustomerFactory

    other = CustomerFactory(tenant=tenant_a, name="Logistics", relationship_manager=rm_a)
    AgreementFactory(customer=other)
    rows = api.get("/api/v1/agreements/").json()["results"]
    assert [(r["customer_name"], r["state"]) for r in rows] == [
        ("Finance", "in_force_newer_in_signature"),
        ("Logistics", "none_in_force"),
    ]
    finance = rows[0]
    assert (finance["in_force_version"], finance["in_signature_version"]) == (1, 2)
    assert finance["pending_signatures"] == 2
    assert finance["latest_version_id"] == history.in_signature.pk
    by_state = api.get("/api/v1/agreements/?state=none_in_force").json()["results"]
    assert [r["customer_name"] for r in by_state] == ["Logistics"]
    by_customer = api.get(f"/api/v1/agreements/?customer={other.pk}").json()["results"]
    assert [r["customer"] for r in by_customer] == [other.pk]
    assert api.get("/api/v1/agreements/?state=maybe").status_code == 400


def test_versions_list_filters_and_reads_one_with_its_sections(api, history):
    agreement = history.in_force.agreement_id
    rows = api.get(f"/api/v1/agreement-versions/?agreement={agreement}").json()["results"]
    assert [(r["number"], r["status"]) for r in rows] == [(2, "in_signature"), (1, "in_force")]
    assert "partner_plan" not in rows[0]
    in_force = api.get("/api/v1/agreement-versions/?status=in_force").json()["results"]
    assert [r["id"] for r in in_force] == [history.in_force.pk]
    one = api.get(f"/api/v1/agreement-versions/{history.in_force.pk}/").json()
    assert one["partner_plan"][0]["name"] == "Bea Budget"
    assert one["engagement"][0]["week_of_month"] == 2
    assert one["objectives"][0]["owner_text"] == "CFO office"
    assert one["action_plan"][0]["title"] == "Map the close process"
    assert {s["role"] for s in one["signatures"]} == set(Signature.SignerRole.values)
    assert one["sealed_pdf_sha256"] and one["content_sha256"]


def test_patching_a_draft_replaces_each_given_section_and_keeps_the_rest(
    api, tenant_a, draft_a, world
):
    before = api.get(f"/api/v1/agreement-versions/{draft_a.pk}/").json()
    bea_row = before["partner_plan"][0]["id"]
    response = api.patch(
        f"/api/v1/agreement-versions/{draft_a.pk}/",
        {
            "relationship_philosophy": "Partners, with numbers.",
            "partner_plan": [
                {"member": world.it_manager.pk, "role": "IT manager"},
                {"id": bea_row, "title": "CFO"},
            ],
            "objectives": [],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["relationship_philosophy"] == "Partners, with numbers."
    assert [(r["name"], r["role"], r["title"]) for r in body["partner_plan"]] == [
        ("Ivo IT", "IT manager", ""),
        ("Bea Budget", "Business manager", "CFO"),
    ]
    assert body["partner_plan"][1]["id"] == bea_row
    assert body["objectives"] == []
    assert len(body["engagement"]) == 1 and len(body["action_plan"]) == 1  # not given: kept
    kit.assert_audited(tenant_a, "agreement_objectives_row.deleted")


def test_a_bad_row_is_a_400_naming_the_row_and_nothing_is_saved(api, tenant_a, draft_a):
    response = api.patch(
        f"/api/v1/agreement-versions/{draft_a.pk}/",
        {
            "relationship_philosophy": "Changed?",
            "partner_plan": [],
            "engagement": [
                {"meeting_type": "other", "name": "Steering", "frequency": "yearly"},
                {"meeting_type": "monthly_service_review", "frequency": "monthly", "weekday": 9},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"engagement.1.weekday"}
    response = api.patch(
        f"/api/v1/agreement-versions/{draft_a.pk}/",
        {
            "partner_plan": [],
            "engagement": [{"meeting_type": "monthly_service_review", "frequency": "monthly"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"engagement.0.month_day"}
    version = kit.in_tenant(tenant_a, lambda: AgreementVersion.objects.get(pk=draft_a.pk))
    assert version.relationship_philosophy == "Partners, not suppliers."
    assert kit.in_tenant(tenant_a, lambda: PartnerPlanRow.objects.filter(version=version).count())


def test_a_row_id_of_another_section_or_version_is_a_400(api, tenant_a, draft_a):
    objective = api.get(f"/api/v1/agreement-versions/{draft_a.pk}/").json()["objectives"][0]
    response = api.patch(
        f"/api/v1/agreement-versions/{draft_a.pk}/",
        {"partner_plan": [{"id": objective["id"], "role": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "partner_plan.0.id": ["No row of this section has this id."]
    }


def test_a_contact_of_another_office_is_refused_like_an_unknown_one(
    api, draft_a, tenant_b, admin_b
):
    from tests.factories import ContactFactory, CustomerFactory

    customer_b = CustomerFactory(tenant=tenant_b, relationship_manager=admin_b)
    foreign = ContactFactory(customer=customer_b, name="Other")
    answers = []
    for pk in (foreign.pk, 987654321):
        response = api.patch(
            f"/api/v1/agreement-versions/{draft_a.pk}/",
            {"partner_plan": [{"contact": pk, "role": "x"}]},
            format="json",
        )
        assert response.status_code == 400
        answers.append(str(response.json()["error"]["fields"]).replace(str(pk), "<pk>"))
    assert answers[0] == answers[1]


def test_a_frozen_version_cannot_be_patched(api, history):
    response = api.patch(
        f"/api/v1/agreement-versions/{history.in_force.pk}/",
        {"relationship_philosophy": "Rewritten"},
        format="json",
    )
    assert response.status_code == 400
    assert "only a draft can be changed" in str(response.json()["error"]["fields"])


def test_submitting_names_the_four_signers_and_freezes_the_version(api, tenant_a, draft_a, world):
    response = api.post(
        f"/api/v1/agreement-versions/{draft_a.pk}/submit/", _signers(world), format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_signature"
    assert body["content_sha256"] == kit.in_tenant(
        tenant_a, lambda: services.content_sha256(AgreementVersion.objects.get(pk=draft_a.pk))
    )
    assert {(s["role"], s["status"]) for s in body["signatures"]} == {
        (role, "pending") for role in Signature.SignerRole.values
    }


def test_submit_refuses_a_purchaser_and_missing_signers_with_field_errors(api, draft_a, world):
    signers = _signers(world) | {"business_line_manager": world.purchaser.pk}
    response = api.post(f"/api/v1/agreement-versions/{draft_a.pk}/submit/", signers, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["business_line_manager"] == [
        "A purchaser has no budget mandate and cannot sign the agreement."
    ]
    response = api.post(f"/api/v1/agreement-versions/{draft_a.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(Signature.SignerRole.values)


def test_withdrawing_answers_the_new_draft(api, history):
    response = api.post(
        f"/api/v1/agreement-versions/{history.in_signature.pk}/withdraw/",
        {"reason": "Budget moved"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["number"], response.json()["status"]) == (3, "draft")
    old = api.get(f"/api/v1/agreement-versions/{history.in_signature.pk}/").json()
    assert old["status"] == "withdrawn" and old["withdrawn_reason"] == "Budget moved"


def test_revising_copies_the_version_in_force_and_only_that_one(api, history):
    response = api.post(f"/api/v1/agreement-versions/{history.in_force.pk}/revise/")
    assert response.status_code == 400  # version 2 is in signature: one open version at a time
    api.post(f"/api/v1/agreement-versions/{history.in_signature.pk}/withdraw/", {}, format="json")
    response = api.post(f"/api/v1/agreement-versions/{history.in_force.pk}/revise/")
    assert response.status_code == 400  # the withdrawal made a draft already
    draft = api.get("/api/v1/agreement-versions/?status=draft").json()["results"][0]
    assert api.post(f"/api/v1/agreement-versions/{draft['id']}/revise/").status_code == 400


def test_revise_makes_a_draft_copy_of_the_version_in_force(api, tenant_a, world, seal_keys, media):
    with kit.in_tenant(tenant_a):
        version = services.version_submit(
            version=make_draft(world), actor=world.rm.user, signers=world.signers
        )
        for signature in Signature.objects.filter(version=version).select_related("membership"):
            from tests.agreements.conftest import sign

            sign(signature, signature.membership)
    response = api.post(f"/api/v1/agreement-versions/{version.pk}/revise/")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["status"]) == (2, "draft")
    assert body["partner_plan"][0]["name"] == "Bea Budget"


def test_the_pdf_of_a_sealed_version_whose_file_is_lost_answers_503_in_json(api, tenant_a, history):
    version = kit.in_tenant(tenant_a, lambda: AgreementVersion.objects.get(pk=history.in_force.pk))
    version.sealed_pdf.storage.delete(version.sealed_pdf.name)
    response = api.get(f"/api/v1/agreement-versions/{version.pk}/pdf/")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["status"] == 503 and error["code"] == "sealed_copy_missing"
    assert "missing from the file storage" in error["detail"]


def test_the_pdf_of_a_version_in_force_is_the_stored_sealed_file(api, tenant_a, history):
    response = api.get(f"/api/v1/agreement-versions/{history.in_force.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    stored = kit.in_tenant(
        tenant_a, lambda: AgreementVersion.objects.get(pk=history.in_force.pk).sealed_pdf_sha256
    )
    assert hashlib.sha256(response.content).hexdigest() == stored
    assert verify_pdf(response.content).ok


def test_the_pdf_of_a_draft_is_rendered_whatever_the_accept_header(api, draft_a):
    response = api.get(
        f"/api/v1/agreement-versions/{draft_a.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert f"v{draft_a.number}-draft.pdf" in response["Content-Disposition"]
    missing = api.get("/api/v1/agreement-versions/987654321/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_read_key_reads_but_cannot_submit_or_change(tenant_a, draft_a, world):
    read = kit.api_client(tenant_a, "read")
    assert read.get(f"/api/v1/agreement-versions/{draft_a.pk}/").status_code == 200
    assert read.get(f"/api/v1/agreement-versions/{draft_a.pk}/pdf/").status_code == 200
    submit = read.post(
        f"/api/v1/agreement-versions/{draft_a.pk}/submit/", _signers(world), format="json"
    )
    assert submit.status_code == 403
    patch = read.patch(f"/api/v1/agreement-versions/{draft_a.pk}/", {}, format="json")
    assert patch.status_code == 403


def test_signing_is_never_possible_with_an_api_key(api, tenant_a, history):
    """A person signs, on the pages, having read the version and confirmed who they are."""
    schema = api.get("/api/v1/schema/?format=json").json()
    segments = {path: path.strip("/").split("/") for path in schema["paths"]}
    assert not [path for path, parts in segments.items() if "sign" in parts]
    assert not [path for path in schema["paths"] if "signature" in path]
    signature = kit.in_tenant(
        tenant_a,
        lambda: Signature.objects.filter(version=history.in_signature, status="pending").first(),
    )
    for path in (
        f"/api/v1/agreement-versions/{history.in_signature.pk}/sign/",
        f"/api/v1/signatures/{signature.pk}/",
        f"/api/v1/signatures/{signature.pk}/sign/",
    ):
        assert api.post(path, {"affirmation_checked": True}, format="json").status_code == 404
    assert (
        api.patch(
            f"/api/v1/agreement-versions/{history.in_signature.pk}/",
            {"signatures": [{"id": signature.pk, "status": "signed"}]},
            format="json",
        ).status_code
        == 400
    )  # a version in signature is frozen, and signatures are read-only
    assert kit.in_tenant(tenant_a, lambda: Signature.objects.get(pk=signature.pk).status) == (
        "pending"
    )


def test_versions_and_agreements_are_not_deleted_nor_created_through_the_version_list(api, draft_a):
    assert api.delete(f"/api/v1/agreement-versions/{draft_a.pk}/").status_code == 405
    assert api.post("/api/v1/agreement-versions/", {}, format="json").status_code == 405
    agreement = draft_a.agreement_id
    assert api.delete(f"/api/v1/agreements/{agreement}/").status_code == 405
    assert kit.in_tenant(tenant_a := draft_a.tenant, lambda: Agreement.objects.count()) == 1
    assert tenant_a


def test_list_queries_stay_constant(api, history):
    kit.assert_api_queries(api, "/api/v1/agreements/", own=2)
    kit.assert_api_queries(api, "/api/v1/agreement-versions/", own=2)
