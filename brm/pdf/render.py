"""Django template to PDF with WeasyPrint, never fetching anything from outside."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

# Resources resolve against this made-up origin, so relative and /static/ URLs both land in
# our url_fetcher and nothing can reach the network.
BASE_URL = "https://brm-pdf.invalid/"


class ResourceRefused(ValueError):
    """A document asked for something that is not one of our static files."""


def static_file(url: str) -> Path:
    """The file on disk for one of our static URLs, or ResourceRefused."""
    parsed = urlparse(url)
    origin = urlparse(BASE_URL)
    if (parsed.scheme, parsed.netloc) != (origin.scheme, origin.netloc):
        raise ResourceRefused(f"PDF resources come from our static files only, not {url}")
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parsed.path)
    if not path.startswith(prefix):
        raise ResourceRefused(f"PDF resources come from our static files only, not {url}")
    name = path[len(prefix) :]
    # finders.find refuses paths that climb out of the static directories (".."); the collected,
    # hashed names of production (ManifestStaticFilesStorage) are found in STATIC_ROOT.
    try:
        found = finders.find(name)
    except SuspiciousFileOperation as exc:
        raise ResourceRefused(f"PDF resources come from our static files only, not {url}") from exc
    if not found and ".." not in Path(name).parts:
        collected = Path(settings.STATIC_ROOT) / name
        found = str(collected) if collected.is_file() else None
    if not found:
        raise ResourceRefused(f"No static file at {url}")
    return Path(found)


def static_only_fetcher():
    """A WeasyPrint fetcher that serves our static files from disk and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file(url)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticOnlyFetcher()


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render a Django template (extending pdf/base.html, say) to PDF bytes.

    `context["footer"]`, when given, is printed at the foot of every page by pdf/base.html.
    """
    from weasyprint import HTML  # imported late: it loads pango, which only PDF work needs

    html = render_to_string(template_name, context)
    return HTML(
        string=html, base_url=base_url or BASE_URL, url_fetcher=static_only_fetcher()
    ).write_pdf()
