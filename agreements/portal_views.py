"""The business portal's pages of Partnership Agreements (/t/<slug>/portal/agreement/...).

What a portal user reads comes from their scope (customers.selectors.portal_scope) and
`selectors.portal_version_list`: a customer (who holds the mandate) reads every version that
left the office's drafts, compares them and signs the one awaiting them; a purchaser reads the
version in force alone. Any other version is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.pages import get_only, tenant_url
from customers import selectors as customer_selectors

from . import presentation, selectors, signing
from .models import Agreement, AgreementVersion, Signature
from .views import compare_context

Status = AgreementVersion.Status


def _scope(request):
    return customer_selectors.portal_scope(request.membership)


def _agreement(scope) -> Agreement | None:
    return Agreement.objects.filter(customer_id=scope.contact.customer_id).first()


def _versions(scope, agreement) -> list[AgreementVersion]:
    return list(
        selectors.portal_version_list(agreement=agreement, whole_customer=scope.whole_customer)
    )


def _visible_or_404(request):
    """(scope, agreement, versions) of the portal user; 404 when there is nothing to read."""
    scope = _scope(request)
    if scope is None:
        raise Http404(_("Not found."))
    agreement = _agreement(scope)
    if agreement is None:
        raise Http404(_("Not found."))
    return scope, agreement, _versions(scope, agreement)


def _home(request) -> tuple[str, str]:
    return (_("Agreement"), tenant_url("agreements:portal_agreement", request))


def _awaiting_me(request, versions) -> list[Signature]:
    return [
        s
        for v in versions
        if v.status == Status.IN_SIGNATURE
        for s in v.signatures.all()
        if s.membership_id == request.membership.pk and s.status == Signature.Status.PENDING
    ]


@require_GET
def agreement(request):
    """The agreement in force, what awaits the user's signature, and the history."""
    scope = _scope(request)
    if scope is None:
        return render(
            request, "customers/portal/not_linked.html", {"title": _("Partnership agreement")}
        )
    found = _agreement(scope)
    versions = _versions(scope, found) if found is not None else []
    in_force = next((v for v in versions if v.status == Status.IN_FORCE), None)
    return render(
        request,
        "agreements/portal/agreement.html",
        {
            "scope": scope,
            "customer": scope.customer,
            "agreement": found,
            "versions": versions,
            "version": in_force,
            "sections": presentation.version_sections(in_force) if in_force else [],
            "signatures": list(in_force.signatures.all()) if in_force else [],
            "awaiting": _awaiting_me(request, versions),
        },
    )


def version_detail(request, pk):
    scope, found, versions = _visible_or_404(request)
    version = next((v for v in versions if v.pk == pk), None)
    if version is None:
        raise Http404(_("Not found."))
    if not_allowed := get_only(request):
        return not_allowed
    title = _("Version %(n)s") % {"n": version.number}
    return render(
        request,
        "agreements/portal/version_detail.html",
        {
            "scope": scope,
            "agreement": found,
            "versions": versions,
            "version": version,
            "sections": presentation.version_sections(version),
            "signatures": list(version.signatures.all()),
            "awaiting": _awaiting_me(request, [version]),
            "title": title,
            "breadcrumbs": [_home(request), (title, "")],
        },
    )


@require_GET
def agreement_compare(request):
    """Compare two versions: for those who read more than one (customers)."""
    scope = _scope(request)
    found = _agreement(scope) if scope is not None else None
    versions = _versions(scope, found) if found is not None else []
    title = _("Compare versions")
    return render(
        request,
        "agreements/portal/compare.html",
        {
            "scope": scope,
            "agreement": found,
            "title": title,
            "breadcrumbs": [_home(request), (title, "")],
            **(compare_context(request, versions) if versions else {}),
        },
    )


def _signature_or_404(request, pk) -> Signature:
    """A signature of a version this portal user reads (never a draft's, never a purchaser's)."""
    scope, _found, versions = _visible_or_404(request)
    visible = [v.pk for v in versions if v.status == Status.IN_SIGNATURE]
    return get_object_or_404(
        Signature.objects.select_related("version__agreement__customer", "membership__user"),
        pk=pk,
        version_id__in=visible,
    )


def _signature_context(request, signature, title) -> dict:
    version_url = tenant_url("agreements:portal_version", request, pk=signature.version_id)
    return {
        "title": title,
        "breadcrumbs": [
            _home(request),
            (_("Version %(n)s") % {"n": signature.version.number}, version_url),
            (title, ""),
        ],
        "cancel_url": version_url,
        "decline_url": tenant_url("agreements:portal_signature_decline", request, pk=signature.pk),
        "sign_url": tenant_url("agreements:portal_signature_sign", request, pk=signature.pk),
    }


@require_http_methods(["GET", "POST"])
def signature_sign(request, pk):
    signature = _signature_or_404(request, pk)
    title = _("Sign version %(n)s") % {"n": signature.version.number}
    return signing.sign_page(
        request,
        signature,
        done=tenant_url("agreements:portal_version", request, pk=signature.version_id),
        context=_signature_context(request, signature, title),
    )


@require_http_methods(["GET", "POST"])
def signature_decline(request, pk):
    signature = _signature_or_404(request, pk)
    title = _("Decline to sign version %(n)s") % {"n": signature.version.number}
    return signing.decline_page(
        request,
        signature,
        done=tenant_url("agreements:portal_agreement", request),
        context=_signature_context(request, signature, title),
    )
