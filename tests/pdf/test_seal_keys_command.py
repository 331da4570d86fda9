"""manage.py brm_seal_keys: a local CA and seal certificate, written once."""

from django.core.management import call_command

from brm.pdf.keys import SealFiles
from brm.pdf.render import render_pdf
from brm.pdf.seal import seal_pdf, verify_pdf
from tests.pdf.conftest import sample_context, use_seal


def test_seal_keys_command_writes_a_working_seal_once_and_then_leaves_it(settings, tmp_path):
    files = SealFiles.under(tmp_path / "seal")
    use_seal(settings, files)
    call_command("brm_seal_keys")
    assert files.exist()
    assert files.key.stat().st_mode & 0o077 == 0  # the private key is readable by its owner only
    first = files.key.read_bytes()
    call_command("brm_seal_keys")
    assert files.key.read_bytes() == first
    sealed = seal_pdf(
        render_pdf("pdf/sample.html", sample_context(pages=1)), reason="t", metadata={}
    )
    assert verify_pdf(sealed).ok
