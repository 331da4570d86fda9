"""Staff pages of the customers area: customers, their records, coverage and the action plan.

Each view resolves its object through the scoped managers (another tenant's id is a 404),
parses the input with a form and calls one service; a ValidationError from the service is shown
on the form, which is rendered again with what was typed. Everyone on the staff reads; writing is
for the roles in WRITE_ROLES (analysts and the steering group read only).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from brm.db.plans import OfficePaginator
from brm.tenancy.models import Role
from brm.tenancy.views import PAGE_SIZE, _add_errors, confirm_then, roles_required

from . import forms, selectors, services
from .models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    Purchaser,
    RegisterItem,
)

WRITE_ROLES = (Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER)
write_required = roles_required(*WRITE_ROLES)

# Panels of the customer page that could grow without bound show their newest rows only.
OPEN_ACTIONS_SHOWN = 10
HISTORY_SHOWN = 20
COVERAGE_LIST_SHOWN = 25


def can_write(request) -> bool:
    return request.membership is not None and request.membership.role in WRITE_ROLES


def _url(name: str, request, **kwargs) -> str:
    return reverse(f"customers:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})


def _customer_url(request, customer_id: int, anchor: str = "") -> str:
    url = _url("customer_detail", request, pk=customer_id)
    return f"{url}#{anchor}" if anchor else url


def _list_context(request, objects, ordering: str) -> dict:
    """Pagination plus the query strings the sortable headers and the pager keep."""
    page = OfficePaginator(objects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return {
        "page": page,
        "ordering": ordering,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
    }


def _form_page(
    request,
    form,
    save: Callable[[dict], models.Model],
    *,
    success: Callable[[models.Model], str],
    next_url: Callable[[models.Model], str],
    context: dict,
    template: str = "customers/record_form.html",
):
    """GET shows the form; a valid POST calls the service once; its refusal lands on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, success(obj))
            return redirect(next_url(obj))
    return render(request, template, {"form": form, "can_write": True, **context})


