"""seal_pdf and verify_pdf: our seal validates; anything else gets a clear reason."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from brm.pdf.render import render_pdf
from brm.pdf.seal import seal_pdf, verify_pdf
from tests.pdf.conftest import sample_context, use_seal

METADATA = {
    "office": "acme-it",
    "kind": "agreement",
    "record": 42,
    "version": 3,
    "content_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
}


@pytest.fixture(scope="module")
def unsigned():
    return render_pdf("pdf/sample.html", sample_context(pages=2))


@pytest.fixture
def sealed(seal_keys, unsigned):
    return seal_pdf(unsigned, reason="Agreement in force", metadata=METADATA)


def test_a_sealed_pdf_verifies_as_ours_and_unaltered(sealed):
    result = verify_pdf(sealed)
    assert result.ok, result.reason
    assert result.reason == "Sealed by this office and unaltered."
    assert "BRM Office document seal" in result.signer
    assert result.signed_at is not None


def test_the_metadata_round_trips_through_the_seal(sealed):
    assert verify_pdf(sealed).metadata == METADATA


def test_changing_one_byte_inside_the_signed_range_is_reported_as_altered(sealed):
    # A byte of the page content, well before the signature's own dictionary.
    position = sealed.index(b"stream") + 200
    tampered = bytearray(sealed)
    tampered[position] ^= 0x01
    result = verify_pdf(bytes(tampered))
    assert not result.ok
    assert "altered" in result.reason


def test_an_incremental_update_after_the_seal_is_reported(sealed):
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(sealed))
    info = generic.DictionaryObject(
        {generic.pdf_name("/Title"): generic.TextStringObject("Forged")}
    )
    writer.set_info(writer.add_object(info))
    out = BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert not result.ok
    assert "changed after it was sealed" in result.reason
    assert result.metadata == METADATA  # still says which document it was


def test_an_unsigned_pdf_is_not_a_sealed_document(seal_keys, unsigned):
    result = verify_pdf(unsigned)
    assert not result.ok
    assert result.reason == "The PDF carries no seal: it is not a sealed document."


def test_a_pdf_sealed_with_another_key_names_the_other_signer(
    settings, seal_keys, other_seal_dir, unsigned
):
    use_seal(settings, other_seal_dir)
    foreign = seal_pdf(unsigned, reason="Not ours", metadata=METADATA)
    use_seal(settings, seal_keys)
    result = verify_pdf(foreign)
    assert not result.ok
    assert "signed by someone else" in result.reason
    assert "Someone else's seal" in result.reason


@pytest.mark.parametrize(
    "data",
    [b"", os.urandom(4096), b"%PDF-1.7\n" + os.urandom(4096), b"%PDF-1.7\n%%EOF\n"],
    ids=["empty", "random", "pdf-header-then-noise", "truncated"],
)
def test_garbage_gets_a_clear_reason_and_never_raises(seal_keys, data):
    result = verify_pdf(data)
    assert not result.ok
    assert result.reason in {
        "The file is not a PDF document.",
        "The file cannot be read as a PDF document.",
    }


def test_sealing_without_a_configured_key_says_which_settings_to_set(settings, tmp_path, unsigned):
    settings.BRM_SEAL_KEY_PATH = str(tmp_path / "none.pem")
    with pytest.raises(ImproperlyConfigured, match="BRM_SEAL_KEY_PATH"):
        seal_pdf(unsigned, reason="x", metadata={})
