"""The portal's "Surveys": the open surveys the signed-in contact is invited to, answered
through the same form and service as the link; another contact's invitation is a 404."""

import pytest

from brm.tenancy.models import Role
from satisfaction.models import Campaign, Invitation, Response
from tests.factories import ContactFactory, CustomerFactory, survey_with_questions
from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries, in_tenant, make_member
from tests.satisfaction.respond_kit import campaign_in, full_answers, invite

pytestmark = pytest.mark.django_db

LIST = "/t/tenant-a/portal/surveys/"


def _answer_url(invitation) -> str:
    return f"/t/tenant-a/portal/surveys/{invitation.pk}/"


def _signed_in(client, member):
    client.force_login(member.user)
    return client


def test_the_list_shows_the_contacts_open_surveys_with_a_way_to_answer(client, sworld):
    mine = campaign_in(sworld.survey, name="Autumn pulse")
    invitation, _token = invite(mine, sworld.bea)
    others = campaign_in(sworld.survey, name="Carl's only")
    invite(others, sworld.carl)
    closed = campaign_in(sworld.survey, name="Last spring", status=Campaign.Status.CLOSED)
    invite(closed, sworld.bea)
    draft = campaign_in(sworld.survey, name="Not sent", status=Campaign.Status.DRAFT)
    invite(draft, sworld.bea)
    held = campaign_in(sworld.survey, name="Held back one")
    held_invitation, _token = invite(held, sworld.bea)
    in_tenant(
        sworld.customer.tenant,
        lambda: Invitation.objects.filter(pk=held_invitation.pk).update(
            status="held_back", held_back_rule="gap"
        ),
    )
    body = _signed_in(client, sworld.business_manager).get(LIST).content.decode()
    assert "Autumn pulse" in body and f'href="{_answer_url(invitation)}"' in body
    assert "Not answered yet" in body
    for name in ("Carl&#x27;s only", "Last spring", "Not sent", "Held back one"):
        assert name not in body
    assert 'href="/t/tenant-a/portal/surveys/"' in body  # the portal menu's entry


def test_a_portal_user_answers_through_the_same_form_and_service(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    _signed_in(client, sworld.business_manager)
    page = client.get(_answer_url(invitation))
    assert page.status_code == 200
    assert "How likely are you to recommend IT" in page.content.decode()
    done = client.post(_answer_url(invitation), full_answers(sworld, sworld.survey, nps=3))
    assert done.status_code == 302 and done["Location"] == _answer_url(invitation) + "?saved=1"
    thanks = client.get(done["Location"]).content.decode()
    assert "Thank you for your answers" in thanks
    saved = in_tenant(sworld.customer.tenant, lambda: Response.objects.get())
    assert saved.invitation_id == invitation.pk and saved.follow_up_id is not None
    assert saved.channel == Response.Channel.PORTAL  # a feedback channel of the measures
    assert "Answered" in client.get(LIST).content.decode()
    # The link and the portal edit the same response.
    client.post(_answer_url(invitation), full_answers(sworld, sworld.survey, nps=10))
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 1


def test_a_purchaser_answers_their_own_invitation(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.paul)
    _signed_in(client, sworld.purchaser)
    assert campaign.name in client.get(LIST).content.decode()
    response = client.post(_answer_url(invitation), full_answers(sworld, sworld.survey))
    assert response.status_code == 302


def test_another_contacts_invitation_is_not_found(client, sworld):
    campaign = campaign_in(sworld.survey)
    carls, _token = invite(campaign, sworld.carl)
    pauls, _token = invite(campaign, sworld.paul)
    _signed_in(client, sworld.business_manager)
    for invitation in (carls, pauls):
        assert client.get(_answer_url(invitation)).status_code == 404
        data = full_answers(sworld, sworld.survey)
        assert client.post(_answer_url(invitation), data).status_code == 404
    assert client.get("/t/tenant-a/portal/surveys/999999/").status_code == 404
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 0


def test_another_offices_invitation_is_not_found(client, sworld, tenant_b):
    rm_b = make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email="rm@b.example.test")
    customer_b = CustomerFactory(tenant=tenant_b, name="B customer", relationship_manager=rm_b)
    bea_b = ContactFactory(customer=customer_b, name="Bea B", email="bea@b.example.test")
    invitation_b, _token = invite(campaign_in(survey_with_questions(tenant=tenant_b)), bea_b)
    _signed_in(client, sworld.business_manager)
    assert client.get(_answer_url(invitation_b)).status_code == 404
    assert client.post(_answer_url(invitation_b), {}).status_code == 404


def test_a_closed_campaign_shows_the_closed_page_on_the_portal(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    in_tenant(
        sworld.customer.tenant,
        lambda: Campaign.objects.filter(pk=campaign.pk).update(status="closed"),
    )
    body = _signed_in(client, sworld.business_manager).get(_answer_url(invitation))
    assert "This survey has closed" in body.content.decode()
    draft = campaign_in(sworld.survey, status=Campaign.Status.DRAFT)
    draft_invitation, _token = invite(draft, sworld.bea)
    assert client.get(_answer_url(draft_invitation)).status_code == 404


def test_staff_do_not_reach_the_portal_survey_pages(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    _signed_in(client, sworld.rm)
    assert client.get(LIST).status_code == 403
    assert client.get(_answer_url(invitation)).status_code == 403


def test_the_list_reads_a_fixed_number_of_queries(client, sworld):
    for n in range(3):
        invite(campaign_in(sworld.survey, name=f"Pulse {n}"), sworld.bea)
    anonymous = campaign_in(sworld.survey, anonymity=Campaign.Anonymity.ANONYMOUS)
    invite(anonymous, sworld.bea)
    _signed_in(client, sworld.business_manager)
    # The open invitations with their campaigns, the anonymous campaigns' answers (the portal
    # shell reads the contact's scope).
    assert_page_queries(client, LIST, own=2, shell=PORTAL_SHELL_QUERIES)
    invite(campaign_in(sworld.survey, name="Pulse 4"), sworld.bea)
    assert_page_queries(client, LIST, own=2, shell=PORTAL_SHELL_QUERIES)


def test_the_answer_page_reads_a_fixed_number_of_queries(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    _signed_in(client, sworld.business_manager)
    # The invitation with its campaign and survey, the questions, the services, the response.
    assert_page_queries(client, _answer_url(invitation), own=4, shell=PORTAL_SHELL_QUERIES)
    client.post(_answer_url(invitation), full_answers(sworld, sworld.survey))
    # ... and its answers, to fill the form again.
    assert_page_queries(client, _answer_url(invitation), own=5, shell=PORTAL_SHELL_QUERIES)
