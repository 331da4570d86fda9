"""/api/v1/surveys/, /api/v1/campaigns/ and /api/v1/responses/: writes through the same services
as the pages (a frozen survey refused with a 400 that says to make a new version, only drafts
changed), field errors on bad input, and responses listed one by one for attributed campaigns
only."""

import pytest
from django.utils import timezone

from satisfaction import surveys
from satisfaction.models import Answer, Campaign, Invitation, Response, Survey
from tests.factories import CampaignFactory, survey_with_questions
from tests.kit import api_client, assert_api_queries, in_tenant, refreshed

pytestmark = pytest.mark.django_db

SURVEYS, CAMPAIGNS, RESPONSES = "/api/v1/surveys/", "/api/v1/campaigns/", "/api/v1/responses/"


@pytest.fixture
def api(tenant_a):
    return api_client(tenant_a, "write", name="bi")


def test_a_survey_is_made_with_its_questions_in_order(api, tenant_a):
    response = api.post(
        SURVEYS,
        {
            "name": "Pulse",
            "questions": [
                {"kind": "nps", "text": "Recommend us?", "translations": {"nl": "Aanbevelen?"}},
                {"kind": "choice", "text": "Channel?", "choices": ["Phone", "Portal"]},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(q["position"], q["kind"]) for q in body["questions"]] == [(0, "nps"), (1, "choice")]
    assert body["questions"][0]["translations"] == {"nl": "Aanbevelen?"}
    assert api.get(f"{SURVEYS}{body['id']}/").json() == body


@pytest.mark.parametrize(
    "question, field",
    [
        ({"kind": "choice", "text": "Channel?", "choices": ["Phone"]}, "choices"),
        ({"kind": "nps", "text": "Hi", "translations": {"xx": "?"}}, "translations"),
        ({"kind": "slider", "text": "Hi"}, "questions"),
    ],
)
def test_a_bad_question_is_a_400_naming_the_field(api, tenant_a, question, field):
    response = api.post(SURVEYS, {"name": "Pulse", "questions": [question]}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert in_tenant(tenant_a, lambda: Survey.objects.count()) == 0  # nothing half-made


def test_a_frozen_survey_is_refused_with_a_400_that_says_to_make_a_new_version(api, tenant_a):
    survey = survey_with_questions(tenant=tenant_a)
    in_tenant(tenant_a, lambda: surveys.survey_freeze(survey=survey))
    for body in ({"name": "Renamed"}, {"questions": []}):
        response = api.patch(f"{SURVEYS}{survey.pk}/", body, format="json")
        assert response.status_code == 400
        assert "make a new version" in str(response.json()["error"])
    assert refreshed(survey).name != "Renamed"
    made = api.post(f"{SURVEYS}{survey.pk}/new-version/")
    assert made.status_code == 201
    copy = made.json()
    assert (copy["version"], copy["previous"], copy["frozen_at"]) == (2, survey.pk, None)
    renamed = api.patch(f"{SURVEYS}{copy['id']}/", {"name": "Renamed"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Renamed"


def test_a_read_key_cannot_write_a_survey(tenant_a):
    response = api_client(tenant_a, "read").post(SURVEYS, {"name": "No"}, format="json")
    assert response.status_code == 403


def test_a_draft_campaign_is_made_and_changed_and_filtered_by_status(api, tenant_a, sworld):
    made = api.post(
        CAMPAIGNS,
        {
            "name": "Spring",
            "survey": sworld.survey.pk,
            "audience_scope": "chosen",
            "customers": [sworld.customer.pk],
            "opens_at": "2030-03-02T09:00:00+01:00",
            "closes_at": "2030-03-23T17:00:00+01:00",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["status"], body["customers"], body["invited"]) == (
        "draft",
        [sworld.customer.pk],
        0,
    )
    changed = api.patch(f"{CAMPAIGNS}{body['id']}/", {"anonymity": "anonymous"}, format="json")
    assert changed.status_code == 200 and changed.json()["anonymity"] == "anonymous"
    assert [c["id"] for c in api.get(f"{CAMPAIGNS}?status=draft").json()["results"]] == [body["id"]]
    assert api.get(f"{CAMPAIGNS}?status=open").json()["results"] == []
    in_tenant(tenant_a, lambda: Campaign.objects.filter(pk=body["id"]).update(status="open"))
    refused = api.patch(f"{CAMPAIGNS}{body['id']}/", {"name": "Late"}, format="json")
    assert refused.status_code == 400
    assert "Only a draft campaign can be changed." in str(refused.json()["error"])


@pytest.mark.parametrize(
    "values, field",
    [
        ({"audience_scope": "chosen"}, "customers"),
        ({"audience_scope": "division"}, "division"),
        ({"closes_at": "2030-03-01T09:00:00Z"}, "closes_at"),
        ({"survey": 987654321}, "survey"),
    ],
)
def test_a_bad_campaign_is_a_400_naming_the_field(api, tenant_a, sworld, values, field):
    body = {
        "name": "Spring",
        "survey": sworld.survey.pk,
        "opens_at": "2030-03-02T09:00:00Z",
        "closes_at": "2030-03-23T17:00:00Z",
        **values,
    }
    response = api.post(CAMPAIGNS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def _answered(campaign, contact, value):
    invitation = Invitation.objects.create(
        campaign=campaign,
        contact=contact,
        customer=contact.customer,
        name=contact.name,
        email=contact.email,
        status="sent",
    )
    response = Response.objects.create(
        campaign=campaign,
        invitation=invitation if campaign.links_responses else None,
        respondent_key="" if campaign.links_responses else f"key-{contact.pk}",
        customer=contact.customer,
        submitted_at=timezone.now(),
    )
    question = campaign.survey.questions.get(kind="nps")
    Answer.objects.create(response=response, question=question, value=value)
    return response


def test_responses_are_listed_one_by_one_for_attributed_campaigns_only(api, tenant_a, sworld):
    modes = {}
    with in_tenant(tenant_a):
        for mode in ("attributed", "confidential", "anonymous"):
            campaign = CampaignFactory(survey=sworld.survey, anonymity=mode, name=mode)
            modes[mode] = _answered(campaign, sworld.bea, 9)
    rows = api.get(RESPONSES).json()["results"]
    assert [row["id"] for row in rows] == [modes["attributed"].pk]
    assert rows[0]["contact"] == sworld.bea.pk
    assert rows[0]["answers"][0]["value"] == 9
    for mode in ("confidential", "anonymous"):
        assert api.get(f"{RESPONSES}{modes[mode].pk}/").status_code == 404
    assert api.get(f"{RESPONSES}{modes['attributed'].pk}/").json() == rows[0]


def test_lists_read_a_fixed_number_of_queries(api, tenant_a, sworld):
    with in_tenant(tenant_a):
        for n in range(3):
            campaign = CampaignFactory(survey=sworld.survey, name=f"C{n}")
            _answered(campaign, [sworld.bea, sworld.carl, sworld.paul][n], n)
        survey_with_questions()
    # The page, the count, the prefetch of the nested rows (one for each list below).
    assert_api_queries(api, SURVEYS, own=3)
    assert_api_queries(api, CAMPAIGNS, own=3)
    assert_api_queries(api, RESPONSES, own=3)
    assert_api_queries(api, f"{CAMPAIGNS}{campaign.pk}/", own=2)
