"""Staff pages of Partnership Agreements: the list, starting one, the agreement and its versions,
the section editor of a draft, submitting, withdrawing, revising, comparing and signing.

Each view finds its records through the scoped managers (another office's id is a 404), parses
the input with a form and calls one service; the service's refusal lands on the form or as a
message. Everyone on the staff reads; the writing roles (WRITE_ROLES) edit, submit, withdraw and
revise; only the person named for a signature signs or declines it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.access import staff_required, write_required
from brm.web.pages import (
    confirm_delete,
    confirm_then,
    form_page,
    get_only,
    list_context,
    tenant_url,
)
from brm.web.registry import agreement_actions
from customers.models import Customer

from . import forms, presentation, selectors, services, signing
from .models import AgreementVersion, Signature

Status = AgreementVersion.Status


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"agreements:{name}", request, **kwargs)


def _version_url(request, version, anchor: str = "") -> str:
    url = _url("version_detail", request, pk=version.pk)
    return f"{url}#{anchor}" if anchor else url


def _crumbs(request, agreement=None, version=None) -> list[tuple[str, str]]:
    crumbs = [(_("Agreements"), _url("agreement_list", request))]
    if agreement is not None:
        crumbs.append((agreement.customer.name, _url("agreement_detail", request, pk=agreement.pk)))
    if version is not None:
        crumbs.append((_("Version %(n)s") % {"n": version.number}, _version_url(request, version)))
    return crumbs


def _section_or_404(section: str) -> str:
    if section not in forms.ROW_FORMS:
        raise Http404(_("No such section."))
    return section


def _version_or_404(pk) -> AgreementVersion:
    return selectors.version_get(pk=pk)


# The list ----------------------------------------------------------------------------------------


@staff_required
@require_GET
def agreement_list(request):
    form = forms.AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", "customer")
    if ordering not in selectors.AGREEMENT_ORDERINGS:
        ordering = "customer"
    agreements = selectors.agreement_list(
        state=filters.get("state") or None,
        relationship_manager=filters.get("relationship_manager"),
        search=filters.get("q", ""),
        ordering=ordering,
    )
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            **list_context(request, agreements, ordering),
        },
    )


# Starting an agreement ---------------------------------------------------------------------------


def _start(request, customer: Customer | None, cancel_url: str, crumbs):
    form = forms.AgreementStartForm(request.POST or None, customer=customer)
    title = (
        _("Start the agreement with %(customer)s") % {"customer": customer.name}
        if customer is not None
        else _("Start an agreement")
    )
    return form_page(
        request,
        form,
        lambda data: services.agreement_draft_create(
            customer=customer or data["customer"],
            actor=request.user,
            relationship_philosophy=data["relationship_philosophy"],
        ),
        success=_("Version 1 of the agreement is a draft: add its sections."),
        next_url=lambda version: _version_url(request, version),
        context={
            "title": title,
            "breadcrumbs": [*crumbs, (title, "")],
            "cancel_url": cancel_url,
            "submit_label": _("Start the draft"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    return _start(request, None, _url("agreement_list", request), _crumbs(request))


@write_required
@require_http_methods(["GET", "POST"])
def agreement_create_for_customer(request, pk):
    customer = get_object_or_404(Customer.objects, pk=pk)
    customer_url = tenant_url("customers:customer_detail", request, pk=customer.pk)
    crumbs = [
        (_("Customers"), tenant_url("customers:customer_list", request)),
        (customer.name, customer_url),
    ]
    return _start(request, customer, f"{customer_url}#agreement", crumbs)


# The agreement and its versions ------------------------------------------------------------------


def _shown_version(versions: list[AgreementVersion]) -> AgreementVersion:
    """The version in force, else the newest."""
    return next((v for v in versions if v.status == Status.IN_FORCE), versions[0])


def _version_page(request, agreement, version, versions):
    signatures = list(version.signatures.all())
    mine = next(
        (
            s
            for s in signatures
            if s.membership_id == request.membership.pk and s.status == Signature.Status.PENDING
        ),
        None,
    )
    open_version = next((v for v in versions if v.status in AgreementVersion.OPEN_STATUSES), None)
    writer = request.membership.can_write
    previous = next((v for v in versions if v.number < version.number), None)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "version": version,
            "versions": versions,
            "sections": presentation.version_sections(version),
            "signatures": signatures,
            "awaited": [s for s in signatures if s.status == Signature.Status.PENDING],
            "my_signature": mine if mine and version.status == Status.IN_SIGNATURE else None,
            "open_version": open_version if open_version and open_version != version else None,
            "previous": previous,
            "editable": writer and version.status == Status.DRAFT,
            "can_withdraw": writer and version.status == Status.IN_SIGNATURE,
            "can_revise": writer and version.status == Status.IN_FORCE and open_version is None,
            # What later areas offer here (meetings: make cadences), by brm.web.registry.
            "actions": agreement_actions.links(request, agreement),
            "breadcrumbs": _crumbs(request, agreement)
            + [(_("Version %(n)s") % {"n": version.number}, "")],
        },
    )


@staff_required
def agreement_detail(request, pk):
    """The agreement: the version in force (else the newest), its sections and signing round,
    and every version."""
    agreement = selectors.agreement_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    versions = list(selectors.version_history(agreement))
    return _version_page(request, agreement, _shown_version(versions), versions)


@staff_required
def version_detail(request, pk):
    version = _version_or_404(pk)
    if not_allowed := get_only(request):
        return not_allowed
    agreement = selectors.agreement_get(pk=version.agreement_id)
    versions = list(selectors.version_history(agreement))
    shown = next(v for v in versions if v.pk == version.pk)
    return _version_page(request, agreement, shown, versions)


# The section editor (drafts) ---------------------------------------------------------------------


def _edit_context(request, version, title: str, anchor: str) -> dict:
    agreement = version.agreement
    return {
        "title": title,
        "breadcrumbs": [*_crumbs(request, agreement, version), (title, "")],
        "cancel_url": _version_url(request, version, anchor),
    }


@write_required
@require_http_methods(["GET", "POST"])
def version_edit(request, pk):
    """The draft's relationship philosophy."""
    version = _version_or_404(pk)
    form = forms.PhilosophyForm(
        request.POST or None, initial={"relationship_philosophy": version.relationship_philosophy}
    )
    return form_page(
        request,
        form,
        lambda data: services.version_update(version=version, actor=request.user, **data),
        success=_("The relationship philosophy was saved."),
        next_url=_version_url(request, version, "philosophy"),
        context=_edit_context(request, version, _("Relationship philosophy"), "philosophy"),
    )


