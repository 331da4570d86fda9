"""Answering a survey: finding the invitation of an answer link, whether its campaign takes
answers, saving a respondent's answers (one response per invitation, editable until the
campaign closes), the follow-up of a low score, and opting out of surveys.

The answer link (`/s/<token>/`), the portal's survey page and any later caller go through
`response_save`, so every rule is written once here:

* each answer is checked against its question's kind: a score inside the scale, a choice among
  the question's options, a service among those the invitation's customer consumes, a required
  question answered;
* one response per invitation: the invitation's row is locked while its response is found or
  made, and the database's unique keys stand behind the lock;
* attributed and confidential campaigns link the response to its invitation and record the
  invitation's `answered_at`; an anonymous one keeps no link at all: the response carries
  `respondent_key`, an HMAC of the invitation under SECRET_KEY, so the same link (or login)
  edits the same response while the database alone cannot tell whose it is; the invitation's
  `answered_at` stays empty (reminders then go to everyone, worded generally, as the campaign
  promises);
* a detractor (NPS 0-6) or a CSAT of 1-2 makes one follow-up action item for the customer's
  relationship manager, due in 2 working days of the office's business calendar, once per
  response (`Response.follow_up` holds it).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import audit_record
from brm.hours.arithmetic import add_business_time
from brm.hours.selectors import office_calendar
from brm.tenancy.models import Tenant
from customers import services as customer_services
from customers.models import ActionItem, CustomerService, Service

from .campaigns import opt_out as campaign_opt_out
from .models import Answer, Campaign, Invitation, InvitationToken, Question, Response, SurveyOptOut
from .tokens import token_hash

TOKEN_SETTING = "app.survey_token"
MAX_TOKEN_LENGTH = 100
TEXT_MAX_LENGTH = 5000
FOLLOW_UP_WORKING_DAYS = 2
NPS_DETRACTOR_MAX = 6
CSAT_LOW_MAX = 2
# A service-rating row answered "don't use / no opinion": nothing is stored for it.
NO_OPINION = "no_opinion"


class State:
    """Where a campaign stands for a respondent (`answer_state`)."""

    OPEN = "open"  # takes answers and changes to them
    NOT_OPEN = "not_open"  # scheduled, or open but before its opening time
    CLOSED = "closed"  # closed, or past its closing time
    GONE = "gone"  # a draft, a cancelled campaign, a held-back invitation: as if unknown


def answer_state(campaign: Campaign, *, now: datetime | None = None) -> str:
    """Whether `campaign` takes answers at `now`. A status this module does not know (a draft,
    a cancelled campaign) is GONE: its links answer like an unknown one."""
    now = now or timezone.now()
    status = campaign.status
    if status == Campaign.Status.CLOSED:
        return State.CLOSED
    if status == Campaign.Status.SCHEDULED:
        return State.NOT_OPEN
    if status == Campaign.Status.OPEN:
        if now < campaign.opens_at:
            return State.NOT_OPEN
        return State.OPEN if now < campaign.closes_at else State.CLOSED
    return State.GONE


def invitation_state(invitation: Invitation, *, now: datetime | None = None) -> str:
    if invitation.is_held_back:
        return State.GONE
    return answer_state(invitation.campaign, now=now)


# Finding the invitation of a link ---------------------------------------------------------------


def _candidates(digest: str) -> list[dict]:
    """The tokens with this hash, in whatever office: the one read here that crosses tenants.
    On PostgreSQL the row-level security policy shows a row of another office only while
    `app.survey_token` names its hash (InvitationToken.rls_extra_read_condition); the setting is
    cleared again right after, inside the caller's transaction."""
    rows = InvitationToken.all_tenants.filter(token_hash=digest).values(
        "tenant_id", "invitation_id", "token_hash"
    )
    if connection.vendor != "postgresql":
        return list(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [TOKEN_SETTING, digest])
        try:
            return list(rows)
        finally:
            cursor.execute("SELECT set_config(%s, '', true)", [TOKEN_SETTING])


