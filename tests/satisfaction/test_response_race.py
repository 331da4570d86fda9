"""Four submissions of one invitation at the same moment (a double click, a link opened twice)
save one response with one follow-up: the invitation's row is locked while its response is
found or made."""

import threading

import pytest
from django.db import connection

from brm.tenancy.context import tenant_context
from customers.models import ActionItem
from satisfaction import responses
from satisfaction.models import Answer, Campaign, Response
from tests.satisfaction.conftest import make_sat_world
from tests.satisfaction.respond_kit import campaign_in, invite, service_answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [Campaign.Anonymity.ATTRIBUTED, Campaign.Anonymity.ANONYMOUS])
def test_racing_submissions_save_one_response_and_one_follow_up(
    tenant_a, rm_a, customer_record, mode
):
    sworld = make_sat_world(tenant_a, rm_a, customer_record)
    campaign = campaign_in(sworld.survey, anonymity=mode)
    invitation, _token = invite(campaign, sworld.bea)
    answers = service_answers(sworld, sworld.survey, nps=2)
    barrier = threading.Barrier(4)
    errors, saved = [], []

    def submit():
        try:
            with tenant_context(tenant_a):
                barrier.wait(5)
                saved.append(responses.response_save(invitation, answers).pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert len(set(saved)) == 1
    with tenant_context(tenant_a):
        assert Response.objects.count() == 1
        assert ActionItem.objects.filter(source="survey").count() == 1
        assert Answer.objects.count() == 6
