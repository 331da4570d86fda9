"""Whatever a client posts to the answer link or the portal's survey page, the answer is a
saved response (302) or the form with its messages (400), never a server error. Hypothesis
draws the posts: the form's own field names and some others, each with any text, several
values, or none."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from satisfaction.models import Campaign
from tests.kit import in_tenant, refreshed
from tests.satisfaction.respond_kit import campaign_in, invite, link

pytestmark = pytest.mark.django_db

TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["0", "5", "10", "11", "-1", "no_opinion", "Phone", "", " ", "1e3", "٣"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _names(sworld) -> list[str]:
    def read():
        names = []
        for question in sworld.survey.questions.all():
            names.append(f"q{question.pk}")
            names += [f"q{question.pk}_s{s.pk}" for s in sworld.services]
        return names

    return in_tenant(sworld.customer.tenant, read) + ["q0", "q-1", "csrfmiddlewaretoken", "x"]


def _posts(names):
    return st.dictionaries(
        st.sampled_from(names), st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=12
    )


FUZZ = hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_answer_link_takes_any_post_without_a_server_error(client, sworld, settings):
    settings.SURVEY_LINK_RATE_LIMIT = ""  # the rate limit has its own test
    campaign = campaign_in(sworld.survey)
    _invitation, token = invite(campaign, sworld.bea)

    @FUZZ
    @given(_posts(_names(sworld)))
    def post(data):
        response = client.post(link(token), data)
        assert response.status_code in (302, 400), (response.status_code, data)

    post()
    assert refreshed(campaign).status == Campaign.Status.OPEN


def test_the_portal_survey_page_takes_any_post_without_a_server_error(client, sworld):
    campaign = campaign_in(sworld.survey)
    invitation, _token = invite(campaign, sworld.bea)
    client.force_login(sworld.business_manager.user)
    path = f"/t/tenant-a/portal/surveys/{invitation.pk}/"

    @FUZZ
    @given(_posts(_names(sworld)))
    def post(data):
        response = client.post(path, data)
        assert response.status_code in (302, 400), (response.status_code, data)

    post()
