"""Staff pages of satisfaction (/t/<office>/satisfaction/...): surveys and their questions and
versions, campaigns with their audience preview and progress, scheduling and calling off, and
the office's satisfaction settings (admins).

Each view finds its record in the request's office (another office's is a 404), parses the
input with a form and calls one service, whose refusal lands on the form or as a message. Every
staff role reads; the writing roles act; the settings are an admin's.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.access import admin_required, staff_required, write_required
from brm.web.pages import confirm_then, form_page, get_only, list_context, tenant_url

from . import audience, campaigns, forms, listing, selectors, surveys
from .models import Campaign, Question, Survey


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"satisfaction:{name}", request, **kwargs)


def _zone(request) -> ZoneInfo:
    return ZoneInfo(request.tenant.time_zone)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _survey_or_404(pk) -> Survey:
    survey = Survey.objects.filter(pk=pk).first()
    if survey is None:
        raise Http404(_("No such survey."))
    return survey


def _question_or_404(survey_pk, pk) -> Question:
    question = Question.objects.select_related("survey").filter(pk=pk, survey_id=survey_pk).first()
    if question is None:
        raise Http404(_("No such question."))
    return question


def _campaign_or_404(pk) -> Campaign:
    campaign = Campaign.objects.select_related("survey", "relationship_manager__user").filter(pk=pk)
    found = campaign.first()
    if found is None:
        raise Http404(_("No such campaign."))
    return found


def _survey_crumbs(request, survey=None) -> list[tuple[str, str]]:
    crumbs = [(_("Surveys"), _url("survey_list", request))]
    if survey is not None:
        crumbs.append((str(survey), _url("survey_detail", request, pk=survey.pk)))
    return crumbs


def _campaign_crumbs(request, campaign=None) -> list[tuple[str, str]]:
    crumbs = [(_("Campaigns"), _url("campaign_list", request))]
    if campaign is not None:
        crumbs.append((campaign.name, _url("campaign_detail", request, pk=campaign.pk)))
    return crumbs


def _optional_url(name: str, request, **kwargs) -> str:
    """The URL of a page another part of the area may route (the results), or ""."""
    try:
        return _url(name, request, **kwargs)
    except NoReverseMatch:
        return ""


# Surveys ----------------------------------------------------------------------------------------


@staff_required
@require_GET
def survey_list(request):
    form = forms.SurveyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", listing.SURVEY_DEFAULT_ORDERING)
    if ordering not in listing.SURVEY_ORDERINGS:
        ordering = listing.SURVEY_DEFAULT_ORDERING
    context = list_context(
        request, listing.survey_page_list(filters=filters, ordering=ordering), ordering
    )
    return render(
        request,
        "satisfaction/survey_list.html",
        {"form": form, "filtered": any(filters.values()), **context},
    )


@write_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    form = forms.SurveyForm(_posted(request))
    title = _("New survey")
    return form_page(
        request,
        form,
        lambda data: surveys.survey_create(actor=request.membership, **data),
        success=lambda s: _("The survey “%(name)s” is made: add its questions.") % {"name": s},
        next_url=lambda s: _url("survey_detail", request, pk=s.pk),
        context={
            "title": title,
            "breadcrumbs": [*_survey_crumbs(request), (title, "")],
            "cancel_url": _url("survey_list", request),
            "submit_label": _("Make the survey"),
        },
    )


@staff_required
def survey_detail(request, pk):
    survey = (
        Survey.objects.select_related("previous", "next_version", "created_by")
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404(_("No such survey."))
    if not_allowed := get_only(request):
        return not_allowed
    return render(
        request,
        "satisfaction/survey_detail.html",
        {
            "survey": survey,
            "questions": list(Question.objects.filter(survey=survey).order_by("position", "pk")),
            "campaigns": list(
                Campaign.objects.filter(survey=survey).order_by("-opens_at", "-pk")[:10]
            ),
            # A missing reverse one-to-one raises an AttributeError: no version after this one.
            "newer": getattr(survey, "next_version", None),
            "breadcrumbs": [*_survey_crumbs(request), (str(survey), "")],
            "frozen_message": _(surveys.FROZEN_MESSAGE),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _survey_or_404(pk)
    form = forms.SurveyForm(
        _posted(request), initial={"name": survey.name, "introduction": survey.introduction}
    )
    title = _("Edit %(name)s") % {"name": survey}
    back = _url("survey_detail", request, pk=survey.pk)
    return form_page(
        request,
        form,
        lambda data: surveys.survey_update(survey=survey, actor=request.membership, **data),
        success=_("The survey is saved."),
        next_url=back,
        template="satisfaction/survey_form.html",
        context={
            "title": title,
            "survey": survey,
            "breadcrumbs": [*_survey_crumbs(request, survey), (_("Edit"), "")],
            "cancel_url": back,
            "frozen_message": _(surveys.FROZEN_MESSAGE),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def survey_new_version(request, pk):
    survey = _survey_or_404(pk)
    back = _url("survey_detail", request, pk=survey.pk)
    newer = Survey.objects.filter(previous=survey).first()
    made: dict = {}

    def act():
        made["survey"] = surveys.survey_new_version(survey=survey, actor=request.membership)
        return made["survey"]

    title = _("New version of %(name)s") % {"name": survey}
    response = confirm_then(
        request,
        act,
        success=lambda s: _("Version %(n)s is made: change it, then send it.") % {"n": s.version},
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_survey_crumbs(request, survey), (_("New version"), "")],
            "question": _(
                "A copy of the survey and its questions is made as version %(n)s, which you can "
                "change. Campaigns already sent keep the version they sent."
            )
            % {"n": survey.version + 1},
            "refusal": _("A newer version of this survey exists already: change that one.")
            if newer
            else "",
            "button": _("Make a new version"),
            "cancel_url": back,
        },
    )
    if "survey" in made:
        return redirect(_url("survey_detail", request, pk=made["survey"].pk))
    return response


def _question_form(request, survey: Survey, question: Question | None):
    form = forms.QuestionForm(
        _posted(request),
        initial=forms.QuestionForm.initial_of(question) if question else {"required": True},
        office_language=request.tenant.language,
    )
    back = _url("survey_detail", request, pk=survey.pk)
    title = _("Edit a question") if question else _("Add a question")

    def save(_data):
        values = form.values()
        if question is None:
            return surveys.question_add(survey=survey, actor=request.membership, **values)
        return surveys.question_update(question=question, actor=request.membership, **values)

    return form_page(
        request,
        form,
        save,
        success=_("The question is saved."),
        next_url=f"{back}#questions",
        template="satisfaction/survey_form.html",
        context={
            "title": f"{title}: {survey}",
            "survey": survey,
            "breadcrumbs": [*_survey_crumbs(request, survey), (title, "")],
            "cancel_url": back,
            "frozen_message": _(surveys.FROZEN_MESSAGE),
            "intro": _(
                "Kinds: NPS (0-10), CSAT (1-5), a 1-5 rating of each service the customer uses, "
                "effort (1-7), a single choice, or free text."
            ),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def question_create(request, pk):
    return _question_form(request, _survey_or_404(pk), None)


@write_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk):
    question = _question_or_404(pk, question_pk)
    return _question_form(request, question.survey, question)


@write_required
@require_http_methods(["GET", "POST"])
def question_delete(request, pk, question_pk):
    question = _question_or_404(pk, question_pk)
    survey = question.survey
    back = _url("survey_detail", request, pk=survey.pk)
    title = _("Remove a question")
    return confirm_then(
        request,
        lambda: surveys.question_remove(question=question, actor=request.membership),
        success=_("The question is removed."),
        done=f"{back}#questions",
        context={
            "title": title,
            "breadcrumbs": [*_survey_crumbs(request, survey), (title, "")],
            "question": _("Remove the question “%(text)s”?") % {"text": question.text},
            "refusal": _(surveys.FROZEN_MESSAGE) if survey.is_frozen else "",
            "danger": True,
            "button": _("Remove"),
            "cancel_url": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def question_move(request, pk, question_pk):
    """The survey page's Up and Down buttons post here; GET asks which way."""
    question = _question_or_404(pk, question_pk)
    back = _url("survey_detail", request, pk=question.survey_id)
    form = forms.MoveForm(_posted(request))
    title = _("Move a question")
    return form_page(
        request,
        form,
        lambda data: surveys.question_move(
            question=question, actor=request.membership, direction=data["direction"]
        ),
        success=_("The question is moved."),
        next_url=f"{back}#questions",
        context={
            "title": title,
            "breadcrumbs": [*_survey_crumbs(request, question.survey), (title, "")],
            "cancel_url": back,
            "intro": question.text,
            "submit_label": _("Move"),
        },
    )


