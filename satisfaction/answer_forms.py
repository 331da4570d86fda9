"""The survey form a respondent fills in, from the answer link or the portal.

One field per question (for a service rating, one per service the customer consumes), named by
`responses.answer_field_name`, so a refusal of the service lands on its field. Every field is
optional here: whether a question must be answered, and whether a score fits its scale, is
`responses.response_save`'s to say, once for every caller. The form only turns the POST into
the answers the service takes, and refuses what no question offers (a value outside its
choices), so a garbage POST re-renders with messages.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question
from .responses import NO_OPINION, TEXT_MAX_LENGTH, answer_field_name

# What the ends of each scale mean, shown beside the lowest and the highest score.
SCALE_ENDS = {
    Question.Kind.NPS: (_("Not at all likely"), _("Extremely likely")),
    Question.Kind.CSAT: (_("Very dissatisfied"), _("Very satisfied")),
    Question.Kind.SERVICE_RATING: (_("Very poor"), _("Very good")),
    Question.Kind.EFFORT: (_("Very difficult"), _("Very easy")),
}


NO_OPINION_LABEL = _("Don't use / no opinion")


class ScaleSelect(forms.RadioSelect):
    """Radio buttons of a scale, drawn by the survey template (one fieldset a question)."""

    def __init__(self):
        super().__init__(attrs={"class": "btn-check"})


class AnswerForm(forms.Form):
    """The questions of `questions` in `language`, with a rating row per one of `services`."""

    def __init__(self, *args, questions, services, language: str, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.items: list[dict] = []
        for question in questions:
            item = {
                "question": question,
                "kind": question.kind,
                "text": question.text_in(language),
                "required": question.required,
                "name": answer_field_name(question),
                "rows": [],
            }
            if question.kind == Question.Kind.SERVICE_RATING:
                if not services:
                    continue  # nothing to rate: the question is not asked
                for service in services:
                    name = answer_field_name(question, service)
                    self.fields[name] = forms.ChoiceField(
                        label=service.name,
                        required=False,
                        choices=[*_scale_choices(question), (NO_OPINION, NO_OPINION_LABEL)],
                        widget=ScaleSelect(),
                    )
                    item["rows"].append({"service": service, "name": name})
            elif question.scale is not None:
                self.fields[item["name"]] = forms.ChoiceField(
                    label=item["text"],
                    required=False,
                    choices=_scale_choices(question),
                    widget=ScaleSelect(),
                )
            elif question.kind == Question.Kind.CHOICE:
                self.fields[item["name"]] = forms.ChoiceField(
                    label=item["text"],
                    required=False,
                    choices=[(c, c) for c in question.choices or []],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            else:
                self.fields[item["name"]] = forms.CharField(
                    label=item["text"],
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                )
            if question.scale is not None:
                item["low"], item["high"] = question.scale
                item["low_label"], item["high_label"] = SCALE_ENDS[question.kind]
            self.items.append(item)

    @staticmethod
    def initial_from(items_answers: dict, questions, services, *, answered: bool) -> dict:
        """The form's initial values from `responses.answers_of(response)`; in a response that
        exists a service left unrated was answered "don't use / no opinion"."""
        initial = {}
        for question in questions:
            value = items_answers.get(question.pk)
            if question.kind == Question.Kind.SERVICE_RATING:
                rated = value or {}
                for service in services:
                    rating = rated.get(service.pk)
                    if rating is not None:
                        initial[answer_field_name(question, service)] = str(rating)
                    elif answered:
                        initial[answer_field_name(question, service)] = NO_OPINION
            elif value not in (None, ""):
                initial[answer_field_name(question)] = str(value)
        return initial

    def answers(self) -> dict:
        """The cleaned answers in the shape `responses.response_save` takes."""
        answers: dict = {}
        for item in self.items:
            question = item["question"]
            if item["rows"]:
                answers[question.pk] = {
                    row["service"].pk: self.cleaned_data[row["name"]]
                    for row in item["rows"]
                    if self.cleaned_data.get(row["name"])
                }
            elif self.cleaned_data.get(item["name"]):
                answers[question.pk] = self.cleaned_data[item["name"]]
        return answers

    def bound_items(self) -> list[dict]:
        """The items with their bound fields and errors, for the template."""
        shown = []
        for item in self.items:
            entry = dict(item)
            if item["rows"]:
                entry["rows"] = [
                    {**row, "field": self[row["name"]], "errors": self.errors.get(row["name"])}
                    for row in item["rows"]
                ]
                entry["errors"] = self.errors.get(item["name"])
                entry["has_errors"] = bool(entry["errors"]) or any(
                    r["errors"] for r in entry["rows"]
                )
            else:
                entry["field"] = self[item["name"]]
                entry["errors"] = self.errors.get(item["name"])
                entry["has_errors"] = bool(entry["errors"])
            shown.append(entry)
        return shown

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) of every error, for the summary at the top of the form."""
        links = []
        for message in self.non_field_errors():
            links.append(("", message))
        for item in self.items:
            names = [item["name"], *(row["name"] for row in item["rows"])]
            for name in names:
                for message in self.errors.get(name, ()):
                    anchor = f"id_{name}" if item["kind"] == Question.Kind.TEXT else f"id_{name}_0"
                    label = self.fields[name].label if name in self.fields else item["text"]
                    links.append((anchor, f"{label} – {message}"))
        return links


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    low, high = question.scale
    return [(str(n), str(n)) for n in range(low, high + 1)]
