"""The results pages: the campaign's results, the office overview, publishing, and the portal's
published results (never unpublished, never another customer's)."""

import pytest
from django.urls import reverse

from brm.outbox.models import OutboxMessage
from satisfaction.models import Campaign, SurveyOptOut
from tests.factories import CustomerFactory
from tests.kit import (
    PORTAL_SHELL_QUERIES,
    assert_audited,
    assert_page_queries,
    in_tenant,
    refreshed,
)

from .results_kit import WORKED_NPS, closed_campaign, respond, respond_nps


def url(tenant, name, **kwargs):
    return reverse(f"satisfaction:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def signed_in(client, member):
    client.force_login(member.user)
    return client


def body(response) -> str:
    return response.content.decode()


def test_campaign_results_page_shows_figures_with_n_interval_and_marks(client, tenant_a, sworld):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, WORKED_NPS)
    respond_nps(campaign, sworld.other_customer, [9, 2])
    signed_in(client, sworld.analyst)

    page = body(client.get(url(tenant_a, "campaign_results", pk=campaign.pk)))

    assert "n&nbsp;=&nbsp;10" in page
    assert "indicative" in page
    assert "fewer than 5 answers" in page  # Logistics, two answers
    assert 'role="img"' in page and "<title" in page
    assert "Responses divided by the invitations delivered" in page
    assert "Publish the results" not in page  # an analyst does not publish


def test_the_campaign_results_page_reads_the_same_queries_however_many_responses(
    client, tenant_a, sworld
):
    campaign = closed_campaign(sworld.survey)
    respond(campaign, sworld.customer, nps=9, csat=4, services={sworld.services[0]: 4}, text="a")
    signed_in(client, sworld.rm)
    path = url(tenant_a, "campaign_results", pk=campaign.pk)
    assert_page_queries(client, path, own=10)
    with in_tenant(tenant_a):
        more = [CustomerFactory(relationship_manager=sworld.rm) for _ in range(3)]
    for customer in more:
        respond_nps(campaign, customer, [3, 8, 10, 10, 9], text="b")
    assert_page_queries(client, path, own=10)


def test_the_overview_reads_a_fixed_number_of_queries_and_takes_garbage_months(
    client, tenant_a, sworld
):
    campaign = closed_campaign(sworld.survey)
    respond_nps(campaign, sworld.customer, [10] * 5)
    signed_in(client, sworld.analyst)
    path = url(tenant_a, "results_overview")
    assert_page_queries(client, path, own=16)
    respond_nps(closed_campaign(sworld.survey), sworld.other_customer, [0] * 5)
    assert_page_queries(client, path, own=16)
    for garbage in ("?months=abc", "?months=7", "?months=%00", "?months=99999999999999999999"):
        response = client.get(path + garbage)
        assert response.status_code == 200
        assert "is-invalid" in body(response)
    assert client.get(path + "?months=0").status_code == 200


def test_another_offices_campaign_is_not_found(client, tenant_a, tenant_b, sworld, admin_b):
    campaign = closed_campaign(sworld.survey)
    signed_in(client, admin_b)
    for name in ("campaign_results", "campaign_publish"):
        assert client.get(url(tenant_b, name, pk=campaign.pk)).status_code == 404


