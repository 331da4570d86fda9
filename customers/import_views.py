"""CSV import (upload, preview, confirm) and export of customers, purchasers and contacts.

The uploaded text waits in the session between preview and confirmation, with its preview,
computed once at the upload (reloading the preview page does not run the import again); the
confirm form posts only its digest, so what is saved is what was previewed, never anything the
browser sends back. The upload is kept in memory and refused past its cap as it streams in, so an
oversized file is never written to disk (brm.web.uploads).
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.access import staff_required, write_required
from brm.web.uploads import capped_uploads, upload_refused

from . import imports


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma or semicolon separated, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused  # the upload handler dropped the file: it was over the cap
        if refused:
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.refused or upload.size > imports.MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB: split it into several files."))
        return imports.decode(upload.read())


def _session_key(request) -> str:
    return f"customers_import:{request.tenant.pk}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@write_required
@require_http_methods(["GET", "POST"])
@csrf_exempt  # only so that the upload handler is set before the body is read: see _upload
def import_upload(request):
    capped_uploads(request, max_bytes=imports.MAX_BYTES)
    return _upload(request)


@csrf_protect
def _upload(request):
    if request.method == "POST":
        files = request.FILES  # reads the body, through the capped handler
        form = UploadForm(request.POST, files, refused=upload_refused(request))
    else:
        form = UploadForm()
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        result = imports.customers_import(text=text, membership=request.membership, commit=False)
        request.session[_session_key(request)] = {
            "text": text,
            "digest": _digest(text),
            "name": request.FILES["file"].name[:200],
            "preview": result.to_data(),
        }
        return redirect("customers:import_preview", tenant_slug=request.tenant.slug)
    return render(
        request, "customers/import_upload.html", {"form": form, "columns": imports.COLUMNS}
    )


@write_required
@require_http_methods(["GET", "POST"])
def import_preview(request):
    """GET: what the file would do, with row-level errors, as computed at the upload.
    POST: save it, all or nothing."""
    pending = request.session.get(_session_key(request))
    if pending is None or "preview" not in pending:  # none, or one kept before previews were
        return render(request, "customers/import_preview.html", {"pending": None})
    if request.method == "POST":
        if "discard" in request.POST:
            del request.session[_session_key(request)]
            messages.info(request, _("The uploaded file was discarded; nothing was saved."))
            return redirect("customers:import_upload", tenant_slug=request.tenant.slug)
        if request.POST.get("digest") != pending["digest"]:
            messages.error(request, _("Another file was uploaded since: check this preview again."))
            return redirect("customers:import_preview", tenant_slug=request.tenant.slug)
        result = imports.customers_import(
            text=pending["text"], membership=request.membership, commit=True
        )
        if result.saved:
            del request.session[_session_key(request)]
            messages.success(request, _summary(result))
            return redirect("customers:customer_list", tenant_slug=request.tenant.slug)
        messages.error(request, _("Nothing was saved: the file has errors now. Fix them first."))
        # What the file would do now is the preview from here on.
        pending["preview"] = result.to_data()
        request.session[_session_key(request)] = pending
    else:
        result = imports.ImportResult.from_data(pending["preview"])
    return render(
        request,
        "customers/import_preview.html",
        {"pending": pending, "result": result, "kinds": imports.KINDS},
    )


def _summary(result: imports.ImportResult) -> str:
    counts = result.counts
    return _(
        "The import is saved. Created: %(created)s, updated: %(updated)s, "
        "already up to date: %(unchanged)s."
    ) % {
        "created": sum(c["create"] for c in counts.values()),
        "updated": sum(c["update"] for c in counts.values()),
        "unchanged": result.unchanged,
    }


@write_required
@require_GET
def import_template(request):
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="customers-import-template.csv"'
    return response


@staff_required
@require_GET
def export_csv(request):
    """Every customer, purchaser and contact of the office, in the import's format (streamed)."""
    response = StreamingHttpResponse(
        imports.customers_csv_export(request.tenant), content_type="text/csv; charset=utf-8"
    )
    filename = f"{request.tenant.slug}-customers-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
