"""The agreement as a PDF document: any version rendered, and the sealed copy of a version in force.

`version_pdf_render` draws a version with WeasyPrint (templates/pdf/agreement.html): a title page,
every section, the acceptance (the signers and where each stands), a footer on every page with
the agreement, version, status and content SHA-256, and for a version that came into force a
certificate page with the evidence of each signature. `version_pdf_bytes` is what a download
serves: the stored sealed file when there is one, byte for byte, else a rendering made now.
The sealing itself, once, is a service (services.version_seal).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from brm.pdf.render import render_pdf
from brm.pdf.seal import verify_pdf
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership
from customers.models import Contact

from . import selectors, services
from .models import AgreementVersion, EngagementRow, Signature

logger = logging.getLogger(__name__)

Status = AgreementVersion.Status
Frequency = EngagementRow.Frequency

TEMPLATE = "pdf/agreement.html"
# What the seal says it is for (pyHanko's /Reason, which PDF readers show beside the seal).
SEAL_REASON = "Partnership Agreement in force"
# The document kind in the seal's metadata, which the verification page checks.
SEAL_KIND = "partnership_agreement"

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}


def pdf_filename(version: AgreementVersion) -> str:
    """The download's file name: the agreement, the version, and "draft" for a draft."""
    draft = "-draft" if version.status == Status.DRAFT else ""
    return f"agreement-{version.agreement_id}-v{version.number}{draft}.pdf"


def frequency_text(row: EngagementRow) -> str:
    """The engagement row's frequency in words: "Every 2 weeks on Tuesday", "Monthly on the 2nd
    Tuesday", "Quarterly on day 15"."""
    weekday = row.get_weekday_display() if row.weekday is not None else ""
    if row.frequency == Frequency.WEEKLY:
        every = (
            _("Every week") if row.interval == 1 else _("Every %(n)s weeks") % {"n": row.interval}
        )
        return f"{every} {_('on')} {weekday}" if weekday else every
    base = {
        Frequency.MONTHLY: _("Monthly")
        if row.interval == 1
        else _("Every %(n)s months") % {"n": row.interval},
        Frequency.QUARTERLY: _("Quarterly"),
        Frequency.YEARLY: _("Yearly"),
    }.get(row.frequency, row.get_frequency_display())
    if row.week_of_month is not None and weekday:
        position = ORDINALS.get(row.week_of_month, str(row.week_of_month))
        return _("%(base)s on the %(position)s %(weekday)s") % {
            "base": base,
            "position": position,
            "weekday": weekday,
        }
    if row.month_day:
        return _("%(base)s on day %(day)s") % {"base": base, "day": row.month_day}
    return base


@dataclass(frozen=True)
class SignerEvidence:
    """One signature as the acceptance section and the certificate page print it (the template
    prints its times in UTC and in the office's zone)."""

    signature: Signature
    name: str
    email: str


def _attendees(rows: list[EngagementRow]) -> dict[int, str]:
    """Each engagement row's attendees in words: roles, then contacts and staff by name."""
    contact_ids = {i for row in rows for i in row.attendee_contact_ids or []}
    member_ids = {i for row in rows for i in row.attendee_member_ids or []}
    contacts = dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "name"))
    members = {
        m.pk: m.user.get_full_name()
        for m in Membership.objects.filter(pk__in=member_ids).select_related("user")
    }
    result = {}
    for row in rows:
        names = [*row.attendee_roles]
        names += [
            contacts.get(i, _("contact #%(id)s") % {"id": i}) for i in row.attendee_contact_ids
        ]
        names += [
            members.get(i, _("staff member #%(id)s") % {"id": i}) for i in row.attendee_member_ids
        ]
        result[row.pk] = ", ".join(str(n) for n in names)
    return result


def _signers(version: AgreementVersion) -> list[SignerEvidence]:
    order = {role: n for n, role in enumerate(Signature.SignerRole.values)}
    signatures = sorted(
        Signature.objects.filter(version=version).select_related("membership__user"),
        key=lambda s: (order.get(s.role, 99), s.pk),
    )
    return [
        SignerEvidence(
            signature=s,
            name=s.signer_name or s.membership.user.get_full_name(),
            email=s.signer_email or s.membership.user.email,
        )
        for s in signatures
    ]