def test_publish_needs_a_closed_campaign_and_a_summary(client, tenant_a, sworld):
    open_campaign = closed_campaign(sworld.survey)
    in_tenant(tenant_a, lambda: Campaign.objects.filter(pk=open_campaign.pk).update(status="open"))
    signed_in(client, sworld.rm)
    response = client.post(
        url(tenant_a, "campaign_publish", pk=open_campaign.pk),
        {"summary": "We heard you", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "once the campaign has closed" in body(response)
    closed = closed_campaign(sworld.survey)
    response = client.post(url(tenant_a, "campaign_publish", pk=closed.pk), {"summary": " "})
    assert response.status_code == 200 and "is-invalid" in body(response)
    assert refreshed(closed).published_at is None


def test_an_analyst_cannot_publish(client, tenant_a, sworld):
    campaign = closed_campaign(sworld.survey)
    signed_in(client, sworld.analyst)
    response = client.post(
        url(tenant_a, "campaign_publish", pk=campaign.pk), {"summary": "x", "confirm": "on"}
    )
    assert response.status_code == 403
    assert refreshed(campaign).published_at is None


def test_publishing_emails_each_respondent_once_and_is_audited(client, tenant_a, sworld):
    campaign = closed_campaign(sworld.survey)
    respond(campaign, sworld.customer, nps=9, contact=sworld.bea)
    respond(campaign, sworld.customer, nps=3, contact=sworld.carl)
    respond(campaign, sworld.other_customer, nps=8, contact=sworld.olga)
    in_tenant(tenant_a, lambda: SurveyOptOut.objects.create(email=sworld.olga.email))
    signed_in(client, sworld.rm)
    path = url(tenant_a, "campaign_publish", pk=campaign.pk)

    response = client.post(path, {"summary": "You said: slow. We did: faster.", "confirm": "on"})
    assert response.status_code == 302
    client.post(path, {"summary": "You said: slow. We did: much faster.", "confirm": "on"})

    campaign = refreshed(campaign)
    assert campaign.is_published and campaign.summary.endswith("much faster.")
    sent = in_tenant(
        tenant_a,
        lambda: list(
            OutboxMessage.objects.filter(key__startswith=f"satisfaction.published:{campaign.pk}:")
        ),
    )
    assert sorted(m.to[0] for m in sent) == sorted([sworld.bea.email, sworld.carl.email])
    assert "You said: slow. We did: faster." in sent[0].text
    assert_audited(tenant_a, "campaign.published", obj=campaign, actor=sworld.rm.user)
    assert_audited(tenant_a, "campaign.publication_updated", obj=campaign)


def test_anonymous_publication_tells_everyone_delivered_who_has_not_opted_out(tenant_a, sworld):
    from satisfaction import publishing

    from .results_kit import invite

    campaign = closed_campaign(sworld.survey, anonymity="anonymous")
    respond(campaign, sworld.customer, nps=9, contact=sworld.bea)
    invite(campaign, sworld.customer, contact=sworld.carl)
    invite(campaign, sworld.customer, contact=sworld.paul, status="failed")
    with in_tenant(tenant_a):
        publishing.campaign_publish(campaign=campaign, actor=sworld.rm, summary="Thanks")
        to = sorted(
            m.to[0] for m in OutboxMessage.objects.filter(key__startswith="satisfaction.published:")
        )
    assert to == sorted([sworld.bea.email, sworld.carl.email])


def _published(survey, customer, other, summary="We did it"):
    campaign = closed_campaign(survey, name="Published survey")
    respond_nps(campaign, customer, [10, 10, 9, 9, 10, 6])
    respond_nps(campaign, other, [0, 1, 2, 3, 4, 5])
    with in_tenant(campaign.tenant_id):
        Campaign.objects.filter(pk=campaign.pk).update(
            summary=summary, published_at=campaign.closes_at
        )
    return campaign


def test_portal_shows_published_results_own_and_office_wide_never_unpublished(
    client, tenant_a, sworld
):
    _published(sworld.survey, sworld.customer, sworld.other_customer)
    hidden = closed_campaign(sworld.survey, name="Unpublished survey")
    respond_nps(hidden, sworld.customer, [10] * 5)
    signed_in(client, sworld.business_manager)

    page = body(client.get(url(tenant_a, "portal_results")))

    assert "Published survey" in page and "We did it" in page
    assert "Unpublished survey" not in page
    # Finance: 5 promoters, 1 detractor of 6: NPS 67; all customers: (5 - 7) / 12: -17.
    assert ">67<" in page and ">-17<" in page
    assert "Logistics" not in page
    # The purchaser of the customer sees the same.
    client.force_login(sworld.purchaser.user)
    assert ">67<" in body(client.get(url(tenant_a, "portal_results")))


def test_portal_never_shows_another_customers_figures(client, tenant_a, sworld):
    _published(sworld.survey, sworld.customer, sworld.other_customer)
    from tests.kit import make_portal_member

    olga = make_portal_member(sworld.olga)
    signed_in(client, olga)
    page = body(client.get(url(tenant_a, "portal_results")))
    assert ">-100<" in page  # Logistics' own: all detractors
    assert ">67<" not in page and "Finance" not in page


def test_portal_shows_no_campaign_that_did_not_invite_the_customer(client, tenant_a, sworld):
    campaign = _published(sworld.survey, sworld.other_customer, sworld.other_customer)
    signed_in(client, sworld.business_manager)
    assert campaign.name not in body(client.get(url(tenant_a, "portal_results")))


def test_portal_results_read_a_fixed_number_of_queries(client, tenant_a, sworld):
    _published(sworld.survey, sworld.customer, sworld.other_customer)
    signed_in(client, sworld.business_manager)
    path = url(tenant_a, "portal_results")
    assert_page_queries(client, path, own=8, shell=PORTAL_SHELL_QUERIES)
    _published(sworld.survey, sworld.customer, sworld.other_customer)
    assert_page_queries(client, path, own=8, shell=PORTAL_SHELL_QUERIES)


@pytest.mark.parametrize("name", ["campaign_results", "results_overview"])
def test_staff_pages_are_not_for_the_portal(client, tenant_a, sworld, name):
    campaign = closed_campaign(sworld.survey)
    signed_in(client, sworld.business_manager)
    kwargs = {"pk": campaign.pk} if name == "campaign_results" else {}
    assert client.get(url(tenant_a, name, **kwargs)).status_code in (403, 404)
