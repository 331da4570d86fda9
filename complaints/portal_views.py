"""The business portal's complaint pages (/t/<office>/portal/complaints/...).

A portal user sees what `selectors.complaints_visible_to` gives them: a customer login its
customer's complaints, a purchaser login its own unit's and its own. They raise one (a
purchaser only for their unit), follow it (status, level, the people at each level, the
targets; never an internal note), reply, ask for escalation, and confirm or reject a
resolution. Any other complaint is a 404, exactly like one that does not exist. The published
procedure (the policy's times and the route) is for every portal user.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.hours.selectors import office_calendar
from brm.web.pages import form_page, get_only, list_context, tenant_url
from customers.selectors import portal_scope

from . import forms, selectors, services
from .models import MAX_LEVEL, Complaint, Severity
from .views import serve_attachment

Status = Complaint.Status


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"complaints:{name}", request, **kwargs)


def _crumbs(request, complaint=None) -> list[tuple[str, str]]:
    crumbs = [(_("Complaints"), _url("portal_complaint_list", request))]
    if complaint is not None:
        crumbs.append((complaint.reference, _url("portal_complaint", request, pk=complaint.pk)))
    return crumbs


def _not_linked(request):
    return render(request, "customers/portal/not_linked.html", {"title": _("Complaints")})


def _complaint_or_404(request, pk) -> Complaint:
    try:
        # complaint_get's complaint, with the relationship manager the route names (level 1).
        return (
            selectors.complaint_list(request.membership)
            .select_related("rm_concerned", "customer__relationship_manager__user")
            .get(pk=pk)
        )
    except Complaint.DoesNotExist:
        raise Http404(_("No such complaint.")) from None


@require_GET
def complaint_list(request):
    """Mine (a purchaser: my unit's too), or all of my customer's (a customer login)."""
    scope = portal_scope(request.membership)
    if scope is None:
        return _not_linked(request)
    complaints = selectors.complaint_list(request.membership).order_by("-received_at", "-pk")
    return render(
        request,
        "complaints/portal/complaint_list.html",
        {"scope": scope, **list_context(request, complaints)},
    )


@require_http_methods(["GET", "POST"])
def complaint_create(request):
    scope = portal_scope(request.membership)
    if scope is None:
        return _not_linked(request)
    form = forms.PortalRaiseForm(request.POST if request.method == "POST" else None, scope=scope)
    title = _("Raise a complaint")

    def save(data):
        return services.complaint_receive(
            actor=request.membership,
            customer=scope.contact.customer,
            purchaser=data.get("purchaser"),
            subject=data["subject"],
            description=data["description"],
            desired_outcome=data["desired_outcome"],
            category=data["category"],
            severity=data["severity"],
            service=data["service"],
        )

    return form_page(
        request,
        form,
        save,
        success=lambda c: (
            _("Your complaint is received as %(ref)s. You can follow it here.")
            % {"ref": c.reference}
        ),
        next_url=lambda c: _url("portal_complaint", request, pk=c.pk),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request), (title, "")],
            "cancel_url": _url("portal_complaint_list", request),
            "intro": _(
                "Tell us what went wrong and what you would like to happen. You are told when "
                "it is acknowledged, and you can follow it on the portal."
            ),
            "submit_label": _("Send the complaint"),
        },
    )


@require_GET
def procedure(request):
    """How the office handles complaints: the times per severity and the escalation route."""
    scope = portal_scope(request.membership)
    rm = scope.contact.customer.relationship_manager if scope else None
    return render(
        request,
        "complaints/portal/procedure.html",
        {
            "policy": [
                (Severity(severity).label, values)
                for severity, values in selectors.complaint_policy().items()
            ],
            "calendar": office_calendar(tenant=request.tenant),
            "rm": rm,
            "title": _("How we handle complaints"),
        },
    )


def complaint_detail(request, pk):
    complaint = _complaint_or_404(request, pk)
    if not_allowed := get_only(request):
        return not_allowed
    return render(
        request,
        "complaints/portal/complaint_detail.html",
        {
            "complaint": complaint,
            "timeline": selectors.complaint_timeline(complaint, for_raiser=True),
            "clock": selectors.complaint_clock(
                complaint, cal=office_calendar(tenant=request.tenant)
            ),
            "route": selectors.complaint_route(complaint),
            "can_reply": not complaint.is_closed,
            "can_escalate": complaint.is_open and complaint.level < MAX_LEVEL,
            "awaiting_answer": complaint.status == Status.RESOLVED,
            "reply_form": forms.MessageForm(label=_("Your message")),
            "breadcrumbs": [*_crumbs(request), (complaint.reference, "")],
        },
    )


def _answer(request, complaint, form, act, *, title, success, button, intro=""):
    back = _url("portal_complaint", request, pk=complaint.pk)
    return form_page(
        request,
        form,
        act,
        success=success,
        next_url=back,
        context={
            "title": f"{title}: {complaint.reference}",
            "breadcrumbs": [*_crumbs(request, complaint), (title, "")],
            "cancel_url": back,
            "intro": intro,
            "submit_label": button,
        },
    )


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@require_http_methods(["GET", "POST"])
def complaint_reply(request, pk):
    complaint = _complaint_or_404(request, pk)

    def act(data):
        with transaction.atomic():  # a refused file keeps no message
            message = services.complaint_message_add(
                complaint=complaint, actor=request.membership, body=data["body"]
            )
            if data.get("file"):
                services.attachment_add(
                    complaint=complaint,
                    actor=request.membership,
                    upload=data["file"],
                    message=message,
                )
        return message

    return _answer(
        request,
        complaint,
        forms.MessageForm(*_posted(request), label=_("Your message")),
        act,
        title=_("Reply"),
        success=_("Your message is sent."),
        button=_("Send"),
    )


@require_http_methods(["GET", "POST"])
def complaint_escalation_request(request, pk):
    complaint = _complaint_or_404(request, pk)
    return _answer(
        request,
        complaint,
        forms.ReasonForm(*_posted(request)[:1], label=_("Why you ask for escalation")),
        lambda data: services.complaint_escalation_request(
            complaint=complaint, actor=request.membership, reason=data["reason"]
        ),
        title=_("Ask for escalation"),
        success=lambda e: _("Escalated to level %(n)s.") % {"n": e.to_level},
        button=_("Escalate my complaint"),
        intro=_(
            "Your complaint goes one level up the route: the people there take it over with a "
            "new target to resolve it."
        ),
    )


@require_http_methods(["GET", "POST"])
def complaint_confirm(request, pk):
    complaint = _complaint_or_404(request, pk)
    return _answer(
        request,
        complaint,
        forms.ConfirmForm(*_posted(request)[:1]),
        lambda data: services.complaint_confirm(
            complaint=complaint, actor=request.membership, rating=data["rating"]
        ),
        title=_("Confirm the resolution"),
        success=_("Thank you: the complaint is closed."),
        button=_("Yes, it is resolved"),
        intro=_("Confirming closes the complaint. You may rate how it was handled."),
    )


@require_http_methods(["GET", "POST"])
def complaint_reject(request, pk):
    complaint = _complaint_or_404(request, pk)
    return _answer(
        request,
        complaint,
        forms.ReasonForm(*_posted(request)[:1], label=_("What is not resolved")),
        lambda data: services.complaint_reject(
            complaint=complaint, actor=request.membership, reason=data["reason"]
        ),
        title=_("Reject the resolution"),
        success=_("The complaint is reopened; the office works on it again."),
        button=_("Reopen the complaint"),
        intro=_("The complaint is reopened and its clock runs again."),
    )


def attachment_download(request, pk):
    return serve_attachment(request, pk)
