"""Answering a survey: the answer link (`/s/<token>/`, no sign-in), its opt-out page, and the
portal's "Surveys" pages, which answer through the same form and the same service.

The link names no office: its token finds the invitation (`responses.invitation_find`), and the
page then runs in that office, in its language and time zone. Opening it shows the form and
saves nothing, not even "opened": mail scanners open (and follow) links before the person does,
so only a POST carrying the form's CSRF token saves. An unknown, malformed or expired token (a
draft or cancelled campaign, a deleted or held-back invitation, a closed office) gets one and
the same not-found page; a closed campaign a friendly "closed" page; a campaign not open yet a
page that says when it opens. Every answer of the link carries `Referrer-Policy: no-referrer`
(the token is in the address), `X-Robots-Tag: noindex` and no-store, and the link is rate
limited per address and per token.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant
from brm.web.pages import add_errors, tenant_url
from brm.web.ratelimit import rate_allowed
from customers.selectors import portal_scope

from . import responses
from .answer_forms import AnswerForm
from .models import Campaign, Invitation
from .responses import State
from .tokens import token_hash

PUBLIC_SHELL = "satisfaction/answer/public_base.html"
PORTAL_SHELL = "portal/base.html"


# The answer link -------------------------------------------------------------------------------


def _same_origin_fetch(request) -> bool:
    # A forbidden header name: a page of another site cannot make a browser send it falsely.
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


class LinkCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF check (the form's token against the cookie) for the answer link, whose
    pages say `Referrer-Policy: no-referrer`: under that policy a browser posts the form with
    `Origin: null` and no Referer, which Django's origin and referer checks refuse. There the
    browser's `Sec-Fetch-Site: same-origin` stands in for them; the token is checked as ever."""

    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return _same_origin_fetch(request)
        return super()._origin_verified(request)

    def _check_referer(self, request):
        if request.META.get("HTTP_REFERER") is None:
            if not _same_origin_fetch(request):
                raise RejectRequest("Referer checking failed - no Referer.")
            return
        super()._check_referer(request)


csrf_protect = decorator_from_middleware(LinkCsrfMiddleware)


def _link_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def _not_found(request):
    # Rendered outside any office, language or zone: every bad token gets the very same body.
    return render(request, "404.html", status=404)


def survey_link(view):
    """The answer link's envelope: rate limit, token lookup, headers, and one 404 for every
    token that does not lead to an invitation that may be answered."""

    @csrf_exempt  # checked inside, by csrf_protect, so that its refusal carries our headers too
    @functools.wraps(view)
    def wrapped(request, token: str):
        if not rate_allowed(
            request,
            action="survey_link",
            rates=settings.SURVEY_LINK_RATE_LIMIT,
            key=token_hash(token[: responses.MAX_TOKEN_LENGTH]),
        ):
            response = render(request, "satisfaction/answer/busy.html", status=429)
            response["Retry-After"] = "60"
            return _link_headers(response)
        found = responses.invitation_find(token)
        response = None
        if found is not None:
            tenant_id, invitation_id = found
            try:
                response = csrf_protect(view)(request, token, tenant_id, invitation_id)
            except Http404:
                response = None
        return _link_headers(response if response is not None else _not_found(request))

    return wrapped


@contextmanager
def _in_office(tenant_id: int):
    """The office of the link, with its language (the page's lang) and its time zone."""
    with tenant_context(tenant_id):
        tenant = Tenant.objects.get(pk=tenant_id)
        with translation.override(tenant.language), timezone.override(tenant.zone):
            yield tenant


