"""GET /api/v1/campaigns/{id}/results/: the page's figures and suppression, no per-person data
in confidential or anonymous mode, another office's campaign a 404."""

import pytest

from tests.kit import api_client, assert_api_queries

from .results_kit import WORKED_NPS, closed_campaign, respond, respond_nps


def path(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.pk}/results/"


def test_results_give_the_figures_with_their_interval_and_n(tenant_a, sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, WORKED_NPS, text="Fine")
    respond_nps(campaign, sworld.other_customer, [0, 0])

    answer = api_client(tenant_a, "read").get(path(campaign))

    assert answer.status_code == 200
    data = answer.json()
    assert data["minimum_answers"] == 5
    nps = data["overall"]["nps"]
    assert nps["n"] == 12 and nps["indicative"] is True
    finance, logistics = data["customers"]
    assert finance["label"] == "Finance"
    assert finance["nps"] == {
        "n": 10,
        "suppressed": False,
        "value": 30.0,
        "low": -19.1,
        "high": 65.2,
        "indicative": True,
    }
    assert logistics["nps"]["suppressed"] is True and logistics["nps"]["value"] is None
    assert data["comments"][0]["text"] == "Fine"


@pytest.mark.parametrize("mode", ["confidential", "anonymous"])
def test_no_per_person_data_in_confidential_or_anonymous_mode(tenant_a, sworld, mode):
    campaign = closed_campaign(sworld.survey, anonymity=mode)
    respond(campaign, sworld.customer, nps=3, text="Bea here", contact=sworld.bea)
    for n in range(5):
        respond(campaign, sworld.customer, nps=9, text=f"Comment {n}")

    data = api_client(tenant_a, "read").get(path(campaign)).json()

    assert {c["who"] for c in data["comments"]} == {None}
    assert sworld.bea.name not in str(data) and sworld.bea.email not in str(data)


def test_another_offices_campaign_is_not_found(tenant_b, sworld):
    campaign = closed_campaign(sworld.survey)
    assert api_client(tenant_b, "read").get(path(campaign)).status_code == 404
    assert api_client(tenant_b, "read").get("/api/v1/campaigns/abc/results/").status_code == 404


def test_results_read_the_same_queries_however_many_responses(tenant_a, sworld):
    campaign = closed_campaign(sworld.survey)
    respond(campaign, sworld.customer, nps=9, csat=4, services={sworld.services[0]: 4}, text="a")
    api = api_client(tenant_a, "read")
    assert_api_queries(api, path(campaign), own=10)
    respond_nps(campaign, sworld.other_customer, [1, 2, 3, 9, 10, 10], text="b")
    assert_api_queries(api, path(campaign), own=10)