def _confirm_delete(
    request, obj, delete: Callable[[], None], *, what: str, back: str, done: str, note: str = ""
):
    """GET asks; POST deletes through the service and goes to `done`."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(
            request, _("%(what)s “%(name)s” was deleted.") % {"what": what, "name": obj}
        )
        return redirect(done)
    return render(
        request,
        "customers/record_confirm_delete.html",
        {"object": obj, "what": what, "back_url": back, "note": note},
    )


# Customer list -----------------------------------------------------------------------------------


def _customer_table(request, *, mine: bool):
    form = forms.CustomerFilterForm(request.GET or None, with_rm=not mine)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", "name")
    customers = selectors.customer_list(
        search=filters.get("q", ""),
        relationship_manager=request.membership if mine else filters.get("relationship_manager"),
        status=filters.get("status", ""),
        division=filters.get("division", ""),
        ordering=ordering,
    )
    return render(
        request,
        "customers/customer_list.html",
        {
            "form": form,
            "mine": mine,
            "filtered": any(filters.values()),
            "can_write": can_write(request),
            **_list_context(request, customers, ordering),
        },
    )


def customer_list(request):
    return _customer_table(request, mine=False)


def customer_mine(request):
    """The customers the signed-in relationship manager looks after."""
    return _customer_table(request, mine=True)


# Customer ----------------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def customer_create(request):
    initial = {}
    if request.membership.role in services.RM_ROLES:
        initial["relationship_manager"] = request.membership
    form = forms.CustomerForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.customer_create(actor=request.user, **data),
        success=lambda c: _("The customer %(name)s was created.") % {"name": c},
        next_url=lambda c: _customer_url(request, c.pk),
        context={
            "title": _("New customer"),
            "intro": _(
                "Add the customer's contacts next; then choose its business manager and "
                "counterpart among them."
            ),
            "cancel_url": _url("customer_list", request),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def customer_edit(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    # The form works on a copy, so the service compares the stored values with the new ones.
    form = forms.CustomerForm(request.POST or None, instance=copy.copy(customer))
    return _form_page(
        request,
        form,
        lambda data: services.customer_update(customer=customer, actor=request.user, **data),
        success=lambda c: _("The customer %(name)s was saved.") % {"name": c},
        next_url=lambda c: _customer_url(request, c.pk),
        context={
            "title": _("Edit %(name)s") % {"name": customer},
            "customer": customer,
            "cancel_url": _customer_url(request, customer.pk),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def customer_delete(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    return _confirm_delete(
        request,
        customer,
        lambda: services.customer_delete(customer=customer, actor=request.user),
        what=_("The customer"),
        back=_customer_url(request, customer.pk),
        done=_url("customer_list", request),
        note=_(
            "Its purchasers, contacts, business expectations, register and action items are "
            "deleted with it."
        ),
    )


def _portal_status(contact: Contact) -> str:
    if contact.membership_id and contact.membership.is_active:
        return "linked"
    invitation = contact.portal_invitation
    if invitation is not None and invitation.is_pending:
        return "invited"
    if invitation is not None and invitation.status == "expired":
        return "expired"
    return "none"


def _portal_role(contact: Contact) -> str:
    try:
        return services.contact_portal_role(contact)
    except ValidationError:
        return ""


HISTORY_MODELS = {
    model._meta.label_lower: model
    for model in (Customer, Purchaser, Contact, BusinessExpectation, RegisterItem, ActionItem)
}
HISTORY_VERBS = {
    "created": gettext_lazy("added"),
    "updated": gettext_lazy("changed"),
    "deleted": gettext_lazy("deleted"),
    "agreed": gettext_lazy("agreed by the business"),
}


def _change_rows(model, changes: dict) -> list[tuple[str, list]]:
    """(field label, [old, new]) with choice values shown by their labels ("In progress")."""
    fields = {f.name: f for f in model._meta.fields} if model else {}
    rows = []
    for name, pair in (changes or {}).items():
        if name == "customer" and model is not Customer:
            continue  # a record's customer is the page's: saying so again is noise
        field = fields.get(name)
        if field is None:
            rows.append((name.replace("_", " "), pair))
            continue
        choices = dict(field.flatchoices) if field.choices else {}
        rows.append(
            (field.verbose_name, [choices.get(v, v) if isinstance(v, str) else v for v in pair])
        )
    return rows


def _history(objects) -> list[dict]:
    """The newest changes to these records, in words: "Contact added", field labels, old → new."""
    rows = []
    for event in selectors.history_for(objects)[:HISTORY_SHOWN]:
        model = HISTORY_MODELS.get(event.object_type)
        verb = event.action.rsplit(".", 1)[-1]
        rows.append(
            {
                "event": event,
                "what": (
                    f"{capfirst(model._meta.verbose_name)} {HISTORY_VERBS.get(verb, verb)}"
                    if model
                    else event.action
                ),
                "created": verb == "created",
                "changes": _change_rows(model, event.changes),
            }
        )
    return rows


def customer_detail(request, pk):
    """One screen for the relationship: people, purchasers, expectations, register, actions.

    Each panel is a partial (templates/customers/partials/) read in one query whatever its rows,
    so later areas can add theirs without changing the others.
    """
    try:
        customer = selectors.customer_get(pk)
    except Customer.DoesNotExist:
        raise Http404(_("No such customer.")) from None
    purchasers = list(selectors.purchaser_list(customer=customer))
    contacts = list(selectors.contact_list(customer=customer))
    for contact in contacts:
        contact.portal_status = _portal_status(contact)
        contact.portal_role = _portal_role(contact)
    expectations = list(selectors.expectation_list(customer=customer))
    register = list(selectors.register_item_list(customer=customer))
    open_actions = selectors.action_item_list(customer=customer, status="open")
    context = {
        "customer": customer,
        "rm_history": list(selectors.rm_assignment_list(customer=customer)),
        "purchasers": purchasers,
        "contacts": contacts,
        "expectations": expectations,
        "register": register,
        "open_actions": list(open_actions[:OPEN_ACTIONS_SHOWN]),
        "open_action_count": open_actions.count(),
        "history": _history([customer, *purchasers, *contacts, *expectations, *register]),
        "history_shown": HISTORY_SHOWN,
        "can_write": can_write(request),
    }
    return render(request, "customers/customer_detail.html", context)


# Records of one customer -------------------------------------------------------------------------
# Create pages hang under the customer (/customers/<pk>/purchasers/new/); edit and delete pages
# name the record alone (/purchasers/<pk>/edit/): its customer comes from the record.


def _record_context(request, customer, title: str, anchor: str) -> dict:
    return {
        "title": title,
        "customer": customer,
        "cancel_url": _customer_url(request, customer.pk, anchor),
    }


@write_required
@require_http_methods(["GET", "POST"])
def purchaser_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.PurchaserForm(request.POST or None, customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.purchaser_create(actor=request.user, customer=customer, **data),
        success=lambda p: _("The purchaser %(name)s was added.") % {"name": p},
        next_url=lambda p: _customer_url(request, customer.pk, "purchasers"),
        context=_record_context(request, customer, _("New purchaser"), "purchasers"),
    )


@write_required
@require_http_methods(["GET", "POST"])
def purchaser_edit(request, pk):
    purchaser = get_object_or_404(Purchaser.objects.select_related("customer"), pk=pk)
    customer = purchaser.customer
    form = forms.PurchaserForm(
        request.POST or None, instance=copy.copy(purchaser), customer=customer
    )
    return _form_page(
        request,
        form,
        lambda data: services.purchaser_update(purchaser=purchaser, actor=request.user, **data),
        success=lambda p: _("The purchaser %(name)s was saved.") % {"name": p},
        next_url=lambda p: _customer_url(request, customer.pk, "purchasers"),
        context=_record_context(
            request, customer, _("Edit purchaser %(name)s") % {"name": purchaser}, "purchasers"
        ),
    )


@write_required
@require_http_methods(["GET", "POST"])
def purchaser_delete(request, pk):
    purchaser = get_object_or_404(Purchaser.objects, pk=pk)
    back = _customer_url(request, purchaser.customer_id, "purchasers")
    return _confirm_delete(
        request,
        purchaser,
        lambda: services.purchaser_delete(purchaser=purchaser, actor=request.user),
        what=_("The purchaser"),
        back=back,
        done=back,
    )


@write_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.ContactForm(request.POST or None, customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.contact_create(actor=request.user, customer=customer, **data),
        success=lambda c: _("The contact %(name)s was added.") % {"name": c},
        next_url=lambda c: _customer_url(request, customer.pk, "contacts"),
        context=_record_context(request, customer, _("New contact"), "contacts"),
    )


@write_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = get_object_or_404(Contact.objects.select_related("customer"), pk=pk)
    customer = contact.customer
    form = forms.ContactForm(request.POST or None, instance=copy.copy(contact), customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.contact_update(contact=contact, actor=request.user, **data),
        success=lambda c: _("The contact %(name)s was saved.") % {"name": c},
        next_url=lambda c: _customer_url(request, customer.pk, "contacts"),
        context=_record_context(
            request, customer, _("Edit contact %(name)s") % {"name": contact}, "contacts"
        ),
    )


@write_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk):
    contact = get_object_or_404(Contact.objects, pk=pk)
    back = _customer_url(request, contact.customer_id, "contacts")
    return _confirm_delete(
        request,
        contact,
        lambda: services.contact_delete(contact=contact, actor=request.user),
        what=_("The contact"),
        back=back,
        done=back,
    )


@write_required
@require_http_methods(["GET", "POST"])
def contact_invite(request, pk):
    """Email the contact an invitation to the portal, in the role their place gives them."""
    contact = get_object_or_404(
        Contact.objects.select_related("customer", "membership", "portal_invitation"), pk=pk
    )
    back = _customer_url(request, contact.customer_id, "contacts")
    role = _portal_role(contact)
    return confirm_then(
        request,
        lambda: services.contact_invite(contact=contact, actor=request.user)[0],
        success=lambda invitation: (
            _("A portal invitation was emailed to %(email)s, as %(role)s.")
            % {"email": invitation.email, "role": invitation.get_role_display()}
        ),
        done=back,
        template="customers/contact_confirm_invite.html",
        context={
            "contact": contact,
            "role_label": Role(role).label if role else "",
            "portal_status": _portal_status(contact),
            "back_url": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def expectation_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.ExpectationForm(request.POST or None, customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.expectation_create(actor=request.user, customer=customer, **data),
        success=lambda e: _("The expectation %(name)s was added.") % {"name": e},
        next_url=lambda e: _customer_url(request, customer.pk, "expectations"),
        context=_record_context(request, customer, _("New business expectation"), "expectations"),
    )


@write_required
@require_http_methods(["GET", "POST"])
def expectation_edit(request, pk):
    expectation = get_object_or_404(
        BusinessExpectation.objects.select_related(
            "customer", "agreed_by_business", "agreed_by_it__user"
        ),
        pk=pk,
    )
    customer = expectation.customer
    form = forms.ExpectationForm(
        request.POST or None, instance=copy.copy(expectation), customer=customer
    )
    context = _record_context(
        request, customer, _("Edit expectation %(name)s") % {"name": expectation}, "expectations"
    )
    return _form_page(
        request,
        form,
        lambda data: services.expectation_update(
            expectation=expectation, actor=request.user, **data
        ),
        success=lambda e: _("The expectation %(name)s was saved.") % {"name": e},
        next_url=lambda e: _customer_url(request, customer.pk, "expectations"),
        context={**context, "expectation": expectation},
    )


@write_required
@require_http_methods(["GET", "POST"])
def expectation_delete(request, pk):
    expectation = get_object_or_404(BusinessExpectation.objects, pk=pk)
    back = _customer_url(request, expectation.customer_id, "expectations")
    return _confirm_delete(
        request,
        expectation,
        lambda: services.expectation_delete(expectation=expectation, actor=request.user),
        what=_("The expectation"),
        back=back,
        done=back,
    )


@write_required
@require_http_methods(["GET", "POST"])
def register_item_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.RegisterItemForm(request.POST or None, customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.register_item_create(actor=request.user, customer=customer, **data),
        success=lambda i: _("%(item)s was added to the register.") % {"item": i},
        next_url=lambda i: _customer_url(request, customer.pk, "register"),
        context=_record_context(
            request, customer, _("New opportunity, risk or constraint"), "register"
        ),
    )


@write_required
@require_http_methods(["GET", "POST"])
def register_item_edit(request, pk):
    item = get_object_or_404(RegisterItem.objects.select_related("customer"), pk=pk)
    customer = item.customer
    form = forms.RegisterItemForm(request.POST or None, instance=copy.copy(item), customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.register_item_update(item=item, actor=request.user, **data),
        success=lambda i: _("%(item)s was saved.") % {"item": i},
        next_url=lambda i: _customer_url(request, customer.pk, "register"),
        context=_record_context(request, customer, _("Edit %(item)s") % {"item": item}, "register"),
    )


@write_required
@require_http_methods(["GET", "POST"])
def register_item_delete(request, pk):
    item = get_object_or_404(RegisterItem.objects, pk=pk)
    back = _customer_url(request, item.customer_id, "register")
    return _confirm_delete(
        request,
        item,
        lambda: services.register_item_delete(item=item, actor=request.user),
        what=_("The register item"),
        back=back,
        done=back,
    )


# Action items ------------------------------------------------------------------------------------


def _action_item_url(request, item) -> str:
    return _url("action_item_detail", request, pk=item.pk)


@write_required
@require_http_methods(["GET", "POST"])
def action_item_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.ActionItemForm(request.POST or None, customer=customer)
    return _form_page(
        request,
        form,
        lambda data: services.action_item_create(actor=request.user, customer=customer, **data),
        success=lambda i: _("The action item %(name)s was added.") % {"name": i},
        next_url=lambda i: _customer_url(request, customer.pk, "actions"),
        context=_record_context(request, customer, _("New action item"), "actions"),
    )


@write_required
@require_http_methods(["GET", "POST"])
def action_item_edit(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("customer"), pk=pk)
    customer = item.customer
    form = forms.ActionItemForm(request.POST or None, instance=copy.copy(item), customer=customer)
    context = _record_context(
        request, customer, _("Edit action item %(name)s") % {"name": item}, "actions"
    )
    return _form_page(
        request,
        form,
        lambda data: services.action_item_update(item=item, actor=request.user, **data),
        success=lambda i: _("The action item %(name)s was saved.") % {"name": i},
        next_url=lambda i: _action_item_url(request, i),
        context={**context, "cancel_url": _action_item_url(request, item)},
    )


@write_required
@require_http_methods(["GET", "POST"])
def action_item_delete(request, pk):
    item = get_object_or_404(ActionItem.objects, pk=pk)
    return _confirm_delete(
        request,
        item,
        lambda: services.action_item_delete(item=item, actor=request.user),
        what=_("The action item"),
        back=_action_item_url(request, item),
        done=_customer_url(request, item.customer_id, "actions"),
    )


def _may_work_on(request, item: ActionItem) -> bool:
    """Comment and mark done: the writing roles, and the item's own staff owner.

    Analysts read only, even their own items (the service refuses them too).
    """
    membership = request.membership
    return can_write(request) or (
        item.owner_member_id == membership.pk and not membership.is_read_only
    )


ACTION_TABS = {
    "mine": gettext_lazy("Mine"),
    "overdue": gettext_lazy("Overdue"),
    "open": gettext_lazy("All open"),
    "all": gettext_lazy("All"),
}


def action_item_list(request):
    """The action plan across customers: mine, overdue, all open, or everything."""
    tab = request.GET.get("tab", "mine")
    if tab not in ACTION_TABS:
        tab = "mine"
    form = forms.ActionItemFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", "due")
    items = selectors.action_item_list(
        owner_member=request.membership if tab == "mine" else None,
        customer=filters.get("customer"),
        status="open" if tab in ("mine", "open") else "",
        overdue=tab == "overdue",
        search=filters.get("q", ""),
        ordering=ordering,
    )
    tab_query = request.GET.copy()
    tab_query.pop("page", None)
    tabs = []
    for key, label in ACTION_TABS.items():
        tab_query["tab"] = key
        tabs.append({"key": key, "label": label, "query": tab_query.urlencode()})
    return render(
        request,
        "customers/action_item_list.html",
        {
            "form": form,
            "tab": tab,
            "tabs": tabs,
            "filtered": any(filters.values()),
            **_list_context(request, items, ordering),
        },
    )


@require_http_methods(["GET", "POST"])
def action_item_detail(request, pk):
    """The item with its comments; a POST adds a comment."""
    try:
        item = selectors.action_item_get(pk)
    except ActionItem.DoesNotExist:
        raise Http404(_("No such action item.")) from None
    may_work = _may_work_on(request, item)
    form = forms.CommentForm(request.POST or None)
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied(_("Your role does not let you comment here."))
        if form.is_valid():
            try:
                services.action_item_comment(
                    item=item, membership=request.membership, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your comment was added."))
                return redirect(f"{_action_item_url(request, item)}#comments")
    return render(
        request,
        "customers/action_item_detail.html",
        {
            "item": item,
            "comments": list(selectors.action_item_comment_list(item)),
            "form": form,
            "may_work": may_work,
            "can_write": can_write(request),
        },
    )


@require_http_methods(["GET", "POST"])
def action_item_done(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("customer"), pk=pk)
    if not _may_work_on(request, item):
        raise PermissionDenied(_("Your role does not let you complete this action item."))
    if request.method == "POST":
        if item.is_open:
            services.action_item_mark_done(item=item, membership=request.membership)
            messages.success(request, _("%(name)s is done.") % {"name": item})
        return redirect(_action_item_url(request, item))
    return render(request, "customers/action_item_confirm_done.html", {"item": item})


# Coverage ----------------------------------------------------------------------------------------


def coverage(request):
    """Who has a designated IT contact and a named counterpart: overall and per RM."""
    without_counterpart = selectors.customers_without_counterpart()
    without_it_contact = selectors.purchasers_without_it_contact()
    return render(
        request,
        "customers/coverage.html",
        {
            "overall": selectors.coverage(),
            "per_rm": [
                {
                    "member": member,
                    "cov": cov,
                    "customers_without_counterpart": cov.customers - cov.customers_with_counterpart,
                    "purchasers_without_it_contact": cov.purchasers
                    - cov.purchasers_with_it_contact,
                }
                for member, cov in selectors.coverage_by_relationship_manager()
            ],
            "without_counterpart": list(without_counterpart[:COVERAGE_LIST_SHOWN]),
            "without_counterpart_count": without_counterpart.count(),
            "without_it_contact": list(without_it_contact[:COVERAGE_LIST_SHOWN]),
            "without_it_contact_count": without_it_contact.count(),
            "shown": COVERAGE_LIST_SHOWN,
        },
    )
