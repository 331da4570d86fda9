"""The results selectors: figures per campaign, customer, service, RM, division and trend, the
anonymity modes in the comments, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brm.tenancy.models import Role
from satisfaction import results
from satisfaction.models import Campaign, Invitation, SatisfactionSettings
from tests.factories import CustomerFactory, survey_with_questions
from tests.kit import in_tenant, make_member

from .results_kit import WORKED_NPS, closed_campaign, invite, respond, respond_nps

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_campaign_figures_follow_the_worked_example(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, WORKED_NPS)
    invite(campaign, sworld.customer)  # delivered, no answer
    invite(campaign, sworld.customer, status=Invitation.Status.FAILED)  # not delivered

    found = results.campaign_results(campaign)

    nps = found.overall.nps
    assert (nps.n, nps.value) == (10, 30.0)
    assert round(nps.low) == -19 and round(nps.high) == 65
    assert nps.indicative
    assert found.overall.responses == 10
    assert found.overall.delivered == 11
    assert found.overall.response_rate == pytest.approx(100 * 10 / 11)
    assert [s.label for s in found.customers] == ["Finance"]


def test_csat_effort_and_service_ratings_per_campaign(sworld):
    campaign = closed_campaign(sworld.survey)
    email, payroll = sworld.services
    for csat, effort, rating in [(5, 2, 4), (4, 3, 5), (4, 1, 4), (2, 6, 2), (5, 2, 5)]:
        respond(
            campaign,
            sworld.customer,
            csat=csat,
            effort=effort,
            services={email: rating, payroll: 3},
        )

    found = results.campaign_results(campaign)

    assert found.overall.csat.value == 80.0 and found.overall.csat.n == 5
    assert found.overall.effort.value == pytest.approx(2.8)
    by_name = {s.label: s for s in found.services}
    assert by_name["Email"].rating.value == pytest.approx(4.0)
    assert by_name["Email"].satisfied.value == 80.0
    assert by_name["Payroll system"].rating.value == pytest.approx(3.0)
    assert by_name["Payroll system"].satisfied.value == 0.0


def test_a_customer_below_the_minimum_shows_no_figure(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [10] * 6)
    respond_nps(campaign, sworld.other_customer, [0, 0])

    found = results.campaign_results(campaign)
    by_name = {s.label: s for s in found.customers}

    assert by_name["Finance"].nps.value == 100.0
    logistics = by_name["Logistics"].nps
    assert logistics.suppressed and logistics.value is None and logistics.n == 2
    assert found.overall.nps.value == pytest.approx(100 * (6 - 2) / 8)
    # Each customer once, of those with the minimum: Logistics' two answers stay out.
    assert found.account_weighted.value == 100.0 and found.account_weighted.n == 6


def test_the_office_minimum_applies(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [10, 9, 8])
    assert results.campaign_results(campaign).overall.nps.suppressed
    SatisfactionSettings.objects.create(minimum_answers=3)
    assert results.campaign_results(campaign).overall.nps.value == pytest.approx(66.67, abs=0.01)


def test_attributed_comments_say_who(sworld):
    campaign = closed_campaign(sworld.survey)
    respond(campaign, sworld.customer, nps=3, text="Too slow", contact=sworld.bea)

    found = results.campaign_results(campaign)

    [comment] = found.comments
    assert (comment.text, comment.who, comment.customer) == ("Too slow", sworld.bea.name, "Finance")
    assert comment.submitted_at is not None


@pytest.mark.parametrize("mode", [Campaign.Anonymity.CONFIDENTIAL, Campaign.Anonymity.ANONYMOUS])
def test_confidential_and_anonymous_comments_say_nobody_and_wait_for_the_minimum(sworld, mode):
    campaign = closed_campaign(sworld.survey, anonymity=mode)
    respond(campaign, sworld.other_customer, nps=3, text="Olga's words", contact=sworld.olga)
    for n in range(3):
        respond(campaign, sworld.customer, nps=9, text=f"Comment {n}")

    found = results.campaign_results(campaign)
    assert found.comments == [] and found.comments_withheld and found.comments_count == 4

    for n in range(3, 6):
        respond(campaign, sworld.customer, nps=9, text=f"Comment {n}")
    found = results.campaign_results(campaign)

    assert len(found.comments) == 7
    assert all(c.who is None and c.submitted_at is None for c in found.comments)
    # Alphabetical, not by time; Logistics has one response: its comment names no customer.
    assert [c.text for c in found.comments] == sorted(c.text for c in found.comments)
    olga = next(c for c in found.comments if c.text == "Olga's words")
    assert olga.customer is None
    assert {c.customer for c in found.comments if c is not olga} == {"Finance"}
    assert "Olga" not in str(found.as_dict()).replace("Olga's words", "")


def test_trend_follows_the_repeat_chain_and_the_survey_versions(sworld):
    first = closed_campaign(sworld.survey, ago_days=200, name="Spring")
    second = closed_campaign(sworld.survey, ago_days=100, name="Summer", previous=first)
    newer_survey = survey_with_questions(kinds=("nps", "csat", "text"))
    newer_survey.previous = sworld.survey
    newer_survey.version = 2
    newer_survey.save()
    third = closed_campaign(newer_survey, ago_days=2, name="Autumn")
    unrelated = closed_campaign(survey_with_questions(kinds=("nps",)), name="Other line")
    for campaign, scores in ((first, [0] * 5), (second, [8] * 5), (third, [10] * 5)):
        respond_nps(campaign, sworld.customer, scores)
    respond_nps(unrelated, sworld.customer, [10] * 5)

    points = results.campaign_results(third).trend

    assert [(p.label, p.nps.value) for p in points] == [
        ("Spring", -100.0),
        ("Summer", 0.0),
        ("Autumn", 100.0),
    ]


def test_office_overview_per_relationship_manager_and_division(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [10] * 5)
    respond_nps(campaign, sworld.other_customer, [0] * 5)
    old = closed_campaign(sworld.survey, ago_days=400)
    respond_nps(old, sworld.customer, [0] * 5)

    overview = results.office_overview(months=12)

    assert [p.key for p in overview.trend] == [campaign.pk]
    assert overview.overall.nps.value == 0.0 and overview.overall.nps.n == 10
    assert overview.account_weighted.value == 0.0  # (100 + -100) / 2
    assert {(s.label, s.nps.value) for s in overview.divisions} == {
        ("Corporate", 100.0),
        ("Operations", -100.0),
    }
    assert {s.key: s.nps.value for s in overview.relationship_managers} == {
        sworld.rm.pk: 100.0,
        sworld.other_rm.pk: -100.0,
    }
    assert len(results.office_overview(months=0).trend) == 2


def test_customer_trend_is_the_customers_own(sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [10] * 5)
    respond_nps(campaign, sworld.other_customer, [0] * 5)

    [point] = results.customer_trend(sworld.customer)

    assert point.nps.value == 100.0 and point.responses == 5


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_campaign_results_read_the_same_queries_however_many_responses(sworld, tenant_a):
    campaign = closed_campaign(sworld.survey)
    respond(campaign, sworld.customer, nps=9, csat=4, services={sworld.services[0]: 4}, text="a")
    few = _queries(lambda: results.campaign_results(campaign))
    rm3 = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm3@a.example")
    with in_tenant(tenant_a):
        more = [CustomerFactory(relationship_manager=rm3, division=f"D{n}") for n in range(4)]
    for customer in more:
        for _ in range(6):
            respond(customer=customer, campaign=campaign, nps=7, csat=3, text="b", effort=3)
    assert _queries(lambda: results.campaign_results(campaign)) == few == 9
    overview = _queries(lambda: results.office_overview())
    respond(campaign, sworld.other_customer, nps=1)
    assert _queries(lambda: results.office_overview()) == overview == 16
