"""Staff pages of an agreement's SLA appendix: the table of measurements per line and period,
entering and correcting a measurement, and the CSV import (upload, preview, confirm).

The import follows the customers import: the upload is kept in memory and capped as it streams
in (brm.web.uploads); the text waits in the session with its preview, computed once at the
upload; the confirmation posts only its digest and runs the import again, for real.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from brm.web.access import staff_required, write_required
from brm.web.pages import form_page, get_only, tenant_url
from brm.web.uploads import capped_uploads, upload_refused
from customers.import_views import UploadForm
from customers.imports import MAX_BYTES

from . import selectors, services, sla_imports
from .models import Agreement, SlaLine, SlaMeasurement
from .sla_forms import SlaMeasurementCorrectionForm, SlaMeasurementForm, SlaPeriodsForm


def _url(name: str, request, agreement: Agreement, **kwargs) -> str:
    return tenant_url(f"sla:{name}", request, agreement_pk=agreement.pk, **kwargs)


def _crumbs(request, agreement: Agreement) -> list[tuple[str, str]]:
    customer = agreement.customer
    return [
        (_("Customers"), tenant_url("customers:customer_list", request)),
        (customer.name, tenant_url("customers:customer_detail", request, pk=customer.pk)),
        (_("SLA appendix"), _url("sla_table", request, agreement)),
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def sla_table(request, agreement_pk):
    """The appendix of the version in force: lines by the last finished periods, met, not met
    or missing, and the attainment of each period."""
    agreement = selectors.agreement_get(pk=agreement_pk)
    if not_allowed := get_only(request):
        return not_allowed
    form = SlaPeriodsForm(request.GET or None)
    count = form.cleaned_data.get("periods") if form.is_valid() else None
    version = selectors.version_in_force(agreement)
    tables = selectors.sla_measurement_table(agreement, version=version, count=count)
    return render(
        request,
        "agreements/sla/sla_table.html",
        {
            "agreement": agreement,
            "customer": agreement.customer,
            "version": version,
            "tables": tables,
            "form": form,
            "breadcrumbs": _crumbs(request, agreement),
        },
    )


def _initial(request, lines) -> dict:
    """The line and period a "enter" link of the table names, when they make sense."""
    initial = {}
    line = request.GET.get("line", "")
    if line.isdigit() and len(line) < 19 and lines.filter(pk=int(line)).exists():
        initial["line"] = int(line)
    with contextlib.suppress(ValueError):
        initial["period_start"] = date.fromisoformat(request.GET.get("period_start", ""))
    return initial


@write_required
@require_http_methods(["GET", "POST"])
def sla_measurement_create(request, agreement_pk):
    agreement = selectors.agreement_get(pk=agreement_pk)
    version = selectors.version_in_force(agreement)
    table_url = _url("sla_table", request, agreement)
    if version is None:
        messages.error(request, _("No version of this agreement is in force: nothing to measure."))
        return redirect(table_url)
    lines = selectors.sla_lines(version)
    form = SlaMeasurementForm(request.POST or None, initial=_initial(request, lines), lines=lines)
    title = _("Enter a measurement")
    return form_page(
        request,
        form,
        lambda data: services.sla_measurement_record(
            actor=request.user, source=SlaMeasurement.Source.ENTERED, **data
        ),
        success=lambda m: (
            _("The measurement of %(line)s for %(start)s is saved.")
            % {"line": m.line, "start": m.period_start.isoformat()}
        ),
        next_url=table_url,
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, agreement), (title, "")],
            "cancel_url": table_url,
            "intro": _(
                "A measurement is of a whole calendar month or quarter that has finished, "
                "against the line of the version in force at its end."
            ),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def sla_measurement_edit(request, agreement_pk, pk):
    agreement = selectors.agreement_get(pk=agreement_pk)
    measurement = selectors.sla_measurement_get(agreement=agreement, pk=pk)
    # A copy for the form: validating it sets the new values on its instance, and the service
    # must compare them with the record as it is.
    form = SlaMeasurementCorrectionForm(request.POST or None, instance=copy.copy(measurement))
    table_url = _url("sla_table", request, agreement)
    title = _("Correct the measurement of %(line)s for %(start)s") % {
        "line": measurement.line,
        "start": measurement.period_start.isoformat(),
    }
    return form_page(
        request,
        form,
        lambda data: services.sla_measurement_update(
            measurement=measurement,
            actor=request.user,
            source=SlaMeasurement.Source.ENTERED,
            **data,
        ),
        success=_("The measurement is corrected."),
        next_url=table_url,
        context={
            "title": title,
            "breadcrumbs": [*_crumbs(request, agreement), (title, "")],
            "cancel_url": table_url,
            "intro": _("Target: %(target)s. Recorded by %(who)s from %(source)s.")
            % {
                "target": measurement.line.target_text,
                "who": measurement.recorded_by or _("an integration"),
                "source": measurement.get_source_display().lower(),
            },
        },
    )


# CSV import ---------------------------------------------------------------------------------------


def _session_key(request, agreement: Agreement) -> str:
    return f"sla_import:{request.tenant.pk}:{agreement.pk}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@write_required
@require_http_methods(["GET", "POST"])
@csrf_exempt  # only so that the upload handler is set before the body is read: see _upload
def sla_import_upload(request, agreement_pk):
    agreement = selectors.agreement_get(pk=agreement_pk)
    capped_uploads(request, max_bytes=MAX_BYTES)
    return _upload(request, agreement)


@csrf_protect
def _upload(request, agreement: Agreement):
    if request.method == "POST":
        files = request.FILES  # reads the body, through the capped handler
        form = UploadForm(request.POST, files, refused=upload_refused(request))
    else:
        form = UploadForm()
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        result = sla_imports.sla_measurements_import(
            agreement=agreement, text=text, membership=request.membership, commit=False
        )
        request.session[_session_key(request, agreement)] = {
            "text": text,
            "digest": _digest(text),
            "name": request.FILES["file"].name[:200],
            "preview": result.to_data(),
        }
        return redirect(_url("sla_import_preview", request, agreement))
    keys = SlaLine.objects.filter(
        version__agreement=agreement, version__status__in=services.MEASURABLE
    ).values_list("key", flat=True)
    return render(
        request,
        "agreements/sla/import_upload.html",
        {
            "form": form,
            "agreement": agreement,
            "columns": sla_imports.COLUMNS,
            "keys": sorted(set(keys)),
            "breadcrumbs": [*_crumbs(request, agreement), (_("Import measurements"), "")],
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def sla_import_preview(request, agreement_pk):
    """GET: what the file would do, with row errors, as computed at the upload.
    POST: save it, all or nothing."""
    agreement = selectors.agreement_get(pk=agreement_pk)
    key = _session_key(request, agreement)
    pending = request.session.get(key)
    context = {
        "agreement": agreement,
        "pending": pending,
        "breadcrumbs": [*_crumbs(request, agreement), (_("Import preview"), "")],
    }
    if pending is None:
        return render(request, "agreements/sla/import_preview.html", context)
    if request.method == "POST":
        if "discard" in request.POST:
            del request.session[key]
            messages.info(request, _("The uploaded file was discarded; nothing was saved."))
            return redirect(_url("sla_import_upload", request, agreement))
        if request.POST.get("digest") != pending["digest"]:
            messages.error(request, _("Another file was uploaded since: check this preview again."))
            return redirect(_url("sla_import_preview", request, agreement))
        result = sla_imports.sla_measurements_import(
            agreement=agreement, text=pending["text"], membership=request.membership, commit=True
        )
        if result.saved:
            del request.session[key]
            messages.success(
                request,
                _(
                    "The import is saved. Created: %(create)s, corrected: %(update)s, unchanged: "
                    "%(unchanged)s."
                )
                % result.counts,
            )
            return redirect(_url("sla_table", request, agreement))
        messages.error(request, _("Nothing was saved: the file has errors now. Fix them first."))
        pending["preview"] = result.to_data()
        request.session[key] = pending
    else:
        result = sla_imports.SlaImportResult.from_data(pending["preview"])
    return render(request, "agreements/sla/import_preview.html", {**context, "result": result})


@write_required
@require_http_methods(["GET", "POST"])
def sla_import_template(request, agreement_pk):
    agreement = selectors.agreement_get(pk=agreement_pk)
    if not_allowed := get_only(request):
        return not_allowed
    response = HttpResponse(sla_imports.template_csv(), content_type="text/csv; charset=utf-8")
    filename = f"sla-measurements-{agreement.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