# Campaigns --------------------------------------------------------------------------------------


@staff_required
@require_GET
def campaign_list(request):
    form = forms.CampaignFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", listing.CAMPAIGN_DEFAULT_ORDERING)
    if ordering not in listing.CAMPAIGN_ORDERINGS:
        ordering = listing.CAMPAIGN_DEFAULT_ORDERING
    context = list_context(
        request, listing.campaign_page_list(filters=filters, ordering=ordering), ordering
    )
    for campaign in context["page"].object_list:
        campaign.rate = listing.rate(campaign.answered, campaign.delivered)
    return render(
        request,
        "satisfaction/campaign_list.html",
        {"form": form, "filtered": any(filters.values()), **context},
    )


def _campaign_form(request, campaign: Campaign | None):
    zone = _zone(request)
    form = forms.CampaignForm(
        _posted(request), initial=forms.CampaignForm.initial_of(campaign, zone), zone=zone
    )
    if campaign is None:
        title = _("New campaign")
        back = _url("campaign_list", request)
        crumbs = [*_campaign_crumbs(request), (title, "")]
    else:
        title = _("Edit %(name)s") % {"name": campaign.name}
        back = _url("campaign_detail", request, pk=campaign.pk)
        crumbs = [*_campaign_crumbs(request, campaign), (_("Edit"), "")]

    def save(_data):
        values = form.values()
        if campaign is None:
            return campaigns.campaign_create(actor=request.membership, **values)
        campaigns.campaign_update(campaign=campaign, actor=request.membership, **values)
        return campaign

    return form_page(
        request,
        form,
        save,
        success=lambda c: _("The campaign “%(name)s” is saved as a draft.") % {"name": c.name},
        next_url=lambda c: _url("campaign_detail", request, pk=c.pk),
        context={
            "title": title,
            "breadcrumbs": crumbs,
            "cancel_url": back,
            "intro": _(
                "Saved as a draft: the campaign page then shows who it will invite and who the "
                "office's rules hold back, before you schedule it."
            ),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    return _campaign_form(request, None)


@write_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = _campaign_or_404(pk)
    if campaign.status != Campaign.Status.DRAFT:
        messages.error(
            request, _("Only a draft campaign can be changed: to change this one, make a new one.")
        )
        return redirect(_url("campaign_detail", request, pk=campaign.pk))
    return _campaign_form(request, campaign)


@staff_required
def campaign_detail(request, pk):
    campaign = _campaign_or_404(pk)
    if not_allowed := get_only(request):
        return not_allowed
    draft = campaign.status in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED)
    preview = audience.audience_preview(campaign) if draft else []
    held_back = [row for row in preview if row.is_held_back]
    return render(
        request,
        "satisfaction/campaign_detail.html",
        {
            "campaign": campaign,
            "chosen": list(campaign.customers.order_by("name", "pk"))
            if campaign.audience_scope == Campaign.AudienceScope.CHOSEN
            else [],
            "preview": preview,
            "invited_rows": [row for row in preview if not row.is_held_back],
            "held_back_rows": held_back,
            "progress": listing.campaign_progress(campaign),
            "schedule_refusal": campaigns.campaign_schedule_refusal(campaign)
            if campaign.status == Campaign.Status.DRAFT
            else "",
            "results_url": _optional_url("campaign_results", request, pk=campaign.pk),
            "breadcrumbs": [*_campaign_crumbs(request), (campaign.name, "")],
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def campaign_schedule(request, pk):
    campaign = _campaign_or_404(pk)
    back = _url("campaign_detail", request, pk=campaign.pk)
    title = _("Schedule %(name)s") % {"name": campaign.name}
    invited = sum(1 for row in audience.audience_preview(campaign) if not row.is_held_back)
    return confirm_then(
        request,
        lambda: campaigns.campaign_schedule(campaign=campaign, actor=request.membership),
        success=_("The campaign is scheduled; its survey is frozen."),
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_campaign_crumbs(request, campaign), (_("Schedule"), "")],
            "question": _(
                "The invitations go out when the campaign opens, to %(n)s contacts as the "
                "preview stands now (the rules are applied again then). The survey “%(survey)s” "
                "is frozen from now on: a change makes a new version."
            )
            % {"n": invited, "survey": campaign.survey},
            "refusal": campaigns.campaign_schedule_refusal(campaign),
            "button": _("Schedule the campaign"),
            "cancel_url": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def campaign_cancel(request, pk):
    campaign = _campaign_or_404(pk)
    back = _url("campaign_detail", request, pk=campaign.pk)
    title = _("Cancel %(name)s") % {"name": campaign.name}
    cancellable = campaign.status in (Campaign.Status.SCHEDULED, Campaign.Status.OPEN)
    return confirm_then(
        request,
        lambda: campaigns.campaign_cancel(campaign=campaign, actor=request.membership),
        success=_("The campaign is cancelled."),
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_campaign_crumbs(request, campaign), (_("Cancel"), "")],
            "question": _(
                "Its invitations and reminders that have not gone out are stopped, and its "
                "survey links stop working. A cancelled campaign is never reopened: to run it "
                "again, make a new one. Emails already queued still go."
            ),
            "refusal": ""
            if cancellable
            else _("Only a scheduled or open campaign can be cancelled."),
            "danger": True,
            "button": _("Cancel the campaign"),
            "cancel_url": back,
            "cancel_label": _("Keep it"),
        },
    )


# Settings ---------------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    row = selectors.settings_for_office()
    form = forms.SettingsForm(_posted(request), instance=row)
    title = _("Satisfaction settings")
    return form_page(
        request,
        form,
        lambda data: campaigns.settings_update(actor=request.membership, **data),
        success=_("The satisfaction settings are saved; they apply to invitations from now on."),
        next_url=_url("settings", request),
        context={
            "title": title,
            "breadcrumbs": [(_("Campaigns"), _url("campaign_list", request)), (title, "")],
            "cancel_url": _url("campaign_list", request),
            "intro": _(
                "The fatigue rules: how often a contact is invited and how many campaigns a "
                "customer takes a quarter; and the fewest answers behind a figure shown."
            ),
        },
    )


# The customer page's panel ----------------------------------------------------------------------


def customer_panel_context(request, customer) -> dict | None:
    if request.membership is None or not request.membership.is_staff_role:
        return None
    return {"customer": customer, **listing.customer_panel(customer)}
