"""Seal a PDF with the office's certificate (pyHanko) and verify an uploaded one.

The seal is a PAdES document signature over the whole file; any PDF reader shows it as made by
the seal certificate and unaltered. Which document it is travels in the document information
dictionary (entry /BRMSeal, JSON), written in the same revision as the signature, so the
signature covers it.
"""

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .keys import SealFiles


def _off_the_loop(fn, *args, **kwargs):
    """pyHanko's plain calls run asyncio.run, which refuses a thread whose event loop is running
    (an async server, or Playwright's in the browser tests): such a caller gets a thread of its
    own for the call."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


logger = logging.getLogger(__name__)

SEAL_FIELD = "BRMSeal"
META_KEY = "/BRMSeal"


@dataclass(frozen=True)
class Verification:
    """What an uploaded PDF is: sealed by us and unaltered (`ok`), or why not (`reason`)."""

    ok: bool
    reason: str
    metadata: dict = field(default_factory=dict)
    signer: str = ""
    signed_at: object = None  # datetime (UTC) the signer's clock gave, when there is a seal


def seal_files() -> SealFiles:
    return SealFiles(
        key=Path(settings.BRM_SEAL_KEY_PATH),
        cert=Path(settings.BRM_SEAL_CERT_PATH),
        chain=Path(settings.BRM_SEAL_CHAIN_PATH),
    )


def _signer():
    from pyhanko.sign import signers

    files = seal_files()
    if not files.exist():
        raise ImproperlyConfigured(
            "No seal key: set BRM_SEAL_KEY_PATH, BRM_SEAL_CERT_PATH and BRM_SEAL_CHAIN_PATH "
            "(or run `manage.py brm_seal_keys` for a local one)."
        )
    signer = signers.SimpleSigner.load(
        str(files.key), str(files.cert), ca_chain_files=(str(files.chain),)
    )
    if signer is None:
        raise ImproperlyConfigured(f"The seal key {files.key} or certificate cannot be read.")
    return signer


def _trust_roots():
    from pyhanko.keys import load_certs_from_pemder

    files = seal_files()
    return list(load_certs_from_pemder([str(files.chain)])), next(
        iter(load_certs_from_pemder([str(files.cert)]))
    )


def seal_pdf(pdf_bytes: bytes, *, reason: str, metadata: dict) -> bytes:
    """Sign the whole PDF with the seal certificate, embedding `metadata` (JSON-serialisable)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    info = generic.DictionaryObject()
    old = writer.prev.trailer_view.get("/Info")
    if old is not None:
        info.update(old.get_object())
    info[generic.pdf_name(META_KEY)] = generic.TextStringObject(
        json.dumps(metadata, sort_keys=True, default=str)
    )
    writer.set_info(writer.add_object(info))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        # A document signature, not a certification: readers show "signed and unaltered".
    )
    out = _off_the_loop(signers.sign_pdf, writer, meta, signer=_signer())
    return out.getvalue()


def verify_pdf(pdf_bytes: bytes) -> Verification:
    """Whether `pdf_bytes` is a PDF sealed by our certificate and unchanged since. Never raises."""
    try:
        return _verify(pdf_bytes)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # garbage input must give an answer, not a 500
        logger.info("PDF verification failed: %r", exc)
        return Verification(False, "The file cannot be read as a PDF document.")


def _verify(pdf_bytes: bytes) -> Verification:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if pdf_bytes.lstrip()[:5] != b"%PDF-":
        return Verification(False, "The file is not a PDF document.")
    reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
    sigs = reader.embedded_signatures
    if not sigs:
        return Verification(False, "The PDF carries no seal: it is not a sealed document.")
    roots, seal_cert = _trust_roots()
    ours = [
        s for s in sigs if s.signer_cert is not None and s.signer_cert.dump() == seal_cert.dump()
    ]
    if not ours:
        other = sigs[0].signer_cert.subject.human_friendly if sigs[0].signer_cert else "unknown"
        return Verification(
            False, f"The PDF is signed by someone else ({other}), not by this office's seal."
        )
    sig = ours[-1]
    metadata = _signed_metadata(reader, sig)
    signer = seal_cert.subject.human_friendly
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = _off_the_loop(validate_pdf_signature, sig, context)
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        return Verification(
            False,
            "The PDF has been altered: its content no longer matches the seal.",
            metadata,
            signer,
            signed_at,
        )
    if not status.trusted:
        return Verification(
            False,
            "The seal's certificate is not trusted by this office.",
            metadata,
            signer,
            signed_at,
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verification(
            False,
            "The PDF was changed after it was sealed (content was added to the file).",
            metadata,
            signer,
            signed_at,
        )
    return Verification(True, "Sealed by this office and unaltered.", metadata, signer, signed_at)


def _signed_metadata(reader, sig) -> dict:
    """The /BRMSeal entry as of the sealed revision (a later update cannot rewrite it)."""
    try:
        trailer = reader.get_historical_resolver(sig.signed_revision).trailer_view
        raw = trailer["/Info"].get_object().get(META_KEY)
        return json.loads(str(raw)) if raw is not None else {}
    except Exception:
        return {}
