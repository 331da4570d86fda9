"""Staff pages of complaints (/t/<office>/complaints/...): the list, raising one, the complaint
as a timeline with its actions, the files, the steering group's view, and the office's policy
and categories for admins.

Each view finds its complaint through `selectors.complaint_get(member, pk)` (another office's, a
missing one and one about the member as relationship manager are all a 404), parses the input
with a form and calls one service, whose refusal lands on the form. Every staff role reads; the
writing roles act, and the steering group too once a complaint is at level 3 (the services
say so as well).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.hours.selectors import office_calendar
from brm.tenancy.models import Role
from brm.web.access import admin_required, roles_required, staff_required, write_required
from brm.web.pages import confirm_then, form_page, get_only, list_context, tenant_url

from . import forms, listing, selectors, services
from .models import MAX_LEVEL, Complaint, ComplaintAttachment, ComplaintCategory

Status = Complaint.Status

# Who may open an action page: the writing roles, and the steering group (which acts on a
# complaint at level 3 only: `_actable` narrows by the complaint).
act_required = roles_required(Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER, Role.STEERING)


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"complaints:{name}", request, **kwargs)


def _detail_url(request, complaint, anchor: str = "") -> str:
    url = _url("complaint_detail", request, pk=complaint.pk)
    return f"{url}#{anchor}" if anchor else url


def _crumbs(request, complaint=None) -> list[tuple[str, str]]:
    crumbs = [(_("Complaints"), _url("complaint_list", request))]
    if complaint is not None:
        crumbs.append((complaint.reference, _detail_url(request, complaint)))
    return crumbs


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


def may_act(membership, complaint: Complaint) -> bool:
    return membership.can_write or (
        membership.role == Role.STEERING and complaint.level == MAX_LEVEL
    )


def _actable(request, pk) -> Complaint:
    complaint = _complaint_or_404(request, pk)
    if not may_act(request.membership, complaint):
        raise PermissionDenied(
            _("The steering group works on complaints once they reach it (level 3).")
        )
    return complaint


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


# The list ----------------------------------------------------------------------------------------


def _calendar(request):
    # The office is the request's: no query for it when the office has no calendar row.
    return office_calendar(tenant=request.tenant)


def _with_clocks(request, page):
    clocks = selectors.complaint_clocks(page.object_list, cal=_calendar(request))
    for complaint in page.object_list:
        complaint.clock = clocks[complaint.pk]


@staff_required
@require_GET
def complaint_list(request):
    form = forms.ComplaintFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", listing.DEFAULT_ORDERING)
    if ordering not in listing.ORDERINGS:
        ordering = listing.DEFAULT_ORDERING
    complaints = listing.complaint_page_list(request.membership, filters=filters, ordering=ordering)
    filtered = any(filters.values())
    count = None if filtered else selectors.complaints_visible_count(request.membership)
    context = list_context(request, complaints, ordering, count=count)
    _with_clocks(request, context["page"])
    return render(
        request,
        "complaints/complaint_list.html",
        {"form": form, "filtered": filtered, **context},
    )


@staff_required
@require_GET
def steering_view(request):
    """The complaints that reached the IT steering group (level 3)."""
    context = list_context(request, listing.steering_list(request.membership))
    _with_clocks(request, context["page"])
    return render(request, "complaints/steering.html", context)


# Raising one -------------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def complaint_create(request):
    form = forms.ComplaintRaiseForm(request.POST if request.method == "POST" else None)
    title = _("Record a complaint")

    def save(data):
        return services.complaint_receive(
            actor=request.membership,
            customer=data["customer"],
            channel=data["channel"],
            purchaser=data["purchaser"],
            raiser_contact=data["raiser_contact"],
            raiser_name=data["raiser_name"],
            raiser_email=data["raiser_email"],
            category=data["category"],
            severity=data["severity"],
            subject=data["subject"],
            description=data["description"],
            desired_outcome=data["desired_outcome"],
            service=data["service"],
            about_rm=data["about_rm"],
        )

    return form_page(
        request,
        form,
        save,
        success=lambda c: (
            _("Complaint %(ref)s is recorded; its clocks run.") % {"ref": c.reference}
        ),
        next_url=lambda c: _detail_url(request, c),
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request), (title, "")],
            "cancel_url": _url("complaint_list", request),
            "intro": _(
                "For a complaint received by email, by phone or in a meeting. Name the raiser: "
                "a contact of the customer, or a name and an email."
            ),
            "submit_label": _("Record the complaint"),
        },
    )


# The complaint -----------------------------------------------------------------------------------


@staff_required
def complaint_detail(request, pk):
    """The complaint as a timeline (messages, internal notes, status changes, escalations),
    its targets and route, and what the member may do next."""
    complaint = _complaint_or_404(request, pk)
    if not_allowed := get_only(request):
        return not_allowed
    acting = may_act(request.membership, complaint)
    working = complaint.status in Complaint.WORKING_STATUSES
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "timeline": selectors.complaint_timeline(complaint),
            "clock": selectors.complaint_clock(complaint, cal=_calendar(request)),
            "route": selectors.complaint_route(complaint),
            "files": list(
                ComplaintAttachment.objects.filter(complaint=complaint, message=None).order_by(
                    "created_at", "pk"
                )
            ),
            "acting": acting,
            "can": {
                "acknowledge": acting and complaint.status == Status.NEW,
                "assign": acting and complaint.is_open,
                "severity": acting and complaint.is_open,
                "wait": acting and working,
                "resume": acting and complaint.status == Status.WAITING_ON_RAISER,
                "escalate": acting and complaint.is_open and complaint.level < MAX_LEVEL,
                "resolve": acting and working,
                "message": acting and not complaint.is_closed,
            },
            "reply_form": forms.MessageForm(label=_("Reply to the raiser")),
            "note_form": forms.MessageForm(label=_("Internal note (staff only)")),
            "breadcrumbs": [*_crumbs(request), (complaint.reference, "")],
        },
    )


def _action(request, pk, form_class, act, *, title, success, button, intro="", anchor=""):
    """A form page for one action on the complaint: GET asks, POST calls the service."""
    complaint = _actable(request, pk)
    data, files = _posted(request)
    form = form_class(data, files)
    back = _detail_url(request, complaint, anchor)
    return form_page(
        request,
        form,
        lambda cleaned: act(complaint, cleaned, form),
        success=success,
        next_url=back,
        context={
            "title": f"{title}: {complaint.reference}",
            "breadcrumbs": [*_crumbs(request, complaint), (title, "")],
            "cancel_url": back,
            "intro": intro,
            "submit_label": button,
            "complaint": complaint,
        },
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_acknowledge(request, pk):
    return _action(
        request,
        pk,
        forms.AcknowledgeForm,
        lambda c, d, f: services.complaint_acknowledge(
            complaint=c, actor=request.membership, message=d["message"]
        ),
        title=_("Acknowledge"),
        success=_("Acknowledged: the raiser is told when it will be resolved."),
        button=_("Acknowledge the complaint"),
        intro=_("The raiser is emailed that the complaint is being handled, with its target."),
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_assign(request, pk):
    return _action(
        request,
        pk,
        forms.AssignForm,
        lambda c, d, f: services.complaint_assign(
            complaint=c, actor=request.membership, owner=d["owner"]
        ),
        title=_("Assign the owner"),
        success=_("The owner is assigned."),
        button=_("Assign"),
        intro=_("The owner is warned when a target comes near."),
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_severity(request, pk):
    return _action(
        request,
        pk,
        forms.SeverityForm,
        lambda c, d, f: services.complaint_severity_change(
            complaint=c, actor=request.membership, severity=d["severity"], reason=d["reason"]
        ),
        title=_("Change the severity"),
        success=_("The severity is changed and the targets recomputed."),
        button=_("Change the severity"),
        intro=_("The targets are recomputed from the policy, counted from receipt."),
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_wait(request, pk):
    return _action(
        request,
        pk,
        forms.WaitForm,
        lambda c, d, f: services.complaint_wait_on_raiser(
            complaint=c, actor=request.membership, question=d["question"]
        ),
        title=_("Ask the raiser"),
        success=_("The question is sent; the clocks wait for the answer."),
        button=_("Send and stop the clocks"),
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_resume(request, pk):
    complaint = _actable(request, pk)
    back = _detail_url(request, complaint)
    title = _("Run the clocks again")
    waiting = complaint.status == Status.WAITING_ON_RAISER
    return confirm_then(
        request,
        lambda: services.complaint_resume(complaint=complaint, actor=request.membership),
        success=_("The clocks run again."),
        done=back,
        context={
            "title": f"{title}: {complaint.reference}",
            "breadcrumbs": [*_crumbs(request, complaint), (title, "")],
            "question": _("Stop waiting on the raiser and run the clocks again?"),
            "refusal": "" if waiting else _("This complaint is not waiting on the raiser."),
            "button": _("Run the clocks"),
            "cancel_url": back,
        },
    )


def _post_message(request, pk, *, internal: bool):
    def act(complaint, data, form):
        # The message and its file stand or fall together: a refused file keeps no message.
        with transaction.atomic():
            message = services.complaint_message_add(
                complaint=complaint, actor=request.membership, body=data["body"], internal=internal
            )
            if data.get("file"):
                services.attachment_add(
                    complaint=complaint,
                    actor=request.membership,
                    upload=data["file"],
                    message=message,
                    internal=internal,
                )
        return message

    label = _("Internal note (staff only)") if internal else _("Reply to the raiser")
    return _action(
        request,
        pk,
        lambda data, files: forms.MessageForm(data, files, label=label),
        act,
        title=_("Internal note") if internal else _("Reply"),
        success=_("The note is added (staff only).") if internal else _("The reply is sent."),
        button=_("Add the note") if internal else _("Send the reply"),
        intro=_("Staff only: never shown to the raiser, never emailed.") if internal else "",
        anchor="timeline",
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_reply(request, pk):
    return _post_message(request, pk, internal=False)


@act_required
@require_http_methods(["GET", "POST"])
def complaint_note(request, pk):
    return _post_message(request, pk, internal=True)


@act_required
@require_http_methods(["GET", "POST"])
def complaint_attach(request, pk):
    return _action(
        request,
        pk,
        forms.AttachmentForm,
        lambda c, d, f: services.attachment_add(
            complaint=c, actor=request.membership, upload=d["file"], internal=d["internal"]
        ),
        title=_("Attach a file"),
        success=_("The file is attached."),
        button=_("Upload"),
        anchor="files",
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_escalate(request, pk):
    return _action(
        request,
        pk,
        forms.EscalateForm,
        lambda c, d, f: services.complaint_escalate(
            complaint=c, actor=request.membership, note=d["note"], owner=d["owner"]
        ),
        title=_("Escalate"),
        success=lambda e: _("Escalated to level %(n)s.") % {"n": e.to_level},
        button=_("Escalate one level"),
        intro=_(
            "The complaint goes one level up the route, with a new resolve target; the people "
            "there and the raiser are told."
        ),
    )


@act_required
@require_http_methods(["GET", "POST"])
def complaint_resolve(request, pk):
    return _action(
        request,
        pk,
        forms.ResolveForm,
        lambda c, d, f: services.complaint_resolve(
            complaint=c,
            actor=request.membership,
            root_cause_category=d["root_cause_category"],
            root_cause=d["root_cause"],
            resolution=d["resolution"],
            actions=f.action_items(),
        ),
        title=_("Resolve"),
        success=_("Resolved: the raiser is asked to confirm."),
        button=_("Resolve the complaint"),
        intro=_(
            "The clocks stop and the raiser is asked to confirm the resolution; with no "
            "answer it is closed as deemed accepted after ten working days."
        ),
    )


# Files -------------------------------------------------------------------------------------------


def serve_attachment(request, pk):
    """The file, as a download, to a member `selectors.attachment_readable_by` allows; a 404
    to everyone else (another customer's, another office's, a staff-only file)."""
    attachment = ComplaintAttachment.objects.filter(pk=pk).first()
    if attachment is None or not selectors.attachment_readable_by(attachment, request.membership):
        raise Http404(_("No such file."))
    if not_allowed := get_only(request):
        return not_allowed
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def attachment_download(request, pk):
    return serve_attachment(request, pk)


# The policy and the categories (admins) ----------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def policy_edit(request):
    policy = selectors.complaint_policy()
    form = forms.PolicyForm(request.POST if request.method == "POST" else None, policy=policy)

    def save(data):
        for severity, values in form.per_severity().items():
            current = policy[severity]
            if any(getattr(current, name) != value for name, value in values.items()):
                services.complaint_policy_update(
                    actor=request.membership, severity=severity, **values
                )

    title = _("Complaints policy")
    return form_page(
        request,
        form,
        save,
        success=_("The policy is saved; it applies to complaints received from now on."),
        next_url=_url("policy", request),
        template="complaints/policy.html",
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request), (title, "")],
            "cancel_url": _url("complaint_list", request),
        },
    )


@admin_required
@require_GET
def category_list(request):
    return render(
        request,
        "complaints/category_list.html",
        {
            "categories": list(selectors.category_list()),
            "breadcrumbs": [*_crumbs(request), (_("Categories"), "")],
        },
    )


def _category_form(request, category: ComplaintCategory | None):
    initial = (
        {
            "name": category.name,
            "description": category.description,
            "position": category.position,
            "is_active": category.is_active,
        }
        if category
        else None
    )
    form = forms.CategoryForm(request.POST if request.method == "POST" else None, initial=initial)
    title = _("Edit the category %(name)s") % {"name": category} if category else _("New category")
    back = _url("category_list", request)

    def save(data):
        if category is None:
            made = services.category_create(
                actor=request.membership,
                name=data["name"],
                description=data["description"],
                position=data["position"] or 0,
            )
            if not data["is_active"]:
                made = services.category_update(
                    actor=request.membership, category=made, is_active=False
                )
            return made
        return services.category_update(actor=request.membership, category=category, **data)

    return form_page(
        request,
        form,
        save,
        success=lambda c: _("The category “%(name)s” is saved.") % {"name": c.name},
        next_url=back,
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request), (_("Categories"), back), (title, "")],
            "cancel_url": back,
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def category_create(request):
    return _category_form(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def category_edit(request, pk):
    category = ComplaintCategory.objects.filter(pk=pk).first()
    if category is None:
        raise Http404(_("No such category."))
    return _category_form(request, category)


# The customer page's panel -----------------------------------------------------------------------


def customer_panel_context(request, customer) -> dict | None:
    if request.membership is None or not request.membership.is_staff_role:
        return None
    return {"customer": customer, **listing.customer_panel(request.membership, customer)}
