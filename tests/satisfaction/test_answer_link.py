"""The answer link, /s/<token>/: no sign-in, the token chooses the office; opening it saves
nothing, only a POST with the form's CSRF token saves."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brm.audit.models import AuditEvent
from brm.tenancy.models import Tenant
from satisfaction.models import Answer, Campaign, Invitation, Response
from tests.kit import in_tenant, refreshed
from tests.satisfaction.respond_kit import campaign_in, full_answers, invite, link

pytestmark = pytest.mark.django_db


def _csrf(client, path) -> str:
    page = client.get(path)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]


def _counts(tenant) -> tuple:
    def read():
        return (
            Response.objects.count(),
            Answer.objects.count(),
            AuditEvent.objects.count(),
            list(Invitation.objects.values_list("opened_at", "answered_at", "status")),
        )

    return in_tenant(tenant, read)


def test_opening_the_link_shows_the_form_and_saves_nothing(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    before = _counts(sworld.customer.tenant)
    for _ in range(2):
        response = client.get(link(token))
        assert response.status_code == 200
        assert client.head(link(token)).status_code == 200
    body = response.content.decode()
    assert campaign.name in body and "How likely are you to recommend IT" in body
    assert _counts(sworld.customer.tenant) == before


def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    client = Client(enforce_csrf_checks=True)
    response = client.post(link(token), full_answers(sworld, sworld.survey))
    assert response.status_code == 403
    assert response["Referrer-Policy"] == "no-referrer"
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 0


def test_a_post_with_the_forms_csrf_token_saves_and_thanks(sworld):
    campaign = campaign_in(sworld.survey)
    invitation, token = invite(campaign, sworld.bea)
    client = Client(enforce_csrf_checks=True)
    csrf = _csrf(client, link(token))
    data = {**full_answers(sworld, sworld.survey), "csrfmiddlewaretoken": csrf}
    response = client.post(link(token), data)
    assert response.status_code == 302 and response["Location"] == link(token) + "?saved=1"
    saved = in_tenant(sworld.customer.tenant, lambda: Response.objects.get())
    assert saved.invitation_id == invitation.pk and saved.channel == Response.Channel.LINK
    thanks = client.get(response["Location"])
    body = thanks.content.decode()
    assert "Thank you for your answers" in body
    closes = timezone.localtime(campaign.closes_at, sworld.customer.tenant.zone)
    assert f"until the survey closes on {closes:%-d %B %Y, %H:%M}" in body
    assert f'href="{link(token)}"' in body


def test_answering_again_edits_the_one_response_and_the_form_shows_the_answers(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    client.post(link(token), full_answers(sworld, sworld.survey, nps=9))
    page = client.get(link(token)).content.decode()
    nps = in_tenant(sworld.customer.tenant, lambda: sworld.survey.questions.get(kind="nps"))
    assert re.search(rf'name="q{nps.pk}" value="9"[^>]*checked', page)
    assert "You have answered this survey" in page and "Save my changes" in page
    email, payroll = sworld.services
    assert re.search(rf'name="q\d+_s{payroll.pk}" value="no_opinion"[^>]*checked', page)
    client.post(link(token), full_answers(sworld, sworld.survey, nps=5))
    answers = in_tenant(
        sworld.customer.tenant, lambda: list(Answer.objects.filter(question=nps).values("value"))
    )
    assert answers == [{"value": 5}]
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 1


def test_a_second_link_of_the_same_invitation_edits_the_same_response(client, sworld):
    from tests.satisfaction.respond_kit import new_link

    campaign = campaign_in(sworld.survey)
    invitation, token = invite(campaign, sworld.bea)
    client.post(link(token), full_answers(sworld, sworld.survey, nps=9))
    reminder = new_link(invitation)
    client.post(link(reminder), full_answers(sworld, sworld.survey, nps=8))
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 1


def test_after_the_close_the_link_shows_the_closed_page_and_saves_nothing(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    client.post(link(token), full_answers(sworld, sworld.survey, nps=9))
    in_tenant(
        sworld.customer.tenant,
        lambda: Campaign.objects.filter(pk=campaign.pk).update(
            closes_at=timezone.now() - timedelta(minutes=1),
            opens_at=timezone.now() - timedelta(days=2),
        ),
    )
    for response in (
        client.get(link(token)),
        client.post(link(token), full_answers(sworld, sworld.survey, nps=1)),
    ):
        assert response.status_code == 200
        assert "This survey has closed" in response.content.decode()
    nps = in_tenant(sworld.customer.tenant, lambda: sworld.survey.questions.get(kind="nps"))
    assert in_tenant(sworld.customer.tenant, lambda: Answer.objects.get(question=nps).value) == 9


def test_a_campaign_not_open_yet_says_when_it_opens(client, sworld):
    opens = timezone.now() + timedelta(days=3)
    campaign = campaign_in(sworld.survey, status=Campaign.Status.SCHEDULED, opens_at=opens)
    _invitation, token = invite(campaign, sworld.bea)
    response = client.get(link(token))
    assert response.status_code == 200
    assert "This survey is not open yet" in response.content.decode()
    assert client.post(link(token), full_answers(sworld, sworld.survey)).status_code == 200
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 0


def _not_found_cases(sworld):
    """Tokens that lead nowhere: unknown, malformed, of a draft or cancelled campaign, of a
    deleted or held-back invitation, of a closed office."""
    tenant = sworld.customer.tenant
    cases = {"unknown": "A" * 43, "malformed": "not a token!", "too long": "x" * 500}
    draft = campaign_in(sworld.survey, status=Campaign.Status.DRAFT)
    cases["draft campaign"] = invite(draft, sworld.bea)[1]
    cancelled = campaign_in(sworld.survey)
    cases["cancelled campaign"] = invite(cancelled, sworld.bea)[1]
    in_tenant(tenant, lambda: Campaign.objects.filter(pk=cancelled.pk).update(status="cancelled"))
    deleted = campaign_in(sworld.survey)
    invitation, cases["deleted invitation"] = invite(deleted, sworld.bea)
    in_tenant(tenant, invitation.delete)
    held = campaign_in(sworld.survey)
    invitation, cases["held back"] = invite(held, sworld.bea)
    in_tenant(
        tenant,
        lambda: Invitation.objects.filter(pk=invitation.pk).update(
            status="held_back", held_back_rule="gap"
        ),
    )
    return cases


def test_unknown_invalid_and_expired_tokens_get_the_same_not_found_page(client, sworld):
    cases = _not_found_cases(sworld)
    bodies = {}
    for name, token in cases.items():
        for response in (client.get(link(token)), client.post(link(token), {"q1": "3"})):
            assert response.status_code == 404, name
            assert response["Referrer-Policy"] == "no-referrer", name
            # The same page but for the CSRF token, which is masked anew on every request.
            bodies[name] = re.sub(r'"X-CSRFToken": "\w+"', "", response.content.decode())
        opt = client.get(link(token) + "opt-out/")
        assert opt.status_code == 404, name
    assert len(set(bodies.values())) == 1, sorted(bodies)


def test_a_closed_office_answers_not_found(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    Tenant.objects.filter(pk=sworld.customer.tenant_id).update(is_active=False)
    assert client.get(link(token)).status_code == 404


@pytest.mark.parametrize("suffix", ["", "opt-out/"])
def test_every_answer_of_the_link_keeps_the_token_to_itself(client, sworld, suffix):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    for path in (link(token) + suffix, link("A" * 43) + suffix):
        response = client.get(path)
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Robots-Tag"].startswith("noindex")
        assert "no-store" in response["Cache-Control"]


def test_the_link_is_rate_limited(client, sworld, settings):
    settings.SURVEY_LINK_RATE_LIMIT = "100/m/ip,3/m/key"
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    assert [client.get(link(token)).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get(link(token))
    assert limited["Retry-After"] == "60" and limited["Referrer-Policy"] == "no-referrer"
    assert client.get(link("B" * 43)).status_code == 404  # another key, same address
    settings.SURVEY_LINK_RATE_LIMIT = "2/m/ip"
    assert [client.get(link(c * 43)).status_code for c in "CDE"] == [404, 404, 429]


def test_the_page_speaks_the_offices_language(client, sworld):
    tenant = sworld.customer.tenant
    Tenant.objects.filter(pk=tenant.pk).update(language="nl")
    nps = in_tenant(tenant, lambda: sworld.survey.questions.get(kind="nps"))
    nps.translations = {"nl": "Hoe waarschijnlijk is het dat u IT aanbeveelt?"}
    in_tenant(tenant, nps.save)
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    body = client.get(link(token)).content.decode()
    assert '<html lang="nl">' in body
    assert "Hoe waarschijnlijk is het dat u IT aanbeveelt?" in body
    assert "How likely are you to recommend IT" not in body


def test_the_form_is_a_fieldset_with_a_legend_and_labelled_radios_per_scale(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    body = client.get(link(token)).content.decode()
    nps = in_tenant(sworld.customer.tenant, lambda: sworld.survey.questions.get(kind="nps"))
    legend = r"<fieldset[^>]*>\s*<legend[^>]*>How likely[^<]*<span[^>]*>\(required\)"
    fieldset = re.search(legend + r".*?</fieldset>", body, re.S)[0]
    radios = re.findall(rf'<input type="radio" name="q{nps.pk}" value="(\d+)"', fieldset)
    assert radios == [str(n) for n in range(11)]
    assert '0<span class="visually-hidden"> (Not at all likely)</span>' in fieldset
    assert '10<span class="visually-hidden"> (Extremely likely)</span>' in fieldset
    assert "0 = Not at all likely" in fieldset and "10 = Extremely likely" in fieldset
    assert "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    # One rating row per service the customer consumes, each with "don't use / no opinion".
    for service in sworld.services:
        assert f'<legend class="h6 mb-2">{service.name}</legend>' in body
    assert body.count("Don&#x27;t use / no opinion") == 2


def test_missing_and_wrong_answers_come_back_with_messages_and_what_was_given(client, sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    data = full_answers(sworld, sworld.survey)
    q = in_tenant(
        sworld.customer.tenant, lambda: {x.kind: x for x in sworld.survey.questions.all()}
    )
    del data[f"q{q['nps'].pk}"]
    data[f"q{q['choice'].pk}"] = "Carrier pigeon"
    data[f"q{q['text'].pk}"] = "Keep this comment"
    response = client.post(link(token), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please check your answers" in body
    assert "Choose an answer to this question." in body
    assert "Select a valid choice. Carrier pigeon is not one of the available choices." in body
    assert "Keep this comment</textarea>" in body
    assert re.search(rf'name="q{q["csat"].pk}" value="4"[^>]*checked', body)
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == 0
    # The form's own check passes, the service's does not: the message lands on its field.
    del data[f"q{q['choice'].pk}"]
    response = client.post(link(token), data)
    assert response.status_code == 400
    assert f'href="#id_q{q["nps"].pk}_0"' in response.content.decode()


@pytest.mark.parametrize(
    "garbage",
    [
        {"q1": "\x00", "q2": ["1", "2"], "q999": "9"},
        {"q3_s1": "99", "q3_s999": "1", "q6": "x" * 6000},
        {"csrfmiddlewaretoken": "nope", "q1": "１０"},
        {"q1": "-0", "q5": "", "q2": "1e3"},
    ],
)
def test_a_garbage_post_never_fails_with_a_server_error(client, sworld, garbage):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    response = client.post(link(token), garbage)
    assert response.status_code in (302, 400), response.status_code
    assert refreshed(campaign).status == Campaign.Status.OPEN


def test_a_post_saves_only_what_the_form_asks(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, token = invite(campaign, sworld.bea)
    data = {**full_answers(sworld, sworld.survey), "customer": "999", "invitation": "1"}
    assert client.post(link(token), data).status_code == 302
    saved = in_tenant(sworld.customer.tenant, lambda: Response.objects.get())
    assert saved.customer_id == sworld.customer.pk and saved.invitation_id == invitation.pk


def test_the_link_reads_a_fixed_number_of_queries(client, sworld):
    """The token's lookup (its savepoint, set, read, clear), whether the office is open, then in
    the office (savepoints and set_config): the office, the invitation with its campaign and
    survey, the questions, the services, the response; however many services there are."""
    from tests.factories import CustomerServiceFactory, ServiceFactory

    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)

    def count() -> int:
        client.get(link(token))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(link(token)).status_code == 200
        return len(ctx.captured_queries)

    first = count()
    for n in range(3):
        service = ServiceFactory(tenant=sworld.customer.tenant, name=f"Extra service {n}")
        CustomerServiceFactory(customer=sworld.customer, service=service)
    assert count() == first == 17


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        # What a browser sends under Referrer-Policy: no-referrer, from the form's own page.
        ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, 302),
        ({"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}, 302),
        # A page elsewhere posting to the link, or a client that cannot say where it posts from.
        ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, 403),
        ({"Origin": "null"}, 403),
        ({"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403),
    ],
)
def test_the_csrf_check_takes_the_browsers_word_for_a_post_without_an_origin(
    sworld, headers, status
):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    client = Client(enforce_csrf_checks=True)
    data = {
        **full_answers(sworld, sworld.survey),
        "csrfmiddlewaretoken": _csrf(client, link(token)),
    }
    assert client.post(link(token), data, headers=headers).status_code == status
    assert in_tenant(sworld.customer.tenant, Response.objects.count) == (status == 302)


def test_a_secure_post_without_referer_needs_the_browsers_same_origin_word(sworld):
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)
    client = Client(enforce_csrf_checks=True)
    data = {
        **full_answers(sworld, sworld.survey),
        "csrfmiddlewaretoken": _csrf(client, link(token)),
    }
    assert client.post(link(token), data, secure=True).status_code == 403
    same = {"Sec-Fetch-Site": "same-origin"}
    assert client.post(link(token), data, secure=True, headers=same).status_code == 302
