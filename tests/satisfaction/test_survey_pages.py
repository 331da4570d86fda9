"""The survey pages: the list, making one, its questions, the frozen rule and new versions."""

import pytest

from satisfaction import surveys
from satisfaction.models import Question, Survey
from tests.factories import SurveyFactory, survey_with_questions
from tests.kit import assert_page_queries, in_tenant, refreshed
from tests.satisfaction.staff_kit import body, signed_in, url

pytestmark = pytest.mark.django_db


def test_an_rm_makes_a_survey_and_adds_questions_of_each_kind(client, tenant_a, rm_a):
    signed_in(client, rm_a)
    response = client.post(url(tenant_a, "survey_create"), {"name": "Quarterly pulse"})
    survey = in_tenant(tenant_a, lambda: Survey.objects.get())
    assert response["Location"] == url(tenant_a, "survey_detail", pk=survey.pk)
    add = url(tenant_a, "question_create", pk=survey.pk)
    assert client.get(add).status_code == 200
    for kind, extra in [
        ("nps", {"text_nl": "Zou u ons aanbevelen?"}),
        ("csat", {}),
        ("service_rating", {}),
        ("effort", {}),
        ("choice", {"choices": "Phone\nPortal\n\nEmail"}),
        ("text", {"required": ""}),
    ]:
        data = {"kind": kind, "text": f"A {kind} question", "required": "on", **extra}
        if extra.get("required") == "":
            data.pop("required")
        assert client.post(add, data).status_code == 302, kind
    questions = in_tenant(tenant_a, lambda: list(Question.objects.order_by("position")))
    assert [q.kind for q in questions] == [
        "nps",
        "csat",
        "service_rating",
        "effort",
        "choice",
        "text",
    ]
    assert questions[0].translations == {"nl": "Zou u ons aanbevelen?"}
    assert questions[4].choices == ["Phone", "Portal", "Email"]
    assert questions[5].required is False
    page = body(client.get(url(tenant_a, "survey_detail", pk=survey.pk)))
    assert "A choice question" in page and "Portal" in page


def test_a_single_choice_with_one_option_re_renders_with_the_message(client, tenant_a, rm_a):
    survey = SurveyFactory(tenant=tenant_a)
    signed_in(client, rm_a)
    response = client.post(
        url(tenant_a, "question_create", pk=survey.pk),
        {"kind": "choice", "text": "Which channel?", "choices": "Phone", "required": "on"},
    )
    assert response.status_code == 200
    assert "2 to 10 options" in body(response)
    assert "Which channel?" in body(response)  # nothing typed is lost
    assert in_tenant(tenant_a, lambda: Question.objects.count()) == 0


def test_an_empty_survey_name_re_renders(client, tenant_a, rm_a):
    signed_in(client, rm_a)
    response = client.post(url(tenant_a, "survey_create"), {"name": ""})
    assert response.status_code == 200
    assert "is-invalid" in body(response)


def test_editing_a_frozen_survey_is_refused_and_offers_a_new_version(client, tenant_a, rm_a):
    survey = survey_with_questions(tenant=tenant_a)
    in_tenant(tenant_a, lambda: surveys.survey_freeze(survey=survey))
    signed_in(client, rm_a)
    edit = url(tenant_a, "survey_edit", pk=survey.pk)
    page = body(client.get(edit))
    assert "make a new version" in page
    assert url(tenant_a, "survey_new_version", pk=survey.pk) in page
    response = client.post(edit, {"name": "Renamed"})
    assert response.status_code == 200
    assert "make a new version" in body(response)
    assert refreshed(survey).name != "Renamed"
    question = in_tenant(tenant_a, lambda: survey.questions.first())
    response = client.post(
        url(tenant_a, "question_edit", pk=survey.pk, question_pk=question.pk),
        {"kind": "nps", "text": "Changed", "required": "on"},
    )
    assert response.status_code == 200 and "make a new version" in body(response)


