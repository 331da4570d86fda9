"""Uploads that never reach the disk: a size-capped, in-memory upload handler.

Django keeps an upload in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE and writes a bigger one to a
temporary file before any view can look at its size. A page that takes small files (a CSV
import) installs this handler instead, before the request body is read:

    @csrf_exempt                     # the body must not be read before the handler is set...
    def upload(request):
        capped_uploads(request, max_bytes=1_000_000)
        return _upload(request)      # ...so the real view is wrapped in csrf_protect

A file over the cap is skipped as it streams in (nothing kept, nothing written) and
`upload_refused(request)` says so, so that the form can answer with its own message.
"""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# Room in a multipart body for the form's other fields and the part headers.
FORM_OVERHEAD_BYTES = 64 * 1024


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keeps each file in memory up to `max_bytes`; a larger one is skipped, never stored."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.body_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body far over the cap: refuse its files without keeping a byte of them.
        self.body_too_large = content_length > self.max_bytes + FORM_OVERHEAD_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = BytesIO()  # a fresh one even when refused: the parser closes it
        if self.body_too_large or (self.content_length or 0) > self.max_bytes:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self._refuse()
        self.file.write(raw_data)

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def _refuse(self):
        if self.request is not None:
            self.request.upload_refused = True
        raise SkipFile


def capped_uploads(request, *, max_bytes: int) -> None:
    """Let this request's files only into memory, each at most `max_bytes`."""
    request.upload_handlers = [CappedMemoryUploadHandler(request, max_bytes=max_bytes)]


def upload_refused(request) -> bool:
    """Whether a file of this request was over its cap (and so left out of request.FILES)."""
    return getattr(request, "upload_refused", False)
