"""The agreement as a PDF: downloads (staff and portal) and the staff page that verifies a copy.

A version with a stored sealed PDF is served exactly as stored; any other is rendered on demand.
Staff may download every version of the office; a portal user what selectors.portal_version_list
allows. Anything else, another office's version included, is a 404.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from brm.web.access import staff_required
from brm.web.pages import get_only
from brm.web.uploads import capped_uploads, upload_refused
from customers.selectors import portal_scope

from . import pdf, selectors

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What browsers and mail clients send for a PDF; anything else is refused before it is read.
PDF_CONTENT_TYPES = {"application/pdf", "application/x-pdf"}


def _pdf_response(request, version) -> HttpResponse:
    try:
        content = pdf.version_pdf_bytes(version)
    except pdf.SealedCopyMissing:
        # 503: the record is fine, its file is not (yet) back in the storage.
        return render(request, "agreements/pdf_missing.html", {"version": version}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.pdf_filename(version)}"'
    # A person's copy of an agreement: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def version_pdf(request, pk):
    """Any version of the office, for every staff role."""
    version = selectors.version_get(pk=pk)
    if not_allowed := get_only(request):
        return not_allowed
    return _pdf_response(request, version)


def portal_version_pdf(request, pk):
    """A version the portal user may read (the middleware keeps staff out of portal/)."""
    scope = portal_scope(request.membership)
    if scope is None:
        raise Http404(_("Not found."))
    version = get_object_or_404(
        selectors.portal_readable_versions(scope=scope, membership=request.membership), pk=pk
    )
    if not_allowed := get_only(request):
        return not_allowed
    return _pdf_response(request, version)


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Agreement PDF"),
        help_text=gettext_lazy("A PDF file of at most 10 MB, as downloaded or received by email."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused  # the upload handler dropped the file: it was over the cap
        if refused:
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if self.refused or (upload is not None and upload.size > MAX_UPLOAD_BYTES):
            raise ValidationError(_("The file is larger than 10 MB: it is not an agreement PDF."))
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in PDF_CONTENT_TYPES:
            raise ValidationError(
                _("This is not a PDF file (it was sent as %(type)s): choose the agreement's PDF.")
                % {"type": content_type or _("an unknown type")}
            )
        data = upload.read()
        if not data.lstrip()[:5] == b"%PDF-":
            raise ValidationError(_("This file is not a PDF document, whatever its name says."))
        return data


@staff_required
@require_http_methods(["GET", "POST"])
@csrf_exempt  # only so that the upload handler is set before the body is read: see _verify
def verify(request):
    """Upload a PDF: is it an unaltered sealed agreement of this office, and which version?

    Every staff role may check a copy (it writes nothing). The file stays in memory, capped.
    """
    capped_uploads(request, max_bytes=MAX_UPLOAD_BYTES)
    return _verify(request)


@csrf_protect
def _verify(request):
    check = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES, refused=upload_refused(request))
        if form.is_valid():
            check = pdf.agreement_pdf_verify(form.cleaned_data["file"])
    else:
        form = VerifyForm()
    return render(
        request,
        "agreements/pdf_verify.html",
        {"form": form, "check": check},
    )
