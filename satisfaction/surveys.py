"""Writing surveys: the template, its questions, and new versions (audited).

A survey a campaign has sent is frozen (`Survey.frozen_at`): its questions are what the
respondents answered, and the results compare answers to the same question across campaigns.
Every change to a frozen survey is refused with a message that tells the author to make a new
version (`survey_new_version`), which copies the questions and counts the version up. The pages
and the API call these, so the rule is written once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import apply_changes, audit_record, audited_save

from .models import Question, Survey

FROZEN_MESSAGE = (
    "This survey has been sent and is frozen: make a new version of it to change its questions."
)
SURVEY_FIELDS = ("name", "introduction")
QUESTION_FIELDS = ("kind", "text", "required", "choices", "translations")
CHOICES_MIN, CHOICES_MAX = 2, 10


def acting_user(actor):
    """The user behind an actor: a Membership (pages, API keys' makers) or a User."""
    return getattr(actor, "user", actor)


def save_audited(instance, **kwargs) -> None:
    """audited_save, with the model's checks but for `created_by` (empty for a record made
    outside the pages: an import, the demo, a factory)."""
    instance.full_clean(exclude=["created_by"])
    audited_save(instance, validate=False, **kwargs)


def refuse_if_frozen(survey: Survey) -> None:
    """A ValidationError telling the author to make a new version, for a frozen survey."""
    if survey.is_frozen:
        raise ValidationError(_(FROZEN_MESSAGE), code="frozen")


def _clean_name(data: dict) -> None:
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            raise ValidationError({"name": _("Give the survey a name.")})


@transaction.atomic
def survey_create(*, actor, name: str, introduction: str = "") -> Survey:
    data = {"name": name, "introduction": introduction or ""}
    _clean_name(data)
    survey = Survey(created_by=acting_user(actor))
    changes = apply_changes(survey, data)
    save_audited(
        survey, actor=acting_user(actor), action="survey.created", changes=changes, created=True
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, actor, **data) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    data = {k: v for k, v in data.items() if k in SURVEY_FIELDS}
    _clean_name(data)
    changes = apply_changes(survey, data)
    if changes:
        refuse_if_frozen(survey)
    save_audited(survey, actor=acting_user(actor), action="survey.updated", changes=changes)
    return survey


def survey_freeze(*, survey: Survey) -> Survey:
    """Freeze a survey as a campaign sends it (once; later calls keep the first time)."""
    if survey.frozen_at is None:
        updated = Survey.objects.filter(pk=survey.pk, frozen_at=None).update(
            frozen_at=timezone.now()
        )
        if updated:
            audit_record(actor=None, action="survey.frozen", obj=survey)
        survey.refresh_from_db(fields=["frozen_at"])
    return survey


# Questions ---------------------------------------------------------------------------------------


def clean_question(data: dict) -> dict:
    """The question's fields checked and normalised; a ValidationError names the field."""
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    if kind not in Question.Kind.values:
        errors["kind"] = [_("Choose the kind of question.")]
    text = (data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Write the question.")]
    elif len(text) > 500:
        errors["text"] = [_("Keep the question to 500 characters.")]
    choices = [str(c).strip() for c in (data.get("choices") or []) if str(c).strip()]
    if kind == Question.Kind.CHOICE:
        if len(choices) < CHOICES_MIN or len(choices) > CHOICES_MAX:
            errors["choices"] = [
                _("A single choice has %(min)s to %(max)s options.")
                % {"min": CHOICES_MIN, "max": CHOICES_MAX}
            ]
        elif len({c.casefold() for c in choices}) != len(choices):
            errors["choices"] = [_("Each option must be different.")]
        elif any(len(c) > 200 for c in choices):
            errors["choices"] = [_("Keep each option to 200 characters.")]
    elif choices:
        errors["choices"] = [_("Only a single choice question has options.")]
    translations = data.get("translations") or {}
    known = {code for code, _name in settings.LANGUAGES}
    cleaned_translations = {}
    if not isinstance(translations, dict):
        errors["translations"] = [_("Give the translations by language code.")]
    else:
        for code, value in translations.items():
            if code not in known:
                errors.setdefault("translations", []).append(
                    _("“%(code)s” is not a language of the application (%(known)s).")
                    % {"code": code, "known": ", ".join(sorted(known))}
                )
                continue
            value = (value or "").strip() if isinstance(value, str) else None
            if value is None:
                errors.setdefault("translations", []).append(_("A translation is text."))
            elif len(value) > 500:
                errors.setdefault("translations", []).append(
                    _("Keep each translation to 500 characters.")
                )
            elif value:
                cleaned_translations[code] = value
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "text": text,
        "required": bool(data.get("required", True)),
        "choices": choices if kind == Question.Kind.CHOICE else [],
        "translations": cleaned_translations,
    }


def _locked_survey(survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    refuse_if_frozen(survey)
    return survey


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    actor,
    kind: str,
    text: str,
    required: bool = True,
    choices=None,
    translations=None,
) -> Question:
    survey = _locked_survey(survey)
    data = clean_question(
        {
            "kind": kind,
            "text": text,
            "required": required,
            "choices": choices,
            "translations": translations,
        }
    )
    last = Question.objects.filter(survey=survey).aggregate(last=Max("position"))["last"]
    question = Question(survey=survey, position=0 if last is None else last + 1)
    changes = apply_changes(question, data)
    save_audited(
        question, actor=acting_user(actor), action="question.created", changes=changes, created=True
    )
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())
    return question


