"""Staff pages of communications (/t/<slug>/meetings/communications/...): the office's plan
and each customer's (on the customer page), notices with their audience and delivery, a major
incident's updates. Every staff role reads; the writing roles plan, compose and send."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.audit.history import history_context
from brm.web.access import staff_required, write_required
from brm.web.pages import (
    confirm_delete,
    confirm_then,
    form_page,
    get_only,
    list_context,
    tenant_url,
)
from customers.models import Customer

from . import communication_forms as forms
from . import communication_selectors as selectors
from . import communications as services
from .communication_models import Notice, Topic

PREVIEW_ROWS = 200


def _posted(request):
    return request.POST if request.method == "POST" else None


def _today(request):
    return timezone.localdate(timezone.now(), request.tenant.zone)


def _sort(request, allowed: dict, default: str) -> str:
    ordering = request.GET.get("sort", default)
    return ordering if ordering.lstrip("-") in allowed else default


def _plan_url(request) -> str:
    return tenant_url("meetings:communication_plan", request)


def _notices_url(request) -> str:
    return tenant_url("meetings:notice_list", request)


def _notice_url(request, notice) -> str:
    return tenant_url("meetings:notice_detail", request, pk=notice.pk)


def _customer_url(request, customer) -> str:
    return tenant_url("customers:customer_detail", request, pk=customer.pk) + "#communications"


def _plan_crumbs(request) -> list:
    return [(_("Communications"), _notices_url(request)), (_("Plan"), _plan_url(request))]


def _notice_crumbs(request) -> list:
    return [(_("Communications"), _notices_url(request))]


# The plan ---------------------------------------------------------------------------------------


@staff_required
@require_GET
def communication_plan(request):
    """The office-wide plan: every entry, or those due within two weeks, or overdue."""
    form = forms.PlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    state = request.GET.get("state", "")
    state = state if state in ("due", "overdue") else ""
    ordering = _sort(request, selectors.PLAN_ORDERINGS, "next_due")
    entries = selectors.plan_entry_list(
        customer=filters.get("customer"),
        owner=filters.get("owner"),
        topic=filters.get("topic") or "",
        state=state,
        today=_today(request),
        ordering=ordering,
    )
    return render(
        request,
        "meetings/communications/plan.html",
        {
            "form": form,
            "state": state,
            "today": _today(request),
            "filtered": any(filters.values()),
            **list_context(request, entries, ordering),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def plan_entry_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.PlanEntryForm(
        _posted(request), customer=customer, initial={"owner": request.membership.pk}
    )
    title = _("Add to the communication plan of %(name)s") % {"name": customer.name}
    return form_page(
        request,
        form,
        lambda data: services.plan_entry_create(
            customer=customer,
            actor=request.user,
            actor_member=request.membership,
            **form.values(),
        ),
        success=_("The plan entry was added."),
        next_url=_customer_url(request, customer),
        context={
            "title": title,
            "breadcrumbs": [(customer.name, _customer_url(request, customer)), (title, "")],
            "cancel_url": _customer_url(request, customer),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def plan_entry_edit(request, pk):
    entry = selectors.plan_entry_get(pk=pk)
    customer = entry.customer
    form = forms.PlanEntryForm(_posted(request), customer=customer, entry=entry)
    title = _("Edit the plan entry “%(name)s”") % {"name": entry}
    return form_page(
        request,
        form,
        lambda data: services.plan_entry_update(
            entry=entry, actor=request.user, actor_member=request.membership, **form.values()
        ),
        success=_("The plan entry was saved."),
        next_url=_customer_url(request, customer),
        context={
            "title": title,
            "breadcrumbs": [(customer.name, _customer_url(request, customer)), (title, "")],
            "cancel_url": _customer_url(request, customer),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def plan_entry_delete(request, pk):
    entry = selectors.plan_entry_get(pk=pk)
    back = _customer_url(request, entry.customer)
    return confirm_delete(
        request,
        entry,
        lambda: services.plan_entry_delete(
            entry=entry, actor=request.user, actor_member=request.membership
        ),
        what=_("The plan entry"),
        back=back,
        done=back,
        breadcrumbs=[(entry.customer.name, back)],
    )


@write_required
@require_http_methods(["GET", "POST"])
def plan_entry_deliver(request, pk):
    entry = selectors.plan_entry_get(pk=pk)
    back = (
        request.GET.get("back") == "plan"
        and _plan_url(request)
        or _customer_url(request, entry.customer)
    )
    title = _("Record a delivery")
    return confirm_then(
        request,
        lambda: services.plan_entry_deliver(
            entry=entry, actor=request.user, actor_member=request.membership
        ),
        success=_("The delivery was recorded."),
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_plan_crumbs(request), (title, "")],
            "question": _(
                "“%(what)s” for %(customer)s went out today; its next due date moves on by "
                "its frequency."
            )
            % {"what": entry, "customer": entry.customer.name},
            "button": _("Record the delivery"),
            "cancel_url": back,
        },
    )


def customer_panel_context(request, customer) -> dict:
    """The customer's plan and its last notices (two queries)."""
    return {
        "plan": selectors.customer_plan(customer),
        "today": _today(request),
        "recent_notices": list(selectors.notice_list(customer=customer).filter(status="sent")[:5]),
    }


# Notices ----------------------------------------------------------------------------------------