def _invitation(invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("campaign__survey", "customer")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def _link_urls(token: str) -> dict:
    return {
        "answer_url": reverse("survey_link:answer", kwargs={"token": token}),
        "opt_out_url": reverse("survey_link:opt_out", kwargs={"token": token}),
    }


@survey_link
def answer(request, token: str, tenant_id: int, invitation_id: int):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    with _in_office(tenant_id) as tenant:
        invitation = _invitation(invitation_id)
        urls = _link_urls(token)
        return _answer_page(
            request,
            tenant=tenant,
            invitation=invitation,
            shell=PUBLIC_SHELL,
            saved_url=urls["answer_url"] + "?saved=1",
            extra={**urls, "link_url": settings.BRM_BASE_URL + urls["answer_url"]},
            actor=None,
        )


@survey_link
def opt_out(request, token: str, tenant_id: int, invitation_id: int):
    """GET asks; POST opts the invitation's email address out of every survey of the office."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    with _in_office(tenant_id) as tenant:
        invitation = _invitation(invitation_id)
        if responses.invitation_state(invitation) == State.GONE:
            raise Http404
        context = {
            "office": tenant,
            "campaign": invitation.campaign,
            "shell": PUBLIC_SHELL,
            **_link_urls(token),
        }
        if request.method == "POST":
            try:
                responses.opt_out(invitation.email, contact=invitation.contact)
            except ValidationError as exc:
                context["refusal"] = " ".join(exc.messages)
            else:
                context["done"] = True
        else:
            context["done"] = responses.is_opted_out(invitation.email)
            context["already"] = context["done"]
        return render(request, "satisfaction/answer/opt_out.html", context)


# The page both the link and the portal show ----------------------------------------------------


def _answer_page(request, *, tenant, invitation, shell, saved_url, extra, actor):
    campaign: Campaign = invitation.campaign
    state = responses.invitation_state(invitation)
    base = {"office": tenant, "campaign": campaign, "shell": shell, **extra}
    if state == State.GONE:
        raise Http404
    if state != State.OPEN:
        return _state_page(request, state, base)
    questions = responses.survey_questions(campaign.survey)
    services = responses.consumed_services(invitation.customer_id)
    form_args = {"questions": questions, "services": services, "language": tenant.language}
    existing = responses.response_for_invitation(invitation)
    if request.method == "POST":
        form = AnswerForm(request.POST, **form_args)
        if not form.is_valid():
            # Say at once what else is missing, not only what the form could not read.
            for name, errors in responses.answer_errors(invitation, form.answers()).items():
                if name not in form.errors:
                    form.add_error(name if name in form.fields else None, errors)
        else:
            try:
                responses.response_save(invitation, form.answers(), actor=actor)
            except ValidationError as exc:
                if getattr(exc, "code", None) in (State.CLOSED, State.NOT_OPEN):
                    return _state_page(request, exc.code, base)
                if getattr(exc, "code", None) == State.GONE:
                    raise Http404 from None
                add_errors(form, exc)
            else:
                return redirect(saved_url, permanent=False)
        status = 400
    else:
        if request.GET.get("saved") and existing is not None:
            return render(
                request,
                "satisfaction/answer/thanks.html",
                {**base, "response": existing},
            )
        initial = AnswerForm.initial_from(
            responses.answers_of(existing), questions, services, answered=existing is not None
        )
        form = AnswerForm(initial=initial, **form_args)
        status = 200
    return render(
        request,
        "satisfaction/answer/form.html",
        {
            **base,
            "form": form,
            "items": form.bound_items(),
            "error_links": form.error_links() if form.is_bound else [],
            "editing": existing is not None,
            "survey": campaign.survey,
            "lang": tenant.language,
        },
        status=status,
    )


def _state_page(request, state: str, base: dict):
    template = (
        "satisfaction/answer/closed.html"
        if state == State.CLOSED
        else "satisfaction/answer/not_open.html"
    )
    return render(request, template, base)


# The portal -----------------------------------------------------------------------------------


def _not_linked(request):
    return render(request, "customers/portal/not_linked.html", {"title": _("Surveys")})


def portal_invitations(contact):
    """The contact's invitations (not held back) of open campaigns, closing soonest first."""
    return (
        Invitation.objects.filter(contact=contact, campaign__status=Campaign.Status.OPEN)
        .exclude(status=Invitation.Status.HELD_BACK)
        .select_related("campaign")
        .order_by("campaign__closes_at", "pk")
    )


@require_GET
def portal_survey_list(request):
    """The open surveys the signed-in contact is invited to, each with a way to answer."""
    scope = portal_scope(request.membership)
    if scope is None:
        return _not_linked(request)
    now = timezone.now()
    rows = []
    for invitation in portal_invitations(scope.contact):
        state = responses.invitation_state(invitation, now=now)
        if state not in (State.OPEN, State.NOT_OPEN):
            continue
        rows.append({"invitation": invitation, "campaign": invitation.campaign, "state": state})
    answered = responses.answered_invitation_ids([row["invitation"] for row in rows])
    for row in rows:
        row["answered"] = row["invitation"].pk in answered
    return render(
        request,
        "satisfaction/portal/survey_list.html",
        {"rows": rows, "title": _("Surveys"), "open_state": State.OPEN},
    )


@require_http_methods(["GET", "POST"])
def portal_survey_answer(request, invitation_pk: int):
    """The survey form for one of the signed-in contact's invitations; another contact's (or
    another office's) invitation is a 404 like one that does not exist."""
    scope = portal_scope(request.membership)
    if scope is None:
        raise Http404(_("No such survey."))
    invitation = (
        Invitation.objects.select_related("campaign__survey", "customer")
        .filter(pk=invitation_pk, contact=scope.contact)
        .first()
    )
    if invitation is None:
        raise Http404(_("No such survey."))
    url = tenant_url("satisfaction:portal_survey_answer", request, invitation_pk=invitation.pk)
    return _answer_page(
        request,
        tenant=request.tenant,
        invitation=invitation,
        shell=PORTAL_SHELL,
        saved_url=url + "?saved=1",
        extra={
            "answer_url": url,
            "link_url": request.build_absolute_uri(url),
            "portal": True,
            "list_url": tenant_url("satisfaction:portal_surveys", request),
            "title": invitation.campaign.name,
        },
        actor=request.user,
    )