@transaction.atomic
def question_update(*, question: Question, actor, **data) -> Question:
    _locked_survey(question.survey)
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = {name: getattr(question, name) for name in QUESTION_FIELDS}
    merged = clean_question({**current, **{k: v for k, v in data.items() if k in QUESTION_FIELDS}})
    changes = apply_changes(question, merged)
    save_audited(question, actor=acting_user(actor), action="question.updated", changes=changes)
    return question


@transaction.atomic
def question_remove(*, question: Question, actor) -> None:
    survey = _locked_survey(question.survey)
    audit_record(
        actor=acting_user(actor),
        action="question.deleted",
        obj=survey,
        changes={"question": [question.text, None]},
    )
    question.delete()


@transaction.atomic
def question_move(*, question: Question, actor, direction: str) -> Question:
    """Swap the question with its neighbour above (`up`) or below (`down`)."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a question up or down.")})
    survey = _locked_survey(question.survey)
    ordered = list(Question.objects.filter(survey=survey).order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return ordered[index]
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, q in enumerate(ordered):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)
            q.position = position
    audit_record(
        actor=acting_user(actor),
        action="question.moved",
        obj=survey,
        changes={"question": [question.text, direction]},
    )
    return ordered[other]


# Versions ----------------------------------------------------------------------------------------


@transaction.atomic
def survey_new_version(*, survey: Survey, actor) -> Survey:
    """A new, unfrozen copy of the survey and its questions (version + 1, `previous` set).
    Only the latest version gets a successor: the chain stays one line."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if Survey.objects.filter(previous=survey).exists():
        raise ValidationError(
            _("A newer version of this survey exists already: change that one."), code="newer"
        )
    user = acting_user(actor)
    copy = Survey(
        name=survey.name,
        introduction=survey.introduction,
        version=survey.version + 1,
        previous=survey,
        created_by=user,
    )
    save_audited(
        copy,
        actor=user,
        action="survey.versioned",
        changes={"version": [survey.version, copy.version]},
        created=True,
    )
    Question.objects.bulk_create(
        [
            Question(
                tenant_id=copy.tenant_id,
                survey=copy,
                position=q.position,
                kind=q.kind,
                text=q.text,
                translations=q.translations,
                required=q.required,
                choices=q.choices,
            )
            for q in Question.objects.filter(survey=survey).order_by("position", "pk")
        ]
    )
    return copy