@staff_required
@require_GET
def notice_list(request):
    form = forms.NoticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = _sort(request, selectors.NOTICE_ORDERINGS, "-created")
    notices = selectors.notice_list(
        customer=filters.get("customer"),
        kind=filters.get("kind") or "",
        status=filters.get("status") or "",
        search=filters.get("q", ""),
        ordering=ordering,
    )
    return render(
        request,
        "meetings/communications/notice_list.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            **list_context(request, notices, ordering),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def notice_create(request):
    initial = {}
    if request.GET.get("kind") in dict(forms.NOTICE_KINDS):
        initial["kind"] = request.GET["kind"]
    form = forms.NoticeForm(_posted(request), initial=initial)
    title = _("Compose a notice")
    return form_page(
        request,
        form,
        lambda data: services.notice_create(
            actor=request.user, actor_member=request.membership, **form.values()
        ),
        success=_("The notice was saved as a draft: check who receives it, then send it."),
        next_url=lambda n: _notice_url(request, n),
        context={
            "title": title,
            "breadcrumbs": [*_notice_crumbs(request), (title, "")],
            "cancel_url": _notices_url(request),
            "submit_label": _("Save the draft"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk):
    notice = selectors.notice_get(pk=pk)
    form = forms.NoticeForm(_posted(request), notice=notice)
    title = _("Edit the draft")
    return form_page(
        request,
        form,
        lambda data: services.notice_update(
            notice=notice, actor=request.user, actor_member=request.membership, **form.values()
        ),
        success=_("The draft was saved."),
        next_url=_notice_url(request, notice),
        context={
            "title": title,
            "breadcrumbs": [
                *_notice_crumbs(request),
                (notice.subject, _notice_url(request, notice)),
                (title, ""),
            ],
            "cancel_url": _notice_url(request, notice),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def notice_delete(request, pk):
    notice = selectors.notice_get(pk=pk)
    return confirm_delete(
        request,
        notice,
        lambda: services.notice_delete(
            notice=notice, actor=request.user, actor_member=request.membership
        ),
        what=_("The draft"),
        back=_notice_url(request, notice),
        done=_notices_url(request),
        refusal=_("A sent notice stays on record.") if notice.status != Notice.Status.DRAFT else "",
        breadcrumbs=_notice_crumbs(request),
    )


@staff_required
def notice_detail(request, pk):
    """A notice: its body, its audience (a draft: who would receive it and why; sent: each
    recipient and the status of their email), and a major incident's updates."""
    notice = selectors.notice_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    context = {
        "notice": notice,
        "body_html": services.body_html(notice.body),
        "updates": [(u, services.body_html(u.body)) for u in selectors.notice_updates(notice)],
        "is_incident": notice.kind == Topic.MAJOR_INCIDENT,
        "breadcrumbs": [*_notice_crumbs(request), (notice.subject, "")],
        **history_context([notice], limit=20),
    }
    if notice.status == Notice.Status.DRAFT:
        audience = services.audience_resolve(notice)
        context["audience"] = audience
        context["preview"] = audience.recipients[:PREVIEW_ROWS]
    else:
        page = list_context(request, selectors.notice_recipients(notice), per_page=50)
        page["deliveries"] = selectors.deliveries(notice, page["page"].object_list)
        context.update(page)
        context["summary"] = selectors.delivery_summary(notice)
        context["update_form"] = forms.NoticeUpdateForm()
    return render(request, "meetings/communications/notice_detail.html", context)


@write_required
@require_http_methods(["GET", "POST"])
def notice_send(request, pk):
    notice = selectors.notice_get(pk=pk)
    back = _notice_url(request, notice)
    if notice.status != Notice.Status.DRAFT:
        refusal = _("This notice has been sent already.")
        audience = None
    else:
        audience = services.audience_resolve(notice)
        refusal = "" if audience.count else _("Nobody would receive it: change its audience.")
    title = _("Send “%(subject)s”") % {"subject": notice.subject}
    if refusal and request.method == "POST":
        messages.error(request, refusal)
        return redirect(back)
    question = (
        _("%(count)s people of %(customers)s customers receive it by email now.")
        % {"count": audience.count, "customers": len(audience.customers)}
        if audience
        else ""
    )
    return confirm_then(
        request,
        lambda: services.notice_send(
            notice=notice, actor=request.user, actor_member=request.membership
        ),
        success=_("The notice is being sent."),
        done=back,
        context={
            "title": title,
            "breadcrumbs": [*_notice_crumbs(request), (notice.subject, back), (title, "")],
            "question": question,
            "note": (
                _("%(n)s contacts opted out of this kind and are left out.")
                % {"n": audience.opted_out}
                if audience and audience.opted_out
                else ""
            ),
            "refusal": refusal,
            "button": _("Send now"),
            "cancel_url": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def notice_update_add(request, pk):
    notice = selectors.notice_get(pk=pk)
    form = forms.NoticeUpdateForm(_posted(request))
    title = _("Add an update")
    return form_page(
        request,
        form,
        lambda data: services.notice_update_add(
            notice=notice, actor=request.user, actor_member=request.membership, **data
        ),
        success=_("The update is being sent to the incident's audience."),
        next_url=_notice_url(request, notice),
        context={
            "title": title,
            "breadcrumbs": [
                *_notice_crumbs(request),
                (notice.subject, _notice_url(request, notice)),
                (title, ""),
            ],
            "cancel_url": _notice_url(request, notice),
        },
    )
