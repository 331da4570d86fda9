"""The business portal's pages of meetings (/t/<slug>/portal/meetings/...).

What a portal user reads comes from their scope (customers.selectors.portal_scope) and
meetings.portal_selectors: a customer reads their customer's meetings and decision log and
approves or rejects the decisions they are accountable for; a purchaser reads the meetings they
were invited to and approves nothing. Anything else answers 404, exactly like a record that does
not exist. Who may decide is services.decision_refusal: the page shows the buttons only when it
is empty, and services.decision_decide refuses a POST all the same.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.pages import add_errors, get_only, list_context, tenant_url
from customers import selectors as customer_selectors

from . import portal_selectors as selectors
from . import services
from .models import Decision, Meeting


def _scope(request):
    return customer_selectors.portal_scope(request.membership)


def _scope_or_404(request):
    scope = _scope(request)
    if scope is None:
        raise Http404(_("Not found."))
    return scope


def _not_linked(request, title: str):
    return render(request, "customers/portal/not_linked.html", {"title": title})


def _meetings_crumb(request) -> tuple[str, str]:
    return (_("Meetings"), tenant_url("meetings:portal_meeting_list", request))


def _decisions_crumb(request) -> tuple[str, str]:
    return (_("Decisions"), tenant_url("meetings:portal_decision_list", request))


@require_GET
def meeting_list(request):
    """Upcoming meetings (planned, not started yet), then the past ones, newest first."""
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("Meetings"))
    now = timezone.now()
    meetings = selectors.portal_meeting_list(scope)
    upcoming = list(meetings.filter(status=Meeting.Status.PLANNED, starts_at__gte=now))
    past = meetings.exclude(pk__in=[m.pk for m in upcoming]).order_by("-starts_at", "-pk")
    context = list_context(request, past)
    for meeting in context["page"]:
        meeting.published = selectors.published_minutes(meeting)
    return render(
        request,
        "meetings/portal/meeting_list.html",
        {"scope": scope, "upcoming": upcoming, **context},
    )


def meeting_detail(request, pk):
    """One meeting: when and where, who is invited, the agenda, the minutes once published and
    the decisions taken in it."""
    scope = _scope_or_404(request)
    meeting = get_object_or_404(selectors.portal_meeting_list(scope), pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    minutes = selectors.published_minutes(meeting)
    decisions = list(selectors.meeting_decisions(meeting))
    for decision in decisions:
        decision.can_decide = not services.decision_refusal(
            decision=decision, membership=request.membership
        )
    return render(
        request,
        "meetings/portal/meeting_detail.html",
        {
            "scope": scope,
            "meeting": meeting,
            "attendees": list(selectors.portal_attendees(meeting)),
            "agenda": list(selectors.portal_agenda(meeting, scope)),
            "minutes": minutes,
            "decisions": decisions,
            "title": meeting.title,
            "breadcrumbs": [_meetings_crumb(request), (meeting.title, "")],
        },
    )


@require_GET
def decision_list(request):
    """The decision log: awaiting approval first, then the decided ones, newest first."""
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("Decisions"))
    context = list_context(request, selectors.portal_decision_list(scope))
    for decision in context["page"]:
        decision.can_decide = not services.decision_refusal(
            decision=decision, membership=request.membership
        )
    return render(request, "meetings/portal/decision_list.html", {"scope": scope, **context})


def _decision_or_404(request, pk) -> tuple:
    scope = _scope_or_404(request)
    decision = get_object_or_404(selectors.portal_decision_list(scope), pk=pk)
    return scope, decision


def decision_detail(request, pk):
    scope, decision = _decision_or_404(request, pk)
    if not_allowed := get_only(request):
        return not_allowed
    refusal = services.decision_refusal(decision=decision, membership=request.membership)
    decision.can_decide = not refusal
    return render(
        request,
        "meetings/portal/decision_detail.html",
        {
            "scope": scope,
            "decision": decision,
            "refusal": refusal if decision.status == Decision.Status.PROPOSED else "",
            "title": decision.title,
            "breadcrumbs": [_decisions_crumb(request), (decision.title, "")],
        },
    )


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept with the decision; the relationship manager reads it."),
    )


def _decide(request, pk, *, approve: bool):
    """The confirmation step: GET shows what is approved (or rejected) and asks; POST decides
    through the service, whose refusal (a purchaser, the wrong person, decided already) is a
    403 that says why."""
    scope, decision = _decision_or_404(request, pk)
    refusal = services.decision_refusal(decision=decision, membership=request.membership)
    form = DecisionNoteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_decide(
                decision=decision,
                membership=request.membership,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            refusal = str(exc)
            messages.error(request, refusal)
            status = 403
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            done = _("You approved “%(title)s”.") if approve else _("You rejected “%(title)s”.")
            messages.success(request, done % {"title": decision.title})
            return redirect(tenant_url("meetings:portal_decision", request, pk=decision.pk))
    title = _("Approve a decision") if approve else _("Reject a decision")
    detail_url = tenant_url("meetings:portal_decision", request, pk=decision.pk)
    return render(
        request,
        "meetings/portal/decision_confirm.html",
        {
            "scope": scope,
            "decision": decision,
            "approve": approve,
            "form": form,
            "refusal": refusal,
            "title": title,
            "breadcrumbs": [
                _decisions_crumb(request),
                (decision.title, detail_url),
                (_("Approve") if approve else _("Reject"), ""),
            ],
            "cancel_url": detail_url,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def decision_approve(request, pk):
    return _decide(request, pk, approve=True)


@require_http_methods(["GET", "POST"])
def decision_reject(request, pk):
    return _decide(request, pk, approve=False)