def invitation_find(token: str) -> tuple[int, int] | None:
    """(office id, invitation id) of an answer link's token, or None: unknown, malformed, or of
    an office that is closed. Runs before any office is known; whether the campaign still takes
    answers is asked in the office (`invitation_state`)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = token_hash(token)
    row = next(
        (r for r in _candidates(digest) if hmac.compare_digest(r["token_hash"], digest)), None
    )
    if row is None:
        return None
    if not Tenant.objects.filter(pk=row["tenant_id"], is_active=True).exists():
        return None
    return row["tenant_id"], row["invitation_id"]


# Reading a response ------------------------------------------------------------------------------


def respondent_key(invitation: Invitation) -> str:
    """The anonymous response's key: an HMAC of the office, campaign and invitation under
    SECRET_KEY. The same invitation always gives the same key (so its respondent edits their own
    response); the database holds no way back from the key to the invitation."""
    message = f"survey-respondent:{invitation.tenant_id}:{invitation.campaign_id}:{invitation.pk}"
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _response_query(invitation: Invitation):
    # Ordered by pk alone: the model's order would join the campaign for nothing.
    if invitation.campaign.links_responses:
        return Response.objects.filter(invitation=invitation).order_by("pk")
    return Response.objects.filter(
        campaign_id=invitation.campaign_id, respondent_key=respondent_key(invitation)
    ).order_by("pk")


def response_for_invitation(invitation: Invitation) -> Response | None:
    """The invitation's response (in anonymous mode found by its respondent key), or None."""
    return _response_query(invitation).first()


def answers_of(response: Response | None) -> dict:
    """A response's answers in the shape `response_save` takes (to fill the form again)."""
    if response is None:
        return {}
    values: dict = {}
    for answer in response.answers.select_related("question"):
        question = answer.question
        if question.kind == Question.Kind.SERVICE_RATING:
            if answer.service_id is not None and answer.value is not None:
                values.setdefault(question.pk, {})[answer.service_id] = answer.value
        elif question.kind in (Question.Kind.CHOICE, Question.Kind.TEXT):
            values[question.pk] = answer.text
        else:
            values[question.pk] = answer.value
    return values


def survey_questions(survey) -> list[Question]:
    """The survey's questions in their order (by position; no join to the survey)."""
    return list(survey.questions.order_by("position", "pk"))


def consumed_services(customer_id: int) -> list[Service]:
    """The catalogue services a customer consumes, by name: the rows of a service rating."""
    return list(
        Service.objects.filter(
            pk__in=CustomerService.objects.filter(customer_id=customer_id).values("service_id")
        ).order_by("name", "pk")
    )


# Saving ------------------------------------------------------------------------------------------


def answer_field_name(question: Question, service: Service | int | None = None) -> str:
    """The name a form field (and a refusal) gives an answer: `q<question>` or, for one service
    of a service rating, `q<question>_s<service>`."""
    if service is None:
        return f"q{question.pk}"
    return f"q{question.pk}_s{getattr(service, 'pk', service)}"


@dataclass
class _Checked:
    rows: list[Answer]
    errors: dict[str, list[str]]


