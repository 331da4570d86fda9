"""Staff pages of the customers area: customers, their records, coverage and the action plan.

Each view resolves its object through the scoped managers (another tenant's id is a 404),
parses the input with a form and calls one service; a ValidationError from the service is shown
on the form, which is rendered again with what was typed. Everyone on the staff reads; writing is
for the roles in WRITE_ROLES (analysts and the steering group read only).
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from brm.audit.history import history_context
from brm.tenancy.models import Role
from brm.web import registry
from brm.web.access import staff_required, write_required
from brm.web.forms import CommentForm
from brm.web.pages import (
    add_errors,
    confirm_delete,
    confirm_then,
    form_page,
    get_only,
    list_context,
    tenant_url,
)

from . import forms, selectors, services
from .models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    Purchaser,
    RegisterItem,
)

# Records whose customer is the page's own: their history rows do not repeat it.
HISTORY_HIDE_CUSTOMER = (Purchaser, Contact, BusinessExpectation, RegisterItem, ActionItem)

# Panels of the customer page that could grow without bound show their newest rows only.
OPEN_ACTIONS_SHOWN = 10
HISTORY_SHOWN = 20
COVERAGE_LIST_SHOWN = 25


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"customers:{name}", request, **kwargs)


def _customer_url(request, customer_id: int, anchor: str = "") -> str:
    url = _url("customer_detail", request, pk=customer_id)
    return f"{url}#{anchor}" if anchor else url


def _customers_crumb(request) -> tuple[str, str]:
    return (_("Customers"), _url("customer_list", request))


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
            **list_context(request, customers, ordering),
        },
    )


@staff_required
@require_GET
def customer_list(request):
    return _customer_table(request, mine=False)


@staff_required
@require_GET
def customer_mine(request):
    """The customers the signed-in relationship manager looks after."""
    return _customer_table(request, mine=True)


# Customer ----------------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def customer_create(request):
    initial = {}
    if request.membership.can_write:  # the writing roles may look after customers
        initial["relationship_manager"] = request.membership
    form = forms.CustomerForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.customer_create(actor=request.user, **data),
        success=lambda c: _("The customer %(name)s was created.") % {"name": c},
        next_url=lambda c: _customer_url(request, c.pk),
        context={
            "title": _("New customer"),
            "breadcrumbs": [_customers_crumb(request), (_("New customer"), "")],
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
    return form_page(
        request,
        form,
        lambda data: services.customer_update(customer=customer, actor=request.user, **data),
        success=lambda c: _("The customer %(name)s was saved.") % {"name": c},
        next_url=lambda c: _customer_url(request, c.pk),
        context={
            "title": _("Edit %(name)s") % {"name": customer},
            "customer": customer,
            "breadcrumbs": [
                *_customer_crumbs(request, customer),
                (_("Edit %(name)s") % {"name": customer}, ""),
            ],
            "cancel_url": _customer_url(request, customer.pk),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def customer_delete(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    return confirm_delete(
        request,
        customer,
        lambda: services.customer_delete(customer=customer, actor=request.user),
        what=_("The customer"),
        breadcrumbs=_customer_crumbs(request, customer),
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


@staff_required
def customer_detail(request, pk):
    """One screen for the relationship: people, purchasers, expectations, register, actions.

    Each panel is a partial (templates/customers/partials/) read in one query whatever its rows,
    so later areas can add theirs without changing the others.
    """
    try:
        customer = selectors.customer_get(pk)
    except Customer.DoesNotExist:
        raise Http404(_("No such customer.")) from None
    if not_allowed := get_only(request):
        return not_allowed
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
        "consumed_services": list(selectors.customer_services(customer)),
        "purchasers": purchasers,
        "contacts": contacts,
        "expectations": expectations,
        "register": register,
        "open_actions": list(open_actions[:OPEN_ACTIONS_SHOWN]),
        "open_action_count": open_actions.count(),
        **history_context(
            [customer, *purchasers, *contacts, *expectations, *register],
            limit=HISTORY_SHOWN,
            # A record's customer is the page's own: saying so again on its rows is noise.
            hide_for={m: {"customer"} for m in HISTORY_HIDE_CUSTOMER},
            caption=_("The latest %(n)s changes to this customer and its records, newest first")
            % {"n": HISTORY_SHOWN},
        ),
    }
    context["panels"] = registry.customer_panels.render_context(request, customer)
    return render(request, "customers/customer_detail.html", context)


# Records of one customer -------------------------------------------------------------------------
# Create pages hang under the customer (/customers/<pk>/purchasers/new/); edit and delete pages
# name the record alone (/purchasers/<pk>/edit/): its customer comes from the record.


def _customer_crumbs(request, customer) -> list[tuple[str, str]]:
    return [_customers_crumb(request), (customer.name, _customer_url(request, customer.pk))]


def _record_context(request, customer, title: str, anchor: str) -> dict:
    return {
        "title": title,
        "customer": customer,
        "breadcrumbs": [*_customer_crumbs(request, customer), (title, "")],
        "cancel_url": _customer_url(request, customer.pk, anchor),
    }


@write_required
@require_http_methods(["GET", "POST"])
def purchaser_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.PurchaserForm(request.POST or None, customer=customer)
    return form_page(
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
    return form_page(
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
    purchaser = get_object_or_404(Purchaser.objects.select_related("customer"), pk=pk)
    back = _customer_url(request, purchaser.customer_id, "purchasers")
    return confirm_delete(
        request,
        purchaser,
        lambda: services.purchaser_delete(purchaser=purchaser, actor=request.user),
        what=_("The purchaser"),
        breadcrumbs=_customer_crumbs(request, purchaser.customer),
        back=back,
        done=back,
    )


@write_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.ContactForm(request.POST or None, customer=customer)
    return form_page(
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
    return form_page(
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
    contact = get_object_or_404(Contact.objects.select_related("customer"), pk=pk)
    back = _customer_url(request, contact.customer_id, "contacts")
    return confirm_delete(
        request,
        contact,
        lambda: services.contact_delete(contact=contact, actor=request.user),
        what=_("The contact"),
        breadcrumbs=_customer_crumbs(request, contact.customer),
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
    portal_status = _portal_status(contact)
    title = _("Invite %(name)s to the portal") % {"name": contact.name}
    refusal = services.contact_invite_refusal(contact=contact, actor=request.user)
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
            "title": title,
            "breadcrumbs": [*_customer_crumbs(request, contact.customer), (title, "")],
            "contact": contact,
            "role_label": Role(role).label if role else "",
            "portal_status": portal_status,
            "refusal": refusal,
            "back_label": _("Back to the customer"),
            "button": _("Send the invitation"),
            "button_class": "btn-success",
            "cancel_url": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def expectation_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.ExpectationForm(request.POST or None, customer=customer)
    return form_page(
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
    return form_page(
        request,
        form,
        lambda data: services.expectation_update(
            expectation=expectation, actor=request.user, **data
        ),
        success=lambda e: _("The expectation %(name)s was saved.") % {"name": e},
        next_url=lambda e: _customer_url(request, customer.pk, "expectations"),
        context={**context, "expectation": expectation},
        template="customers/expectation_form.html",
    )


@write_required
@require_http_methods(["GET", "POST"])
def expectation_delete(request, pk):
    expectation = get_object_or_404(BusinessExpectation.objects.select_related("customer"), pk=pk)
    back = _customer_url(request, expectation.customer_id, "expectations")
    return confirm_delete(
        request,
        expectation,
        lambda: services.expectation_delete(expectation=expectation, actor=request.user),
        what=_("The expectation"),
        breadcrumbs=_customer_crumbs(request, expectation.customer),
        back=back,
        done=back,
    )


@write_required
@require_http_methods(["GET", "POST"])
def register_item_create(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    form = forms.RegisterItemForm(request.POST or None, customer=customer)
    return form_page(
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
    return form_page(
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
    item = get_object_or_404(RegisterItem.objects.select_related("customer"), pk=pk)
    back = _customer_url(request, item.customer_id, "register")
    return confirm_delete(
        request,
        item,
        lambda: services.register_item_delete(item=item, actor=request.user),
        what=_("The register item"),
        breadcrumbs=_customer_crumbs(request, item.customer),
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
    return form_page(
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
    return form_page(
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
    item = get_object_or_404(ActionItem.objects.select_related("customer"), pk=pk)
    return confirm_delete(
        request,
        item,
        lambda: services.action_item_delete(item=item, actor=request.user),
        what=_("The action item"),
        breadcrumbs=[
            *_customer_crumbs(request, item.customer),
            (str(item), _action_item_url(request, item)),
        ],
        back=_action_item_url(request, item),
        done=_customer_url(request, item.customer_id, "actions"),
    )


def _may_work_on(request, item: ActionItem) -> bool:
    """Comment and mark done: the writing roles, and the item's own staff owner.

    Analysts read only, even their own items (the service refuses them too).
    """
    membership = request.membership
    return membership.can_write or (
        item.owner_member_id == membership.pk and not membership.never_writes
    )


ACTION_TABS = {
    "mine": gettext_lazy("Mine"),
    "overdue": gettext_lazy("Overdue"),
    "open": gettext_lazy("All open"),
    "all": gettext_lazy("All"),
}


@staff_required
@require_GET
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
            **list_context(request, items, ordering),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_item_detail(request, pk):
    """The item with its comments; a POST adds a comment."""
    try:
        item = selectors.action_item_get(pk)
    except ActionItem.DoesNotExist:
        raise Http404(_("No such action item.")) from None
    may_work = _may_work_on(request, item)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied(_("Your role does not let you comment here."))
        if form.is_valid():
            try:
                services.action_item_comment(
                    item=item, membership=request.membership, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
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
        },
    )


@staff_required
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
    title = _("Mark done")
    refusal = (
        ""
        if item.is_open
        else format_html(
            _("<strong>{name}</strong> is {status} already."),
            name=item.title,
            status=item.get_status_display(),
        )
    )
    return render(
        request,
        "customers/action_item_confirm_done.html",
        {
            "item": item,
            "title": title,
            "breadcrumbs": [
                *_customer_crumbs(request, item.customer),
                (item.title, _action_item_url(request, item)),
                (title, ""),
            ],
            "refusal": refusal,
            "back_label": _("Back to the action item"),
            "button": _("Mark done"),
            "button_class": "btn-success",
            "cancel_url": _action_item_url(request, item),
        },
    )


# Coverage ----------------------------------------------------------------------------------------


@staff_required
@require_GET
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