@write_required
@require_http_methods(["GET", "POST"])
def row_create(request, pk, section):
    version = _version_or_404(pk)
    section = _section_or_404(section)
    form = forms.ROW_FORMS[section](request.POST or None, customer=version.agreement.customer)
    title = _("Add to %(section)s") % {"section": presentation.SECTION_TITLES[section].lower()}
    return form_page(
        request,
        form,
        lambda data: services.section_row_add(
            version=version, section=section, actor=request.user, **form.values()
        ),
        success=_("The row was added."),
        next_url=_version_url(request, version, section),
        context=_edit_context(request, version, title, section),
    )


def _row_or_404(section: str, pk):
    model = services.SECTIONS[_section_or_404(section)]
    return get_object_or_404(model.objects.select_related("version__agreement__customer"), pk=pk)


@write_required
@require_http_methods(["GET", "POST"])
def row_edit(request, section, pk):
    row = _row_or_404(section, pk)
    version = row.version
    form_class = forms.ROW_FORMS[section]
    form = form_class(
        request.POST or None,
        initial=form_class.initial_of(row),
        customer=version.agreement.customer,
        editing=True,
    )
    title = _("Edit “%(row)s”") % {"row": row}
    return form_page(
        request,
        form,
        lambda data: services.section_row_update(row=row, actor=request.user, **form.values()),
        success=_("The row was saved."),
        next_url=_version_url(request, version, section),
        context=_edit_context(request, version, title, section),
    )


@write_required
@require_http_methods(["GET", "POST"])
def row_delete(request, section, pk):
    row = _row_or_404(section, pk)
    version = row.version
    back = _version_url(request, version, section)
    note = (
        _("Its action item is deleted with it unless another version of the agreement names it.")
        if section == "action_plan"
        else ""
    )
    return confirm_delete(
        request,
        row,
        lambda: services.section_row_delete(row=row, actor=request.user),
        what=_("The row"),
        back=back,
        done=back,
        note=note,
        breadcrumbs=_crumbs(request, version.agreement, version),
    )


