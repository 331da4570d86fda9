"""The business portal's pages of the customers area (/t/<slug>/portal/...).

What a portal user sees comes from `selectors.portal_scope`: a customer (who holds the mandate)
sees their customer, a purchaser only their own purchaser unit, and both only the action items
they own. An id outside that scope answers 404, exactly like one that does not exist. Writes go
through the services, which decide who may agree or complete (PermissionDenied: 403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.forms import CommentForm
from brm.web.pages import add_errors, confirm_then, get_only, tenant_url

from . import selectors, services

COMMENT_LABEL = gettext_lazy("Your comment")


def _scope(request):
    return selectors.portal_scope(request.membership)


def _scope_or_404(request):
    # Not linked to a contact yet: nothing is visible, so every object is "not found".
    scope = _scope(request)
    if scope is None:
        raise Http404(_("Not found."))
    return scope


def _not_linked(request, title: str):
    return render(request, "customers/portal/not_linked.html", {"title": title})


@require_GET
def organisation(request):
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("My organisation"))
    return render(
        request,
        "customers/portal/organisation.html",
        {
            "scope": scope,
            "customer": scope.customer,
            "purchasers": selectors.portal_purchaser_list(scope),
            "contacts": selectors.portal_contact_list(scope),
            "consumed_services": selectors.customer_services(scope.customer),
        },
    )


def purchaser_detail(request, pk):
    scope = _scope_or_404(request)
    purchaser = get_object_or_404(selectors.portal_purchaser_list(scope), pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    return render(
        request,
        "customers/portal/purchaser_detail.html",
        {
            "scope": scope,
            "purchaser": purchaser,
            "contacts": selectors.portal_contact_list(scope).filter(purchaser=purchaser),
        },
    )


@require_GET
def expectation_list(request):
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("Expectations"))
    return render(
        request,
        "customers/portal/expectation_list.html",
        {"scope": scope, "expectations": selectors.portal_expectation_list(scope)},
    )


def _expectation_context(request, pk):
    scope = _scope_or_404(request)
    expectation = get_object_or_404(selectors.portal_expectation_list(scope), pk=pk)
    can_agree = services.expectation_can_agree(
        expectation=expectation, membership=request.membership
    )
    return {"scope": scope, "expectation": expectation, "can_agree": can_agree}


def expectation_detail(request, pk):
    context = _expectation_context(request, pk)
    if not_allowed := get_only(request):
        return not_allowed
    return render(request, "customers/portal/expectation_detail.html", context)


@require_http_methods(["GET", "POST"])
def expectation_agree(request, pk):
    """A confirm step that shows what is agreed; the service decides who may (purchasers: 403)."""
    context = _expectation_context(request, pk)
    expectation = context["expectation"]
    title = _("Agree an expectation")
    if context["can_agree"]:
        refusal = ""
    elif expectation.status != expectation.Status.PROPOSED:
        refusal = _("This expectation is %(status)s: there is nothing to agree.") % {
            "status": expectation.get_status_display()
        }
    else:
        refusal = _(
            "Only your customer's business manager, who holds the mandate, can agree an "
            "expectation."
        )
    detail_url = tenant_url("customers:portal_expectation", request, pk=pk)
    context.update(
        title=title,
        breadcrumbs=[
            (_("Expectations"), tenant_url("customers:portal_expectation_list", request)),
            (expectation.title, detail_url),
            (_("Agree"), ""),
        ],
        wide=True,
        refusal=refusal,
        back_label=_("Back to the expectation"),
        button=_("I agree to “%(title)s”") % {"title": expectation.title},
        cancel_url=detail_url,
        cancel_label=_("Not now"),
    )
    return confirm_then(
        request,
        lambda: services.expectation_agree(expectation=expectation, membership=request.membership),
        success=_("You agreed “%(title)s”.") % {"title": expectation.title},
        done=reverse(
            "customers:portal_expectation", kwargs={"tenant_slug": request.tenant.slug, "pk": pk}
        ),
        template="customers/portal/expectation_confirm_agree.html",
        context=context,
    )


@require_GET
def action_item_list(request):
    scope = _scope(request)
    if scope is None:
        return _not_linked(request, _("Action items"))
    return render(
        request,
        "customers/portal/action_item_list.html",
        {"scope": scope, "items": selectors.portal_action_item_list(scope)},
    )


@require_http_methods(["GET", "POST"])
def action_item_detail(request, pk):
    """One of the user's own action items, with its comments; POST adds a comment."""
    scope = _scope_or_404(request)
    item = get_object_or_404(selectors.portal_action_item_list(scope), pk=pk)
    form = CommentForm(request.POST or None, label=COMMENT_LABEL)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_comment(
                item=item, membership=request.membership, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("customers:portal_action_item", tenant_slug=request.tenant.slug, pk=pk)
    return render(
        request,
        "customers/portal/action_item_detail.html",
        {
            "scope": scope,
            "item": item,
            "comments": selectors.action_item_comment_list(item),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def action_item_done(request, pk):
    scope = _scope_or_404(request)
    item = get_object_or_404(selectors.portal_action_item_list(scope), pk=pk)
    item_url = tenant_url("customers:portal_action_item", request, pk=pk)
    return confirm_then(
        request,
        lambda: services.action_item_mark_done(item=item, membership=request.membership),
        success=_("“%(title)s” is marked as done.") % {"title": item.title},
        done=reverse(
            "customers:portal_action_item", kwargs={"tenant_slug": request.tenant.slug, "pk": pk}
        ),
        template="customers/portal/action_item_confirm_done.html",
        context={
            "scope": scope,
            "item": item,
            "title": _("Mark as done"),
            "breadcrumbs": [
                (_("Action items"), tenant_url("customers:portal_action_item_list", request)),
                (item.title, item_url),
                (_("Mark as done"), ""),
            ],
            "refusal": ""
            if item.is_open
            else _("“%(title)s” is %(status)s.")
            % {"title": item.title, "status": item.get_status_display()},
            "button": _("Mark as done"),
            "button_class": "btn-success",
            "cancel_url": item_url,
            "cancel_label": _("Back"),
        },
    )
