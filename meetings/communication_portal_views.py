"""The portal's "News from IT" (/t/<slug>/portal/news/...) and the communication preferences.

A customer reads every notice sent to their customer; a purchaser those sent to the whole
customer and those sent to their own unit. Anything else answers 404. Preferences are the
contact's: newsletters and general notices may be refused, the essential kinds may not."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.pages import get_only, list_context, tenant_url
from customers import selectors as customer_selectors

from . import communication_forms as forms
from . import communication_selectors as selectors
from . import communications as services
from .communication_models import NOTICE_KINDS, OPTIONAL_KINDS, Topic


def _scope(request):
    return customer_selectors.portal_scope(request.membership)


def _not_linked(request, title: str):
    return render(request, "customers/portal/not_linked.html", {"title": title})


def _news_crumb(request) -> tuple[str, str]:
    return (_("News from IT"), tenant_url("meetings:portal_news", request))


def _notice_or_404(request, pk):
    scope = _scope(request)
    if scope is None:
        raise Http404(_("Not found."))
    return scope, get_object_or_404(selectors.portal_notice_list(scope), pk=pk)


@require_GET
def news_list(request):
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("News from IT"))
    context = list_context(request, selectors.portal_notice_list(scope))
    return render(request, "meetings/portal/news_list.html", {"scope": scope, **context})


def news_detail(request, pk):
    scope, notice = _notice_or_404(request, pk)
    if not_allowed := get_only(request):
        return not_allowed
    return render(
        request,
        "meetings/portal/news_detail.html",
        {
            "scope": scope,
            "notice": notice,
            "body_html": services.body_html(notice.body),
            "updates": [(u, services.body_html(u.body)) for u in selectors.notice_updates(notice)],
            "title": notice.subject,
            "breadcrumbs": [_news_crumb(request), (notice.subject, "")],
        },
    )


def news_ics(request, pk):
    _scope_, notice = _notice_or_404(request, pk)
    if notice.kind != Topic.PLANNED_MAINTENANCE:
        raise Http404(_("Not found."))
    if not_allowed := get_only(request):
        return not_allowed
    response = HttpResponse(
        services.notice_ics(notice, request.tenant), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="maintenance-{notice.pk}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def preferences(request):
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("Communication preferences"))
    current = services.preference_get(scope.contact)
    form = forms.PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"newsletters": current.newsletters, "general": current.general},
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(contact=scope.contact, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        return redirect(tenant_url("meetings:portal_preferences", request))
    essential = [label for value, label in NOTICE_KINDS if value not in OPTIONAL_KINDS]
    return render(
        request,
        "meetings/portal/preferences.html",
        {
            "scope": scope,
            "form": form,
            "essential": essential,
            "title": _("Communication preferences"),
            "breadcrumbs": [_news_crumb(request), (_("Communication preferences"), "")],
        },
    )