def version_pdf_context(version: AgreementVersion) -> dict:
    """Everything the agreement template prints, read in the version's tenant."""
    agreement = version.agreement
    customer = agreement.customer
    tenant = version.tenant
    is_draft = version.status == Status.DRAFT
    # A draft has no frozen hash: its footer carries the hash of what it says now.
    sha256 = services.content_sha256(version) if is_draft else version.content_sha256
    rows = {name: list(services.section_rows(version, name)) for name in services.SECTIONS}
    attendees = _attendees(rows["engagement"])
    title = _("Partnership Agreement between %(office)s and %(customer)s") % {
        "office": tenant.name,
        "customer": customer.name,
    }
    footer = _("%(title)s · Version %(number)s · %(status)s · Content SHA-256 %(sha256)s") % {
        "title": title,
        "number": version.number,
        "status": version.get_status_display(),
        "sha256": sha256,
    }
    if is_draft:
        footer = _("DRAFT · %(footer)s (of its current content)") % {"footer": footer}
    return {
        "title": title,
        "footer": footer,
        "office": tenant,
        "zone_name": tenant.time_zone,
        "agreement": agreement,
        "customer": customer,
        "version": version,
        "is_draft": is_draft,
        "content_sha256": sha256,
        "partner_plan": rows["partner_plan"],
        "engagement": [(row, frequency_text(row), attendees[row.pk]) for row in rows["engagement"]],
        "objectives": rows["objectives"],
        "action_plan": rows["action_plan"],
        "signers": _signers(version),
        # The appendix: the version's lines, and the latest finished periods of their series
        # (measured against the versions in force then).
        "sla_lines": rows["sla"],
        "sla_results": selectors.sla_measurement_table(
            agreement, version=version, today=timezone.localdate(timezone.now(), tenant.zone)
        ),
        # The certificate: a version that came into force (and stays so when superseded).
        "certificate": version.in_force_at is not None
        and version.status in (Status.IN_FORCE, Status.SUPERSEDED),
    }


def version_pdf_render(version: AgreementVersion) -> bytes:
    """The version drawn as a PDF now (not sealed)."""
    return render_pdf(TEMPLATE, version_pdf_context(version))


def seal_metadata(version: AgreementVersion) -> dict:
    """What the seal says the document is: office, agreement, version and content hash."""
    return {
        "kind": SEAL_KIND,
        "office": version.tenant.slug,
        "office_id": version.tenant_id,
        "agreement": version.agreement_id,
        "version": version.number,
        "version_id": version.pk,
        "content_sha256": version.content_sha256,
    }


class SealedCopyMissing(Exception):
    """The version's sealed PDF is recorded but its file is not in the storage (lost, or not
    restored with the database). An unsealed rendering in its place would pass for the signed
    record, so the download says so instead."""

    def __init__(self, version: AgreementVersion):
        super().__init__(
            f"The sealed PDF {version.sealed_pdf.name} of version {version.pk} is missing."
        )
        self.version = version


def version_pdf_bytes(version: AgreementVersion) -> bytes:
    """What a download of the version serves: the stored sealed PDF as stored, else a rendering
    made on demand (drafts, versions in signature or withdrawn, a version not yet sealed).
    Raises SealedCopyMissing when the stored file cannot be read."""
    if version.sealed_pdf:
        try:
            with version.sealed_pdf.storage.open(version.sealed_pdf.name, "rb") as stored:
                return stored.read()
        except OSError as error:
            logger.error(
                "Sealed PDF %s of agreement version %s cannot be read: %s",
                version.sealed_pdf.name,
                version.pk,
                error,
            )
            raise SealedCopyMissing(version) from error
    return version_pdf_render(version)


# Verification of an uploaded copy -----------------------------------------------------------------


@dataclass(frozen=True)
class AgreementCheck:
    """What an uploaded PDF is to this office: an unaltered sealed agreement of its own (`ok`,
    with the version it is), or why not (`reason`)."""

    ok: bool
    reason: str
    version: AgreementVersion | None = None
    sealed_at: object = None  # when the seal was made (datetime, UTC), for a sealed file
    stored_copy: bool = False  # byte for byte the copy the office stored


NOT_OURS = _("It is a sealed agreement, but not one of this office.")


def agreement_pdf_verify(data: bytes) -> AgreementCheck:
    """Check an uploaded PDF: sealed with this installation's seal, unaltered since, an agreement
    of the current office, and the version its seal names (same agreement, same content hash).

    Another office's agreement carries the same installation seal (one key signs for every
    office), so the office is read from the signed metadata, and the version must exist here.
    """
    seal = verify_pdf(data)
    metadata = seal.metadata or {}
    if not seal.ok:
        return AgreementCheck(False, seal.reason, sealed_at=seal.signed_at)
    if metadata.get("kind") != SEAL_KIND:
        return AgreementCheck(
            False,
            _("It carries this installation's seal, but it is not a Partnership Agreement."),
            sealed_at=seal.signed_at,
        )
    version_id = metadata.get("version_id")
    version = (
        AgreementVersion.objects.filter(pk=version_id).select_related("agreement__customer").first()
        if metadata.get("office_id") == current_tenant_id() and isinstance(version_id, int)
        else None
    )
    if version is None:
        return AgreementCheck(False, NOT_OURS, sealed_at=seal.signed_at)
    if (
        version.agreement_id != metadata.get("agreement")
        or version.number != metadata.get("version")
        or version.content_sha256 != metadata.get("content_sha256")
    ):
        return AgreementCheck(
            False,
            _(
                "Its seal names version %(number)s of agreement %(agreement)s, whose content here "
                "differs: it is not that version."
            )
            % {"number": metadata.get("version"), "agreement": metadata.get("agreement")},
            sealed_at=seal.signed_at,
        )
    stored = bool(version.sealed_pdf_sha256) and (
        hashlib.sha256(data).hexdigest() == version.sealed_pdf_sha256
    )
    return AgreementCheck(
        True,
        _("An unaltered agreement of this office, sealed when version %(number)s came into force.")
        % {"number": version.number},
        version=version,
        sealed_at=seal.signed_at,
        stored_copy=stored,
    )
