"""The satisfaction results page's floor gives the page's figures, under the same sign-in.

bench.satisfaction.contract is the check the load script runs on the bench offices; here it runs
on a small office in each anonymity mode, and is shown to notice a floor that drifted.
"""

import pytest

from bench.contract import FloorMismatch
from bench.satisfaction import contract
from bench.satisfaction import floor as satisfaction_floor
from brm.tenancy.context import tenant_context
from tests.satisfaction.conftest import make_sat_world
from tests.satisfaction.results_kit import closed_campaign, respond

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def _office(tenant, rm, customer, mode):
    world = make_sat_world(tenant, rm, customer)
    first = closed_campaign(world.survey, ago_days=100)
    campaign = closed_campaign(world.survey, previous=first, anonymity=mode)
    email = world.services[0]
    for n in range(12):
        respond(
            campaign,
            world.customer,
            nps=n % 11,
            csat=1 + n % 5,
            effort=1 + n % 7,
            services={email: 1 + n % 5},
            text=f"Comment {n}" if n % 2 else "",
        )
    for n in range(3):
        respond(campaign, world.other_customer, nps=n, text="Small customer")
        respond(first, world.customer, nps=9)
    return world, campaign


@pytest.mark.parametrize("mode", ["attributed", "confidential", "anonymous"])
def test_the_floor_gives_the_pages_figures(client, tenant_a, rm_a, customer_record, mode):
    world, campaign = _office(tenant_a, rm_a, customer_record, mode)
    with tenant_context(tenant_a):
        contract.check_campaign_results(tenant_a.pk, campaign.pk)
    client.force_login(world.rm.user)
    answer = client.get(f"/t/{tenant_a.slug}/floor/satisfaction/campaigns/{campaign.pk}/results/")
    assert answer.status_code == 200 and "Finance" in answer.content.decode()


def test_the_check_notices_a_floor_that_drifted(tenant_a, rm_a, customer_record, monkeypatch):
    _world, campaign = _office(tenant_a, rm_a, customer_record, "attributed")
    real = satisfaction_floor.campaign_results_rows

    def drifted(tenant_id, campaign_id):
        found = real(tenant_id, campaign_id)
        found["customers"] = found["customers"][::-1]
        return found

    monkeypatch.setattr(contract, "campaign_results_rows", drifted)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch):
        contract.check_campaign_results(tenant_a.pk, campaign.pk)
