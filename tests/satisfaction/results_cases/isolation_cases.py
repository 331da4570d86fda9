"""Isolation cases of the satisfaction results pages (the campaign's results, publishing; the
overview and the portal's published results as lists): a closed campaign of the tenant, and
marked rows of tenant B, a published campaign that invited the harness's portal customer with
enough answers to show its figures."""

from django.utils import timezone

from satisfaction.models import Campaign
from tests.api.isolation import register_api
from tests.customers.isolation_cases import portal_contact
from tests.factories import survey_with_questions
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant
from tests.satisfaction.results_kit import closed_campaign, respond_nps


def _campaign(tenant, **values):
    survey = survey_with_questions(tenant=tenant, kinds=("nps", "csat", "text"))
    return closed_campaign(survey, name=f"{MARKER} campaign", **values)


@register_api("/api/v1/campaigns/{id}/results/")
def api_campaign(tenant):
    return {"id": _campaign(tenant).pk}


@register("satisfaction:campaign_results")
@register("satisfaction:campaign_publish")
def campaign(tenant):
    return {"pk": _campaign(tenant).pk}


@marked_rows
def published_campaign_rows(tenant):
    made = _campaign(tenant)
    customer = in_tenant(tenant, lambda: portal_contact(tenant).customer)
    respond_nps(made, customer, [10, 9, 8, 7, 3], text=f"{MARKER} comment")
    with in_tenant(tenant):
        Campaign.objects.filter(pk=made.pk).update(
            summary=f"{MARKER} summary", published_at=timezone.now()
        )