def test_the_new_version_page_copies_the_survey_and_opens_the_copy(client, tenant_a, rm_a):
    survey = survey_with_questions(tenant=tenant_a)
    in_tenant(tenant_a, lambda: surveys.survey_freeze(survey=survey))
    signed_in(client, rm_a)
    response = client.post(url(tenant_a, "survey_new_version", pk=survey.pk))
    copy = in_tenant(tenant_a, lambda: Survey.objects.get(previous=survey))
    assert response["Location"] == url(tenant_a, "survey_detail", pk=copy.pk)
    page = body(client.get(response["Location"]))
    assert "version 2" in page and url(tenant_a, "survey_detail", pk=survey.pk) in page
    # The old version points at its successor, and offers no second one.
    old = client.get(url(tenant_a, "survey_new_version", pk=survey.pk))
    assert "A newer version of this survey exists already" in body(old)


def test_questions_move_and_are_removed_from_the_survey_page(client, tenant_a, rm_a):
    survey = survey_with_questions(tenant=tenant_a, kinds=("nps", "csat"))
    nps, csat = in_tenant(tenant_a, lambda: list(survey.questions.order_by("position")))
    signed_in(client, rm_a)
    move = url(tenant_a, "question_move", pk=survey.pk, question_pk=csat.pk)
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert refreshed(csat).position == 0
    assert client.post(move, {"direction": "sideways"}).status_code == 200  # re-rendered
    delete = url(tenant_a, "question_delete", pk=survey.pk, question_pk=nps.pk)
    assert client.post(delete).status_code == 302
    assert in_tenant(tenant_a, lambda: list(survey.questions.values_list("kind", flat=True))) == [
        "csat"
    ]


def test_a_question_of_another_survey_is_not_found_under_this_one(client, tenant_a, rm_a):
    one, other = survey_with_questions(tenant=tenant_a), survey_with_questions(tenant=tenant_a)
    question = in_tenant(tenant_a, lambda: other.questions.first())
    signed_in(client, rm_a)
    path = url(tenant_a, "question_edit", pk=one.pk, question_pk=question.pk)
    assert client.get(path).status_code == 404


def test_the_list_searches_and_sorts_and_says_when_nothing_matches(client, tenant_a, rm_a):
    SurveyFactory(tenant=tenant_a, name="Annual relationship survey")
    SurveyFactory(tenant=tenant_a, name="Service desk pulse")
    signed_in(client, rm_a)
    page = body(client.get(url(tenant_a, "survey_list") + "?q=pulse&sort=-name"))
    assert "Service desk pulse" in page and "Annual relationship" not in page
    assert "No survey matches" in body(client.get(url(tenant_a, "survey_list") + "?q=zzz"))


def test_the_empty_list_invites_a_writer_to_make_the_first_survey(client, tenant_a, rm_a):
    signed_in(client, rm_a)
    assert "Make the first one" in body(client.get(url(tenant_a, "survey_list")))


def test_an_analyst_reads_surveys_but_cannot_make_or_change_them(client, tenant_a, rm_a):
    from brm.tenancy.models import Role
    from tests.kit import make_member

    survey = survey_with_questions(tenant=tenant_a)
    signed_in(client, make_member(tenant_a, Role.ANALYST))
    assert client.get(url(tenant_a, "survey_detail", pk=survey.pk)).status_code == 200
    assert "New survey" not in body(client.get(url(tenant_a, "survey_list")))
    assert client.post(url(tenant_a, "survey_create"), {"name": "No"}).status_code == 403
    assert client.post(url(tenant_a, "survey_edit", pk=survey.pk), {"name": "x"}).status_code == 403


def test_the_survey_pages_read_a_fixed_number_of_queries(client, tenant_a, rm_a):
    for _ in range(3):
        survey = survey_with_questions(tenant=tenant_a)
    signed_in(client, rm_a)
    # The page's rows with their counts, and the count for the pager.
    assert_page_queries(client, url(tenant_a, "survey_list"), own=2)
    # The survey with its versions, its questions, its campaigns.
    assert_page_queries(client, url(tenant_a, "survey_detail", pk=survey.pk), own=3)
