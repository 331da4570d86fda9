"""render_pdf: a Django template to an A4 PDF with a footer on every page, nothing fetched."""

import base64
import subprocess

import pytest
from django.template import engines

from brm.pdf.render import ResourceRefused, render_pdf, static_file
from tests.pdf.conftest import sample_context


def page_texts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_rendered_pdf_prints_the_footer_on_every_page(tmp_path):
    footer = "Agreement 7 · version 2 · in force · SHA-256 3f2a9c"
    pdf = render_pdf("pdf/sample.html", sample_context(pages=3, footer=footer))
    assert pdf.startswith(b"%PDF-")
    pages = page_texts(pdf, tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert footer in page
        assert f"Page {number} of {len(pages)}" in page


def test_rendered_pdf_is_a4(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(render_pdf("pdf/sample.html", sample_context(pages=1)))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info


def test_print_stylesheet_is_served_from_our_static_files():
    assert static_file("https://brm-pdf.invalid/static/css/print.css").name == "print.css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/css/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "https://brm-pdf.invalid/etc/passwd",
        "https://brm-pdf.invalid/static/../../../etc/passwd",
        "https://brm-pdf.invalid/static/css/missing.css",
    ],
)
def test_pdf_resources_outside_our_static_files_are_refused(url):
    with pytest.raises(ResourceRefused):
        static_file(url)


# A 1x1 PNG: if the renderer fetched it, the PDF would carry an image.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_a_document_that_points_at_files_or_the_network_renders_without_them(tmp_path, monkeypatch):
    image = tmp_path / "pixel.png"
    image.write_bytes(PIXEL)
    template = engines["django"].from_string(
        f'<img src="{image.as_uri()}"><img src="https://example.org/pixel.png"><p>Body</p>'
    )
    from brm.pdf import render

    monkeypatch.setattr(render, "render_to_string", lambda name, ctx: template.render(ctx))
    pdf = render_pdf("inline.html", {})
    assert "Body" in page_texts(pdf, tmp_path)[0]
    path = tmp_path / "doc.pdf"
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    assert images.stdout.strip().splitlines()[2:] == []  # two header lines, no image rows
