"""Opting out of surveys from the link of any invitation email: a confirmation page, then the
address is never invited or reminded again (SurveyOptOut)."""

import re

import pytest
from django.test import Client

from brm.audit.models import AuditEvent
from satisfaction import responses
from satisfaction.models import Campaign, SurveyOptOut
from tests.kit import in_tenant
from tests.satisfaction.respond_kit import campaign_in, invite, link

pytestmark = pytest.mark.django_db


def _opt_out(token: str) -> str:
    return link(token) + "opt-out/"


def test_the_opt_out_page_asks_first_and_saves_nothing_on_opening(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    response = client.get(_opt_out(token))
    assert response.status_code == 200
    assert "Opt out of every survey" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert in_tenant(sworld.customer.tenant, SurveyOptOut.objects.count) == 0


def test_confirming_opts_the_address_out_once(sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    client = Client(enforce_csrf_checks=True)
    assert client.post(_opt_out(token)).status_code == 403  # no CSRF token: refused
    page = client.get(_opt_out(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    for _ in range(2):
        done = client.post(_opt_out(token), {"csrfmiddlewaretoken": csrf})
        assert done.status_code == 200
        assert "will not send you surveys" in done.content.decode()
    rows = in_tenant(sworld.customer.tenant, lambda: list(SurveyOptOut.objects.all()))
    assert [(r.email, r.contact_id) for r in rows] == [(sworld.bea.email, sworld.bea.pk)]
    events = in_tenant(
        sworld.customer.tenant,
        lambda: AuditEvent.objects.filter(action="satisfaction.opted_out").count(),
    )
    assert events == 1
    assert "already opted out" in client.get(_opt_out(token)).content.decode()


def test_a_closed_campaigns_link_still_opts_out(client, sworld):
    campaign = campaign_in(sworld.survey, status=Campaign.Status.CLOSED)
    _invitation, token = invite(campaign, sworld.bea)
    assert client.post(_opt_out(token)).status_code == 200
    assert in_tenant(sworld.customer.tenant, lambda: responses.is_opted_out(sworld.bea.email))


@pytest.mark.usefixtures("as_tenant_a")
def test_opt_out_is_idempotent_whatever_the_letter_case(sworld):
    first = responses.opt_out("Bea@Finance.example", contact=sworld.bea)
    again = responses.opt_out("bea@finance.example")
    assert again.pk == first.pk and SurveyOptOut.objects.count() == 1
    assert responses.is_opted_out("BEA@finance.example")
    with pytest.raises(Exception, match="email address is needed"):
        responses.opt_out("  ")
