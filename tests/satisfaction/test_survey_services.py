"""Writing surveys: questions of every kind with their checks, the frozen rule, new versions."""

import pytest
from django.core.exceptions import ValidationError

from satisfaction import surveys
from satisfaction.models import Question, Survey
from tests.kit import assert_audited

pytestmark = pytest.mark.usefixtures("as_tenant_a")


@pytest.fixture
def survey(rm_a):
    return surveys.survey_create(actor=rm_a, name="Pulse", introduction="Two minutes.")


def test_a_survey_is_made_and_audited_with_its_author(tenant_a, rm_a, survey):
    assert (survey.name, survey.version, survey.created_by) == ("Pulse", 1, rm_a.user)
    assert_audited(tenant_a, "survey.created", obj=survey, actor=rm_a.user)


def test_a_survey_needs_a_name(rm_a):
    with pytest.raises(ValidationError) as caught:
        surveys.survey_create(actor=rm_a, name="  ")
    assert "name" in caught.value.message_dict


def test_questions_are_added_in_order_with_translations(rm_a, survey):
    first = surveys.question_add(
        survey=survey, actor=rm_a, kind="nps", text=" Recommend us? ", translations={"nl": "Ja?"}
    )
    second = surveys.question_add(survey=survey, actor=rm_a, kind="text", text="Anything else?")
    assert (first.position, second.position) == (0, 1)
    assert first.text == "Recommend us?"
    assert first.translations == {"nl": "Ja?"}


@pytest.mark.parametrize(
    "choices, message",
    [
        (["Only one"], "2 to 10 options"),
        ([f"Option {n}" for n in range(11)], "2 to 10 options"),
        (["Phone", "phone"], "must be different"),
    ],
)
def test_a_single_choice_needs_two_to_ten_distinct_options(rm_a, survey, choices, message):
    with pytest.raises(ValidationError) as caught:
        surveys.question_add(survey=survey, actor=rm_a, kind="choice", text="How?", choices=choices)
    assert message in " ".join(caught.value.message_dict["choices"])


def test_options_belong_to_a_single_choice_only(rm_a, survey):
    with pytest.raises(ValidationError) as caught:
        surveys.question_add(survey=survey, actor=rm_a, kind="csat", text="Happy?", choices=["a"])
    assert "choices" in caught.value.message_dict


def test_a_translation_is_keyed_by_a_language_of_the_application(rm_a, survey):
    with pytest.raises(ValidationError) as caught:
        surveys.question_add(
            survey=survey, actor=rm_a, kind="csat", text="Happy?", translations={"xx": "?"}
        )
    assert "“xx” is not a language" in " ".join(caught.value.message_dict["translations"])


def test_a_question_needs_its_text_and_a_known_kind(rm_a, survey):
    with pytest.raises(ValidationError) as caught:
        surveys.question_add(survey=survey, actor=rm_a, kind="slider", text="")
    assert set(caught.value.message_dict) == {"kind", "text"}


def test_questions_move_up_and_down(rm_a, survey):
    a = surveys.question_add(survey=survey, actor=rm_a, kind="nps", text="A")
    b = surveys.question_add(survey=survey, actor=rm_a, kind="csat", text="B")
    surveys.question_move(question=b, actor=rm_a, direction="up")
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == ["B", "A"]
    surveys.question_move(question=a, actor=rm_a, direction="up")
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == ["A", "B"]


def test_a_frozen_survey_refuses_every_change_and_says_to_make_a_new_version(rm_a, survey):
    question = surveys.question_add(survey=survey, actor=rm_a, kind="nps", text="A")
    surveys.survey_freeze(survey=survey)
    attempts = [
        lambda: surveys.survey_update(survey=survey, actor=rm_a, name="Other"),
        lambda: surveys.question_add(survey=survey, actor=rm_a, kind="csat", text="B"),
        lambda: surveys.question_update(question=question, actor=rm_a, text="Changed"),
        lambda: surveys.question_remove(question=question, actor=rm_a),
        lambda: surveys.question_move(question=question, actor=rm_a, direction="down"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert "make a new version" in " ".join(caught.value.messages)
    assert Question.objects.get(pk=question.pk).text == "A"


def test_a_new_version_copies_the_questions_and_can_be_changed(tenant_a, rm_a, survey):
    surveys.question_add(
        survey=survey, actor=rm_a, kind="choice", text="How?", choices=["Phone", "Mail"]
    )
    surveys.question_add(survey=survey, actor=rm_a, kind="nps", text="Recommend?")
    surveys.survey_freeze(survey=survey)
    copy = surveys.survey_new_version(survey=survey, actor=rm_a)
    assert (copy.version, copy.previous_id, copy.is_frozen) == (2, survey.pk, False)
    assert [(q.kind, q.text, q.choices) for q in copy.questions.order_by("position")] == [
        ("choice", "How?", ["Phone", "Mail"]),
        ("nps", "Recommend?", []),
    ]
    surveys.question_update(question=copy.questions.get(kind="nps"), actor=rm_a, text="Again?")
    assert survey.questions.get(kind="nps").text == "Recommend?"  # the sent version is unchanged
    assert_audited(tenant_a, "survey.versioned", obj=copy)


def test_only_the_latest_version_gets_a_successor(rm_a, survey):
    surveys.survey_new_version(survey=survey, actor=rm_a)
    with pytest.raises(ValidationError):
        surveys.survey_new_version(survey=survey, actor=rm_a)
    assert Survey.objects.count() == 2