def _score(question: Question, value, errors, name) -> int | None:
    low, high = question.scale
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = None
    if score is None or str(score) != str(value).strip() or not low <= score <= high:
        errors[name] = [_("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}]
        return None
    return score


def _check(questions, services: list[Service], answers: Mapping) -> _Checked:
    rows: list[Answer] = []
    errors: dict[str, list[str]] = {}
    service_ids = {s.pk for s in services}
    for question in questions:
        name = answer_field_name(question)
        value = answers.get(question.pk)
        kind = question.kind
        if kind == Question.Kind.SERVICE_RATING:
            given = value if isinstance(value, Mapping) else {}
            foreign = [pk for pk in given if pk not in service_ids]
            if value not in (None, "") and not isinstance(value, Mapping) or foreign:
                errors[name] = [_("Rate only the services your organisation uses.")]
                continue
            for service in services:
                row_name = answer_field_name(question, service)
                rating = given.get(service.pk)
                if rating in (None, ""):
                    if question.required:
                        errors[row_name] = [
                            _("Rate %(service)s, or choose “Don't use / no opinion”.")
                            % {"service": service.name}
                        ]
                    continue
                if rating == NO_OPINION:
                    continue
                score = _score(question, rating, errors, row_name)
                if score is not None:
                    rows.append(Answer(question=question, service=service, value=score))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if question.required:
                errors[name] = [
                    _("Write an answer to this question.")
                    if kind == Question.Kind.TEXT
                    else _("Choose an answer to this question.")
                ]
            continue
        if kind == Question.Kind.CHOICE:
            if value not in (question.choices or []):
                errors[name] = [_("Choose one of the options given.")]
                continue
            rows.append(Answer(question=question, text=value))
        elif kind == Question.Kind.TEXT:
            text = str(value).strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[name] = [
                    _("Write at most %(n)s characters (you wrote %(m)s).")
                    % {"n": TEXT_MAX_LENGTH, "m": len(text)}
                ]
                continue
            if "\x00" in text:
                errors[name] = [_("The text holds a character that cannot be kept.")]
                continue
            rows.append(Answer(question=question, text=text))
        elif question.scale is not None:
            score = _score(question, value, errors, name)
            if score is not None:
                rows.append(Answer(question=question, value=score))
    return _Checked(rows=rows, errors=errors)


def answer_errors(invitation: Invitation, answers: Mapping) -> dict[str, list[str]]:
    """What `response_save` would refuse in `answers`, per answer, without saving anything."""
    questions = survey_questions(invitation.campaign.survey)
    return _check(questions, consumed_services(invitation.customer_id), answers).errors


def _refusal(state: str) -> ValidationError:
    if state == State.CLOSED:
        return ValidationError(
            _("This survey has closed: answers can no longer be given or changed."), code="closed"
        )
    if state == State.NOT_OPEN:
        return ValidationError(_("This survey is not open yet."), code="not_open")
    return ValidationError(_("This survey link is no longer valid."), code="gone")


def needs_follow_up(rows) -> bool:
    """A detractor (NPS 0-6) or a CSAT of 1-2 among the answers."""
    for answer in rows:
        kind = answer.question.kind
        if answer.value is None:
            continue
        if kind == Question.Kind.NPS and answer.value <= NPS_DETRACTOR_MAX:
            return True
        if kind == Question.Kind.CSAT and answer.value <= CSAT_LOW_MAX:
            return True
    return False


def _follow_up(response: Response, invitation: Invitation, rows, now: datetime) -> ActionItem:
    campaign = invitation.campaign
    customer = invitation.customer
    cal = office_calendar()
    due = add_business_time(now, cal.day_length * FOLLOW_UP_WORKING_DAYS, cal).date()
    scores = ", ".join(
        f"{answer.question.get_kind_display()}: {answer.value}"
        for answer in rows
        if answer.value is not None
        and answer.question.kind in (Question.Kind.NPS, Question.Kind.CSAT)
    )
    if campaign.shows_individual_responses:
        # Attributed: the item names the respondent and links the response.
        source_ref = f"survey-response:{response.pk}"
        description = _(
            "%(name)s answered “%(campaign)s” with a low score (%(scores)s). Get in touch, "
            "understand what went wrong and agree what IT will do."
        ) % {"name": invitation.name, "campaign": campaign.name, "scores": scores}
    else:
        # Confidential and anonymous: staff see no answer per person, so neither does the item.
        source_ref = f"campaign:{campaign.pk}"
        description = _(
            "Someone at %(customer)s answered “%(campaign)s” with a low score. The campaign is "
            "%(mode)s: who answered is not shown. Talk to the customer about what went wrong "
            "and agree what IT will do."
        ) % {
            "customer": customer.name,
            "campaign": campaign.name,
            "mode": _("anonymous") if not campaign.links_responses else _("confidential"),
        }
    return customer_services.action_item_create(
        actor=None,
        customer=customer,
        title=_("Follow up a low survey score: %(campaign)s") % {"campaign": campaign.name},
        description=description,
        owner_member=customer.relationship_manager,
        due_date=due,
        source=ActionItem.Source.SURVEY,
        source_ref=source_ref,
    )


@transaction.atomic
def response_save(
    invitation: Invitation,
    answers: Mapping,
    now: datetime | None = None,
    *,
    actor=None,
) -> Response:
    """Save the answers of `invitation`'s respondent: the first time a new response, later a
    change of the same one, until the campaign closes.

    `answers` maps a question's pk to its answer: a score (int, or its digits as text) for NPS,
    CSAT and effort, an option of the question for a single choice, text for free text, and for
    a service rating a mapping of service pk to a score or NO_OPINION. A question left out is
    unanswered. `actor` is the signed-in portal user, if any (the link has none); it is recorded
    in attributed campaigns only.

    Refused with a ValidationError: per answer (keys of `answer_field_name`) when an answer
    does not fit its question, or as a whole (code "closed", "not_open" or "gone") when the
    campaign does not take answers.
    """
    now = now or timezone.now()
    # The invitation's row is the lock: two submissions of one link at once save one response.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign__survey", "customer__relationship_manager")
        .get(pk=invitation.pk)
    )
    campaign = invitation.campaign
    state = invitation_state(invitation, now=now)
    if state != State.OPEN:
        raise _refusal(state)
    questions = survey_questions(campaign.survey)
    services = consumed_services(invitation.customer_id)
    checked = _check(questions, services, answers)
    if checked.errors:
        raise ValidationError(checked.errors)

    response = _response_query(invitation).select_for_update().first()
    created = response is None
    if created:
        anonymous = not campaign.links_responses
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    campaign=campaign,
                    invitation=None if anonymous else invitation,
                    respondent_key=respondent_key(invitation) if anonymous else "",
                    customer_id=invitation.customer_id,
                    submitted_at=now,
                    # A signed-in portal user answered in the portal; nobody signs in on the link.
                    channel=Response.Channel.PORTAL if actor is not None else Response.Channel.LINK,
                )
        except IntegrityError:
            # Only a writer that bypassed the lock gets here; the response is theirs to edit.
            response = _response_query(invitation).select_for_update().get()
            created = False
    if not created:
        response.answers.all().delete()
        response.save(update_fields=["updated_at"])
    for row in checked.rows:
        row.response = response
        row.tenant_id = response.tenant_id  # bulk_create does not go through save()
    Answer.objects.bulk_create(checked.rows)

    if campaign.links_responses and invitation.answered_at is None:
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
    if response.follow_up_id is None and needs_follow_up(checked.rows):
        response.follow_up = _follow_up(response, invitation, checked.rows, now)
        response.save(update_fields=["follow_up", "updated_at"])

    audit_record(
        # A respondent is named only where staff may see who answered (attributed).
        actor=actor if campaign.shows_individual_responses else None,
        action="survey_response.submitted" if created else "survey_response.changed",
        obj=response,
        changes={"answers": [None, len(checked.rows)]},
    )
    return response


# Opting out --------------------------------------------------------------------------------------


def opt_out(email: str, contact=None) -> SurveyOptOut:
    """Never invite (or remind) this email address of a survey again, in the current office
    (the campaigns area's rule: idempotent, any letter case)."""
    return campaign_opt_out(email, contact=contact)


def is_opted_out(email: str) -> bool:
    return bool(email) and SurveyOptOut.objects.filter(email__iexact=email.strip()).exists()


def answered_invitation_ids(invitations) -> set[int]:
    """Of `invitations` (with their campaigns), those whose respondent has answered: by the
    invitation's `answered_at`, or in an anonymous campaign by a response under its key (one
    query for those, none for the others)."""
    answered = {
        i.pk for i in invitations if i.campaign.links_responses and i.answered_at is not None
    }
    keys = {respondent_key(i): i.pk for i in invitations if not i.campaign.links_responses}
    if keys:
        found = (
            Response.objects.filter(respondent_key__in=list(keys))
            .order_by()
            .values_list("respondent_key", flat=True)
        )
        answered |= {keys[key] for key in found}
    return answered
