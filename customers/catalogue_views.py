"""Staff pages of the service catalogue: the office's IT services and who consumes each."""

from __future__ import annotations

import copy

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.audit.history import history_context
from brm.web.access import staff_required, write_required
from brm.web.pages import confirm_delete, form_page, get_only, list_context, tenant_url

from . import forms, selectors, services
from .models import Service

CUSTOMERS_SHOWN = 50


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"customers:{name}", request, **kwargs)


def _crumb(request) -> tuple[str, str]:
    return (_("Services"), _url("service_list", request))


def _crumbs(request, service: Service) -> list[tuple[str, str]]:
    return [_crumb(request), (str(service), _url("service_detail", request, pk=service.pk))]


@staff_required
@require_GET
def service_list(request):
    form = forms.ServiceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", "name")
    catalogue = selectors.service_list(
        search=filters.get("q", ""), status=filters.get("status", ""), ordering=ordering
    )
    return render(
        request,
        "customers/service_list.html",
        {
            "form": form,
            "filtered": any(filters.values()),
            **list_context(request, catalogue, ordering),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def service_create(request):
    form = forms.ServiceForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.service_create(actor=request.user, **data),
        success=lambda s: _("The service %(name)s was added to the catalogue.") % {"name": s},
        next_url=lambda s: _url("service_detail", request, pk=s.pk),
        context={
            "title": _("New service"),
            "breadcrumbs": [_crumb(request), (_("New service"), "")],
            "cancel_url": _url("service_list", request),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def service_detail(request, pk):
    try:
        service = selectors.service_get(pk)
    except Service.DoesNotExist:
        raise Http404(_("No such service.")) from None
    if not_allowed := get_only(request):
        return not_allowed
    consumers = selectors.service_customers(service)
    return render(
        request,
        "customers/service_detail.html",
        {
            "service": service,
            "consumers": list(consumers[:CUSTOMERS_SHOWN]),
            "consumer_count": consumers.count(),
            "customers_shown": CUSTOMERS_SHOWN,
            **history_context(
                [service], caption=_("The latest changes to this service, newest first")
            ),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    service = get_object_or_404(Service.objects, pk=pk)
    form = forms.ServiceForm(request.POST or None, instance=copy.copy(service))
    return form_page(
        request,
        form,
        lambda data: services.service_update(service=service, actor=request.user, **data),
        success=lambda s: _("The service %(name)s was saved.") % {"name": s},
        next_url=lambda s: _url("service_detail", request, pk=s.pk),
        context={
            "title": _("Edit %(name)s") % {"name": service},
            "breadcrumbs": [*_crumbs(request, service), (_("Edit"), "")],
            "cancel_url": _url("service_detail", request, pk=service.pk),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def service_delete(request, pk):
    service = get_object_or_404(Service.objects, pk=pk)
    refusal = services.service_delete_refusal(service)
    return confirm_delete(
        request,
        service,
        lambda: services.service_delete(service=service, actor=request.user),
        what=_("The service"),
        breadcrumbs=_crumbs(request, service),
        back=_url("service_detail", request, pk=service.pk),
        done=_url("service_list", request),
        refusal=refusal,
        note="" if refusal else _("No customer consumes it; it leaves the catalogue for good."),
    )