@write_required
@require_http_methods(["GET", "POST"])
def rows_reorder(request, pk, section):
    """Move a draft's rows up or down, one step a button (no script needed)."""
    version = _version_or_404(pk)
    section = _section_or_404(section)
    here = _url("rows_reorder", request, pk=version.pk, section=section)
    if request.method == "POST":
        order = list(services.section_rows(version, section).values_list("pk", flat=True))
        try:
            moved = int(request.POST.get("row", ""))
            index = order.index(moved)
        except ValueError:
            messages.error(request, _("Choose a row of this section to move."))
            return redirect(here)
        target = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            try:
                services.section_rows_reorder(
                    version=version, section=section, order=order, actor=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The row was moved."))
        return redirect(f"{here}#row-{moved}")
    shown = next(s for s in presentation.version_sections(version) if s.key == section)
    title = _("Reorder %(section)s") % {"section": presentation.SECTION_TITLES[section].lower()}
    return render(
        request,
        "agreements/rows_reorder.html",
        {
            "version": version,
            "section": shown,
            "title": title,
            "editable": version.status == Status.DRAFT,
            "breadcrumbs": [*_crumbs(request, version.agreement, version), (title, "")],
            "back_url": _version_url(request, version, section),
        },
    )


# The signing round -------------------------------------------------------------------------------


@write_required
@require_http_methods(["GET", "POST"])
def version_submit(request, pk):
    version = _version_or_404(pk)
    customer = Customer.objects.select_related("relationship_manager__user").get(
        pk=version.agreement.customer_id
    )
    form = forms.SubmitForm(request.POST or None, customer=customer)
    title = _("Submit version %(n)s for signature") % {"n": version.number}
    return form_page(
        request,
        form,
        lambda data: services.version_submit(
            version=version,
            actor=request.user,
            signers={role: data[role] for role in Signature.SignerRole.values},
        ),
        success=_("Version %(n)s is in signature: the four signers can sign it now.")
        % {"n": version.number},
        next_url=_version_url(request, version, "signatures"),
        context={
            **_edit_context(request, version, title, "signatures"),
            "intro": _(
                "Submitting freezes this version: its content and its SHA-256 never change "
                "again. Name the four people who sign it; only those who may sign are offered."
            ),
            "submit_label": _("Submit for signature"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def version_withdraw(request, pk):
    """Take the version out of signature (with a reason): its signatures are voided and kept,
    and a draft copy is made to work on."""
    version = _version_or_404(pk)
    form = forms.WithdrawForm(request.POST or None)
    title = _("Withdraw version %(n)s from signature") % {"n": version.number}
    return form_page(
        request,
        form,
        lambda data: services.version_withdraw(
            version=version, actor=request.user, reason=data["reason"]
        ),
        success=lambda draft: (
            _("Version %(old)s was withdrawn; version %(new)s is a draft copy to work on.")
            % {"old": version.number, "new": draft.number}
        ),
        next_url=lambda draft: _version_url(request, draft),
        context={
            **_edit_context(request, version, title, "signatures"),
            "intro": _(
                "The signatures given so far are voided (and kept in the history). This cannot "
                "be undone."
            ),
            "submit_label": _("Withdraw"),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def version_revise(request, pk):
    """A new draft copied from the version in force, which stays in force until it is."""
    version = _version_or_404(pk)
    title = _("Revise version %(n)s") % {"n": version.number}
    return confirm_then(
        request,
        lambda: services.version_revise(version=version, actor=request.user),
        success=lambda draft: (
            _("Version %(n)s is a new draft, copied from version %(old)s.")
            % {"n": draft.number, "old": version.number}
        ),
        done=_url("agreement_detail", request, pk=version.agreement_id),
        context={
            **_edit_context(request, version, title, ""),
            "question": _(
                "A new draft is copied from version %(n)s. Version %(n)s stays in force until "
                "the new one is signed by all four."
            )
            % {"n": version.number},
            "button": _("Make the new draft"),
        },
    )


# Comparing ---------------------------------------------------------------------------------------


def compare_context(request, versions: list[AgreementVersion]) -> dict:
    """The two versions asked for (`a` older, `b` newer; by default the newest two) and what
    changed between them; used by the staff page and the portal's."""
    numbers = [v.number for v in versions]
    by_number = {v.number: v for v in versions}
    default = {"a": numbers[1] if len(numbers) > 1 else numbers[0], "b": numbers[0]}
    form = forms.CompareForm(request.GET if "a" in request.GET else default, numbers=numbers)
    context = {"compare_form": form, "versions": versions}
    if form.is_valid():
        old, new = by_number[form.cleaned_data["a"]], by_number[form.cleaned_data["b"]]
        context.update(old=old, new=new, diff=presentation.compare_versions(old, new))
    return context


@staff_required
def agreement_compare(request, pk):
    agreement = selectors.agreement_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    versions = list(selectors.version_history(agreement))
    title = _("Compare versions")
    return render(
        request,
        "agreements/agreement_compare.html",
        {
            "agreement": agreement,
            "title": title,
            "breadcrumbs": [*_crumbs(request, agreement), (title, "")],
            **compare_context(request, versions),
        },
    )


# Signing on the staff side -----------------------------------------------------------------------


def _signature_or_404(pk) -> Signature:
    return get_object_or_404(
        Signature.objects.select_related("version__agreement__customer", "membership__user"),
        pk=pk,
    )


def _signature_context(request, signature, title) -> dict:
    version = signature.version
    return {
        "title": title,
        "breadcrumbs": [*_crumbs(request, version.agreement, version), (title, "")],
        "cancel_url": _version_url(request, version, "signatures"),
        "decline_url": _url("signature_decline", request, pk=signature.pk),
        "sign_url": _url("signature_sign", request, pk=signature.pk),
    }


@write_required
@require_http_methods(["GET", "POST"])
def signature_sign(request, pk):
    signature = _signature_or_404(pk)
    title = _("Sign version %(n)s") % {"n": signature.version.number}
    return signing.sign_page(
        request,
        signature,
        done=_version_url(request, signature.version, "signatures"),
        context=_signature_context(request, signature, title),
    )


@write_required
@require_http_methods(["GET", "POST"])
def signature_decline(request, pk):
    signature = _signature_or_404(pk)
    title = _("Decline to sign version %(n)s") % {"n": signature.version.number}
    return signing.decline_page(
        request,
        signature,
        done=_url("agreement_detail", request, pk=signature.version.agreement_id),
        context=_signature_context(request, signature, title),
    )


# The customer page's panel -----------------------------------------------------------------------


def customer_panel_context(request, customer) -> dict:
    """The agreement panel of the customer page: its state and a way in (one query)."""
    return {"agreement": selectors.agreement_for_customer(customer)}
