"""Writes for Partnership Agreements: drafting, the sections, the signing round, coming into force.

The staff pages, the portal and the API all call these, so each rule is written once. Every
function runs in the current tenant and records who changed what (brm.audit). A version that
left draft is frozen: these services refuse to change it, and a PostgreSQL trigger (migration
0002) refuses whatever gets past them.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brm.audit.services import audit_record, audited_create, audited_update
from brm.outbox.services import due_job_schedule, outbox_enqueue
from brm.pdf.seal import seal_pdf, verify_pdf
from brm.tenancy.models import STAFF_ROLES, Membership, Role
from customers import services as customer_services
from customers.mandate import holds_budget_mandate
from customers.models import ActionItem, Contact, Customer, Service

# agreements.pdf imports this module back (the canonical content it prints); it uses it only
# inside its functions, so either module may be imported first.
from . import pdf as agreement_pdf
from . import periods
from .models import (
    DEFAULT_REVIEW_MONTHS,
    ActionPlanRow,
    Agreement,
    AgreementSettings,
    AgreementVersion,
    EngagementRow,
    ObjectiveRow,
    PartnerPlanRow,
    SectionRow,
    Signature,
    SlaLine,
    SlaMeasurement,
    sealed_pdf_path,
)
from .reminders import (
    schedule_review_reminders,
    schedule_signature_reminders,
    signature_requested_notify,
)

Status = AgreementVersion.Status
SignerRole = Signature.SignerRole

# The structured sections made of rows, by the name the canonical content gives them.
SECTIONS: dict[str, type[SectionRow]] = {
    "partner_plan": PartnerPlanRow,
    "engagement": EngagementRow,
    "objectives": ObjectiveRow,
    "action_plan": ActionPlanRow,
    "sla": SlaLine,
}

SECTION_FIELDS = {
    "partner_plan": ("contact", "member", "name", "title", "email", "phone", "role"),
    "engagement": (
        "meeting_type",
        "name",
        "purpose",
        "attendee_roles",
        "attendee_contact_ids",
        "attendee_member_ids",
        "frequency",
        "interval",
        "month_day",
        "weekday",
        "week_of_month",
        "duration_minutes",
    ),
    "objectives": (
        "objective",
        "initiative",
        "owner_text",
        "owner_member",
        "target_date",
        "status",
    ),
    # The action item's own fields; the row copies them (see action_plan_* below).
    "action_plan": ("title", "owner_member", "owner_contact", "due_date"),
    # The key is derived from service and metric (sla_line_key) unless given.
    "sla": (
        "kind",
        "service",
        "metric",
        "target_value",
        "unit",
        "direction",
        "period",
        "workload_limit",
        "exceptions",
        "owner",
        "key",
    ),
}

AFFIRMATION = _(
    "I have read version %(number)s of the Partnership Agreement between %(office)s and "
    "%(customer)s, whose content has the SHA-256 %(sha256)s, and I accept it on behalf of "
    "those I sign for."
)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Office settings ---------------------------------------------------------------------------------


def review_period_months() -> int:
    """The office's review period (months); the default when the office has set none."""
    settings_row = AgreementSettings.objects.first()
    return settings_row.review_period_months if settings_row else DEFAULT_REVIEW_MONTHS


@transaction.atomic
def agreement_settings_update(*, actor, review_period_months: int) -> AgreementSettings:
    row = AgreementSettings.objects.select_for_update().first()
    if row is None:
        return audited_create(
            AgreementSettings,
            actor=actor,
            action="agreement_settings.created",
            data={"review_period_months": review_period_months},
        )
    audited_update(
        row,
        actor=actor,
        action="agreement_settings.updated",
        data={"review_period_months": review_period_months},
    )
    return row


# Canonical content -------------------------------------------------------------------------------


def section_rows(version: AgreementVersion, section: str):
    return SECTIONS[section].objects.filter(version=version).order_by("position", "pk")


def canonical_content(version: AgreementVersion) -> str:
    """The version's content as stable JSON: every section, rows in position order with their
    values, keys sorted, no whitespace. Its SHA-256 is what is frozen and signed.

    Records are named by id and the rows carry their own copies of names and details, so a later
    change to a contact or a customer's name never changes a frozen version's hash.
    """
    content = {
        "format": 2,
        "agreement": version.agreement_id,
        "customer": version.agreement.customer_id,
        "version": version.number,
        "relationship_philosophy": version.relationship_philosophy,
        **{name: [row.content() for row in section_rows(version, name)] for name in SECTIONS},
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(version: AgreementVersion) -> str:
    return _sha256(canonical_content(version))


# Drafts ------------------------------------------------------------------------------------------


def _check_draft(version: AgreementVersion) -> None:
    if version.status != Status.DRAFT:
        raise ValidationError(
            _("Version %(number)s is %(status)s: only a draft can be changed.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )


def _locked(version: AgreementVersion) -> AgreementVersion:
    return (
        AgreementVersion.objects.select_for_update(of=("self",))
        .select_related("agreement__customer")
        .get(pk=version.pk)
    )


@transaction.atomic
def agreement_draft_create(
    *, customer: Customer, actor, relationship_philosophy: str = ""
) -> AgreementVersion:
    """The customer's agreement and its first version, a draft."""
    if Agreement.objects.filter(customer=customer).exists():
        raise ValidationError(
            _("%(customer)s has an agreement already: revise it for a new version.")
            % {"customer": customer}
        )
    agreement = audited_create(
        Agreement,
        actor=actor,
        action="agreement.created",
        data={"customer": customer, "created_by": _actor(actor)},
    )
    return audited_create(
        AgreementVersion,
        actor=actor,
        action="agreement_version.created",
        data={
            "agreement": agreement,
            "number": 1,
            "relationship_philosophy": relationship_philosophy,
        },
    )


@transaction.atomic
def version_update(*, version: AgreementVersion, actor, **data) -> AgreementVersion:
    """Edit the draft's own text (the relationship philosophy)."""
    version = _locked(version)
    _check_draft(version)
    audited_update(
        version,
        actor=actor,
        action="agreement_version.updated",
        data=data,
        fields=("relationship_philosophy",),
    )
    return version


def _sla_line_keyed(data: dict, row: SlaLine | None = None) -> dict:
    """The line's key: as given, else derived from its service and metric (again when either
    changes in a draft; a line copied into a revision keeps its key)."""
    data = dict(data)
    if data.get("key"):
        data["key"] = slugify(data["key"])[:100]
        return data
    data.pop("key", None)
    service = data.get("service", getattr(row, "service", None))
    metric = data.get("metric", getattr(row, "metric", ""))
    changed = row is None or service != row.service or metric != row.metric
    if changed and isinstance(service, Service) and isinstance(metric, str):
        data["key"] = sla_line_key(service, metric)
    return data


def sla_line_key(service: Service, metric: str) -> str:
    """The stable key of an SLA line: a slug of its service's name and its metric."""
    return slugify(f"{service.name} {metric}")[:100].strip("-")


def _sla_line_errors(version: AgreementVersion, row: SlaLine) -> dict:
    errors = {}
    if row.service_id and row.service.tenant_id != version.tenant_id:
        errors["service"] = _("Choose a service of the office's catalogue.")
    elif row.key and (
        SlaLine.objects.filter(version_id=version.pk, key=row.key).exclude(pk=row.pk).exists()
    ):
        errors["metric"] = _(
            "This version has a line for this service and metric already (key %(key)s)."
        ) % {"key": row.key}
    return errors


def _check_row(version: AgreementVersion, row: SectionRow) -> None:
    """Cross-record rules of a row: its people belong to this customer and office."""
    customer_id = version.agreement.customer_id
    errors = {}
    contact = getattr(row, "contact", None)
    if contact is not None and contact.customer_id != customer_id:
        errors["contact"] = _("This contact belongs to another customer.")
    for name in ("member", "owner_member", "owner"):
        member = getattr(row, name, None)
        if member is not None and (
            member.role not in STAFF_ROLES or member.tenant_id != version.tenant_id
        ):
            errors[name] = _("Choose a staff member of the office.")
    if isinstance(row, SlaLine):
        errors.update(_sla_line_errors(version, row))
    if isinstance(row, EngagementRow):
        contact_ids = set(row.attendee_contact_ids or [])
        if contact_ids - set(
            Contact.objects.filter(customer_id=customer_id, pk__in=contact_ids).values_list(
                "pk", flat=True
            )
        ):
            errors["attendee_contact_ids"] = _("Attendees must be contacts of this customer.")
        member_ids = set(row.attendee_member_ids or [])
        if member_ids - set(
            Membership.objects.filter(
                pk__in=member_ids, role__in=STAFF_ROLES, is_active=True
            ).values_list("pk", flat=True)
        ):
            errors["attendee_member_ids"] = _("Attending staff must be staff of the office.")
    if errors:
        raise ValidationError(errors)


def _partner_snapshot(data: dict) -> dict:
    """A partner plan row copies the person's details as of this version where not given."""
    data = dict(data)
    person = data.get("contact") or data.get("member")
    if isinstance(person, Contact):
        for name in ("name", "title", "email", "phone"):
            if not data.get(name):
                data[name] = getattr(person, name)
    elif isinstance(person, Membership):
        data.setdefault("name", person.user.get_full_name())
        data.setdefault("email", person.user.email)
    return data


def _next_position(version: AgreementVersion, section: str) -> int:
    top = section_rows(version, section).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_row_add(*, version: AgreementVersion, section: str, actor, **data) -> SectionRow:
    """Add a row at the end of a draft's section."""
    version = _locked(version)
    _check_draft(version)
    if section == "action_plan":
        return _action_plan_add(version, actor, data)
    if section == "partner_plan":
        data = _partner_snapshot(data)
    if section == "sla":
        data = _sla_line_keyed(data)
    fields = SECTION_FIELDS[section]
    values = {k: v for k, v in data.items() if k in fields}
    values.update(version=version, position=_next_position(version, section))
    return audited_create(
        SECTIONS[section],
        actor=actor,
        action=f"agreement_{section}_row.created",
        data=values,
        check=lambda row: _check_row(version, row),
    )


def _section_of(row: SectionRow) -> str:
    return next(name for name, model in SECTIONS.items() if isinstance(row, model))


@transaction.atomic
def section_row_update(*, row: SectionRow, actor, **data) -> SectionRow:
    version = _locked(row.version)
    _check_draft(version)
    section = _section_of(row)
    if section == "action_plan":
        return _action_plan_update(row, version, actor, data)
    if section == "sla":
        data = _sla_line_keyed(data, row)
    audited_update(
        row,
        actor=actor,
        action=f"agreement_{section}_row.updated",
        data=data,
        fields=SECTION_FIELDS[section],
        check=lambda instance, changes: _check_row(version, instance),
    )
    return row


@transaction.atomic
def section_row_delete(*, row: SectionRow, actor) -> None:
    version = _locked(row.version)
    _check_draft(version)
    section = _section_of(row)
    audit_record(actor=actor, action=f"agreement_{section}_row.deleted", obj=row)
    item_id = getattr(row, "action_item_id", None)
    row.delete()
    if item_id and not ActionPlanRow.objects.filter(action_item_id=item_id).exists():
        # The item was made for this draft's action plan and is in no other version.
        item = ActionItem.objects.get(pk=item_id)
        customer_services.action_item_delete(item=item, actor=actor)


@transaction.atomic
def section_rows_reorder(
    *, version: AgreementVersion, section: str, order: list[int], actor
) -> None:
    """Put a draft's section rows in the order of `order` (every row's id, once)."""
    version = _locked(version)
    _check_draft(version)
    rows = {row.pk: row for row in section_rows(version, section)}
    if sorted(order) != sorted(rows):
        raise ValidationError(_("List every row of the section once."))
    before = [row.pk for row in rows.values()]
    for position, pk in enumerate(order):
        row = rows[pk]
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    if before != list(order):
        audit_record(
            actor=actor,
            action=f"agreement_{section}_rows.reordered",
            obj=version,
            changes={section: [before, list(order)]},
        )


def _row_errors(exc: ValidationError, prefix: str) -> dict[str, list[str]]:
    """A row's ValidationError with each field named by the row: "partner_plan.2.role"."""
    if not hasattr(exc, "error_dict"):
        return {prefix: exc.messages}
    return {
        prefix if field == "__all__" else f"{prefix}.{field}": messages
        for field, messages in exc.message_dict.items()
    }


def _section_replace(version: AgreementVersion, section: str, rows: list[dict], actor) -> None:
    existing = {row.pk: row for row in section_rows(version, section)}
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for index, data in enumerate(rows):
        pk = data.get("id")
        if pk is None:
            continue
        if pk not in existing:
            errors[f"{section}.{index}.id"] = [_("No row of this section has this id.")]
        elif pk in seen:
            errors[f"{section}.{index}.id"] = [_("This row is listed twice.")]
        seen.add(pk)
    if errors:
        raise ValidationError(errors)
    for pk, row in existing.items():
        if pk not in seen:
            section_row_delete(row=row, actor=actor)
    order = []
    for index, data in enumerate(rows):
        values = {k: v for k, v in data.items() if k != "id"}
        try:
            if data.get("id") is None:
                row = section_row_add(version=version, section=section, actor=actor, **values)
            else:
                row = section_row_update(row=existing[data["id"]], actor=actor, **values)
        except ValidationError as exc:
            raise ValidationError(_row_errors(exc, f"{section}.{index}")) from None
        order.append(row.pk)
    section_rows_reorder(version=version, section=section, order=order, actor=actor)


@transaction.atomic
def version_draft_update(
    *, version: AgreementVersion, actor, relationship_philosophy: str | None = None, **sections
) -> AgreementVersion:
    """Change a draft as one document (the API's PATCH): its philosophy when given, and each
    section given (`partner_plan=[{...}, ...]`) as the whole list of its rows. A row naming the
    `id` of one of the section's rows changes that row, a row without an id is added, a row left
    out is deleted, and the section takes the list's order. All or nothing; an error names its
    row and field ("engagement.1.weekday")."""
    version = _locked(version)
    _check_draft(version)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValidationError(_("Unknown sections: %(names)s") % {"names": sorted(unknown)})
    if relationship_philosophy is not None:
        version_update(
            version=version, actor=actor, relationship_philosophy=relationship_philosophy
        )
    for section in SECTIONS:  # in a fixed order, whatever order the caller gave them
        if sections.get(section) is not None:
            _section_replace(version, section, list(sections[section]), actor)
    version.refresh_from_db()
    return version


# The action plan: the customer's action items, source "agreement" ---------------------------------


def _action_owner_name(item: ActionItem) -> str:
    owner = item.owner
    if isinstance(owner, Membership):
        return owner.user.get_full_name()
    return owner.name if owner is not None else ""


def _action_row_values(item: ActionItem) -> dict:
    return {"title": item.title, "owner_name": _action_owner_name(item), "due_date": item.due_date}


def _action_plan_add(version: AgreementVersion, actor, data: dict) -> ActionPlanRow:
    item = data.get("action_item")
    if item is None:
        item = customer_services.action_item_create(
            actor=actor,
            customer=version.agreement.customer,
            source=ActionItem.Source.AGREEMENT,
            source_ref=f"agreement-version:{version.pk}",
            **{k: v for k, v in data.items() if k in SECTION_FIELDS["action_plan"]},
        )
    elif item.customer_id != version.agreement.customer_id:
        raise ValidationError({"action_item": _("This action item belongs to another customer.")})
    elif item.source != ActionItem.Source.AGREEMENT:
        customer_services.action_item_update(
            item=item, actor=actor, source=ActionItem.Source.AGREEMENT
        )
    if ActionPlanRow.objects.filter(version=version, action_item=item).exists():
        raise ValidationError({"action_item": _("This action item is in the plan already.")})
    return audited_create(
        ActionPlanRow,
        actor=actor,
        action="agreement_action_plan_row.created",
        data={
            "version": version,
            "action_item": item,
            "position": _next_position(version, "action_plan"),
            **_action_row_values(item),
        },
    )


def _action_plan_update(row: ActionPlanRow, version, actor, data: dict) -> ActionPlanRow:
    values = {k: v for k, v in data.items() if k in SECTION_FIELDS["action_plan"]}
    if row.action_item is not None:
        item = customer_services.action_item_update(item=row.action_item, actor=actor, **values)
        values = _action_row_values(item)
    audited_update(
        row,
        actor=actor,
        action="agreement_action_plan_row.updated",
        data=values,
        fields=("title", "owner_name", "due_date"),
    )
    return row


# Submitting: naming the signers and freezing -----------------------------------------------------


def _customer_contact_of(membership: Membership) -> Contact | None:
    return Contact.objects.filter(membership=membership).select_related("customer").first()


def mandate_check(
    *, role: str, membership: Membership | None, customer: Customer
) -> tuple[bool, str]:
    """Whether `membership` may sign for `customer` as `role` now, and why (the source).

    Returns (False, reason) or (True, where the mandate comes from). The same check names the
    signers at submission and is made again when each one signs.
    """
    if membership is None or not membership.is_active or membership.tenant_id != customer.tenant_id:
        return False, _("Name an active member of the office.")
    if role == SignerRole.RELATIONSHIP_MANAGER:
        if membership.pk != customer.relationship_manager_id:
            return False, _("The relationship manager who signs is the customer's current one.")
        return True, _("Relationship manager of %(customer)s") % {"customer": customer.name}
    if role == SignerRole.IT_MANAGER:
        if membership.role != Role.IT_MANAGER:
            return False, _("The IT manager who signs must have the IT manager role.")
        return True, _("IT manager of the office")
    if membership.role == Role.PURCHASER:
        return False, _("A purchaser has no budget mandate and cannot sign the agreement.")
    contact = _customer_contact_of(membership)
    if contact is None or contact.customer_id != customer.pk:
        message = _("The customer's signers are contacts of %(customer)s with a portal login.")
        return False, message % {"customer": customer.name}
    if membership.role != Role.CUSTOMER:
        return False, _("%(name)s has no portal login with the customer role.") % {
            "name": contact.name
        }
    if not holds_budget_mandate(contact):
        return False, _("%(name)s does not hold the budget mandate (authority: decides).") % {
            "name": contact.name
        }
    if role == SignerRole.BUSINESS_MANAGER:
        if contact.pk != customer.business_manager_id:
            return False, _("%(name)s is not the business manager of %(customer)s.") % {
                "name": contact.name,
                "customer": customer.name,
            }
        source = _("Business manager of %(customer)s, authority: decides")
    else:
        source = _("Contact of %(customer)s, authority: decides")
    return True, source % {"customer": customer.name}


def _check_signers(signers: dict, customer: Customer) -> dict[str, str]:
    missing = [role for role in SignerRole.values if signers.get(role) is None]
    errors = {
        role: _("Name the %(role)s.") % {"role": SignerRole(role).label.lower()} for role in missing
    }
    unknown = set(signers) - set(SignerRole.values)
    if unknown:
        raise ValidationError(_("Unknown signer roles: %(roles)s") % {"roles": sorted(unknown)})
    sources = {}
    for role, membership in signers.items():
        if role in errors:
            continue
        ok, why = mandate_check(role=role, membership=membership, customer=customer)
        if ok:
            sources[role] = why
        else:
            errors[role] = why
    people = [m.user_id for m in signers.values() if m is not None]
    if not errors and len(set(people)) != len(SignerRole.values):
        raise ValidationError(_("The four signers must be four different people."))
    if errors:
        raise ValidationError(errors)
    return sources


@transaction.atomic
def version_submit(*, version: AgreementVersion, actor, signers: dict) -> AgreementVersion:
    """Submit a draft for signature: name the four signers, freeze the content and its hash."""
    version = _locked(version)
    _check_draft(version)
    customer = Customer.objects.select_related("relationship_manager").get(
        pk=version.agreement.customer_id
    )
    _check_signers(signers, customer)
    sha256 = content_sha256(version)
    tenant = version.agreement.tenant
    audited_update(
        version,
        actor=actor,
        action="agreement_version.submitted",
        data={
            "status": Status.IN_SIGNATURE,
            "content_sha256": sha256,
            "affirmation_text": AFFIRMATION
            % {
                "number": version.number,
                "office": tenant.name,
                "customer": customer.name,
                "sha256": sha256,
            },
            "submitted_at": timezone.now(),
            "submitted_by": _actor(actor),
        },
    )
    for role in SignerRole.values:
        membership = signers[role]
        audited_create(
            Signature,
            actor=actor,
            action="signature.requested",
            data={
                "version": version,
                "role": role,
                "membership": membership,
                "user": membership.user,
            },
        )
    signature_requested_notify(version)
    schedule_signature_reminders(version)
    return version


# Withdrawing and revising ------------------------------------------------------------------------


def _copy_as_draft(version: AgreementVersion, actor) -> AgreementVersion:
    number = (
        AgreementVersion.objects.filter(agreement_id=version.agreement_id).aggregate(
            top=Max("number")
        )["top"]
        + 1
    )
    draft = audited_create(
        AgreementVersion,
        actor=actor,
        action="agreement_version.created",
        data={
            "agreement": version.agreement,
            "number": number,
            "relationship_philosophy": version.relationship_philosophy,
        },
    )
    for name, model in SECTIONS.items():
        copies = []
        for row in section_rows(version, name):
            row.pk = row.id = None
            row._state.adding = True
            row.version = draft
            copies.append(row)
        model.objects.bulk_create(copies)
    audit_record(
        actor=actor,
        action="agreement_version.copied",
        obj=draft,
        changes={"copied_from": [None, version.number]},
    )
    return draft


def _void_round(version: AgreementVersion, actor) -> None:
    """The round stops: pending and signed signatures are voided and kept (a declined one stays
    declined). Runs while the version is still in signature (the trigger allows it then only)."""
    now = timezone.now()
    for signature in Signature.objects.filter(
        version=version, status__in=[Signature.Status.PENDING, Signature.Status.SIGNED]
    ):
        previous = signature.status
        signature.status = Signature.Status.VOIDED
        signature.voided_at = now
        signature.save(update_fields=["status", "voided_at"])
        audit_record(
            actor=actor,
            action="signature.voided",
            obj=signature,
            changes={"status": [previous, Signature.Status.VOIDED]},
        )


def _withdraw(version: AgreementVersion, actor, reason: str) -> AgreementVersion:
    if version.status != Status.IN_SIGNATURE:
        raise ValidationError(_("Only a version in signature can be withdrawn."))
    _void_round(version, actor)
    audited_update(
        version,
        actor=actor,
        action="agreement_version.withdrawn",
        data={
            "status": Status.WITHDRAWN,
            "withdrawn_at": timezone.now(),
            "withdrawn_reason": reason,
        },
    )
    return _copy_as_draft(version, actor)


@transaction.atomic
def version_withdraw(*, version: AgreementVersion, actor, reason: str = "") -> AgreementVersion:
    """Take a version out of signature to change it: the signatures so far are voided and kept;
    returns the new draft, a copy of it."""
    return _withdraw(_locked(version), actor, reason)


@transaction.atomic
def version_revise(*, version: AgreementVersion, actor) -> AgreementVersion:
    """A new draft copied from the version in force (which stays in force until the new one is)."""
    version = _locked(version)
    if version.status != Status.IN_FORCE:
        raise ValidationError(_("Only the version in force is revised; change a draft directly."))
    if AgreementVersion.objects.filter(
        agreement_id=version.agreement_id, status__in=AgreementVersion.OPEN_STATUSES
    ).exists():
        raise ValidationError(_("This agreement has a version in progress already."))
    return _copy_as_draft(version, actor)


# Signing -----------------------------------------------------------------------------------------


def _signature_for(signature: Signature, user) -> Signature:
    signature = (
        Signature.objects.select_for_update(of=("self",))
        .select_related("membership", "version__agreement__customer")
        .get(pk=signature.pk)
    )
    # Lock the version too: the last two signatures landing at once see each other.
    _locked(signature.version)
    if signature.version.status != Status.IN_SIGNATURE:
        raise ValidationError(_("This version is not in signature."))
    if signature.status != Signature.Status.PENDING:
        raise ValidationError(
            _("This signature is %(status)s already.")
            % {"status": signature.get_status_display().lower()}
        )
    if user is None or signature.user_id != user.pk or signature.membership.user_id != user.pk:
        raise ValidationError(_("Only the person named for this signature can sign or decline it."))
    return signature


@transaction.atomic
def signature_sign(
    *,
    signature: Signature,
    user,
    ip_address: str | None,
    user_agent: str,
    auth_method: str,
    affirmation_checked: bool,
) -> Signature:
    """The named signer signs the exact frozen version, having affirmed and re-authenticated."""
    signature = _signature_for(signature, user)
    version = signature.version
    customer = version.agreement.customer
    ok, source = mandate_check(
        role=signature.role, membership=signature.membership, customer=customer
    )
    if not ok:
        raise ValidationError(source)
    if not affirmation_checked:
        raise ValidationError({"affirmation": _("Tick the affirmation to sign.")})
    if auth_method not in Signature.AuthMethod.values:
        raise ValidationError(
            {"auth_method": _("Confirm who you are with your password or second factor.")}
        )
    sha256 = content_sha256(version)
    if sha256 != version.content_sha256:
        raise ValidationError(
            _("The version's content no longer matches what was submitted; it cannot be signed.")
        )
    audited_update(
        signature,
        actor=user,
        action="signature.signed",
        data={
            "status": Signature.Status.SIGNED,
            "signed_at": timezone.now(),
            "signer_name": user.get_full_name(),
            "signer_email": user.email,
            "mandate_checked": True,
            "mandate_source": source,
            "ip_address": ip_address or None,
            "user_agent": (user_agent or "")[:500],
            "auth_method": auth_method,
            "content_sha256": sha256,
            "affirmation_text": version.affirmation_text,
            "affirmation_sha256": _sha256(version.affirmation_text),
        },
    )
    if (
        not Signature.objects.filter(version=version)
        .exclude(status=Signature.Status.SIGNED)
        .exists()
    ):
        version_came_into_force(version=version, actor=user)
    return signature


@transaction.atomic
def signature_decline(*, signature: Signature, user, reason: str) -> AgreementVersion:
    """The named signer declines with a reason: the round stops (the version is withdrawn, the
    other signatures voided, a draft copy made to work on) and the RM is told. Returns the draft.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline.")})
    signature = _signature_for(signature, user)
    audited_update(
        signature,
        actor=user,
        action="signature.declined",
        data={
            "status": Signature.Status.DECLINED,
            "declined_at": timezone.now(),
            "signer_name": user.get_full_name(),
            "signer_email": user.email,
            "decline_reason": reason,
        },
    )
    version = signature.version
    draft = _withdraw(
        version,
        user,
        _("Declined by %(name)s (%(role)s): %(reason)s")
        % {"name": signature.signer_name, "role": signature.get_role_display(), "reason": reason},
    )
    rm = version.agreement.customer.relationship_manager
    outbox_enqueue(
        key=f"agreement-declined:{signature.pk}",
        to=rm.user.email,
        subject=_("%(name)s declined version %(number)s of the agreement with %(customer)s")
        % {
            "name": signature.signer_name,
            "number": version.number,
            "customer": version.agreement.customer.name,
        },
        text=_(
            "%(name)s declined to sign version %(number)s as %(role)s.\n\nReason: %(reason)s\n\n"
            "The signing round has stopped; version %(draft)s is a draft copy to work on."
        )
        % {
            "name": signature.signer_name,
            "number": version.number,
            "role": signature.get_role_display(),
            "reason": reason,
            "draft": draft.number,
        },
    )
    return draft


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1: 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def review_due_from(day: date) -> date:
    return add_months(day, review_period_months())


# The job that seals the version in force and sends it to the signers (agreements/tasks.py).
SEAL_JOB = "agreements.seal_in_force"


def version_came_into_force(*, version: AgreementVersion, actor) -> AgreementVersion:
    """The fourth signature landed: the version is in force, the one before superseded, the
    review due after the office's period, and a job seals the PDF and sends it to every signer.

    Sealing is a due job rather than part of the signature: rendering and sealing take a second
    or two, and a missing seal key or a storage hiccup then retries the job instead of failing
    the fourth signer's signature.
    """
    now = timezone.now()
    for previous in AgreementVersion.objects.select_for_update().filter(
        agreement_id=version.agreement_id, status=Status.IN_FORCE
    ):
        audited_update(
            previous,
            actor=actor,
            action="agreement_version.superseded",
            data={"status": Status.SUPERSEDED, "superseded_at": now},
        )
    audited_update(
        version,
        actor=actor,
        action="agreement_version.in_force",
        data={"status": Status.IN_FORCE, "in_force_at": now},
    )
    agreement = version.agreement
    audited_update(
        agreement,
        actor=actor,
        action="agreement.review_scheduled",
        data={"review_due": review_due_from(timezone.localdate(now))},
    )
    due_job_schedule(handler=SEAL_JOB, key=f"agreement-seal:{version.pk}", due_at=now, obj=version)
    schedule_review_reminders(agreement)
    sla_reminders_schedule(version=version)
    return version


def _leftover_seal(storage, name: str, version: AgreementVersion) -> bytes | None:
    """The sealed PDF an earlier attempt stored before its transaction rolled back, when it is
    this version's and intact; a file that is not is removed (it is about to be replaced)."""
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as stored:
        data = stored.read()
    check = verify_pdf(data)
    if check.ok and check.metadata == agreement_pdf.seal_metadata(version):
        return data
    storage.delete(name)
    return None


@transaction.atomic
def version_seal(*, version: AgreementVersion) -> AgreementVersion:
    """Make the version's sealed PDF once, store it on the version, and email it to every
    signer (the seal job; also safe to call again).

    Run twice, or retried after a failure, it makes no second PDF: the version row is locked,
    a version that has its PDF keeps it, and a file an attempt stored before its transaction
    rolled back is taken up again (its name is fixed per version). The emails have one key per
    signature, so the outbox queues each once.
    """
    version = _locked(version)
    if version.status not in (Status.IN_FORCE, Status.SUPERSEDED) or version.in_force_at is None:
        raise ValidationError(_("Only a version that came into force is sealed."))
    if not version.sealed_pdf:
        storage = version.sealed_pdf.storage
        name = sealed_pdf_path(version, "")
        data = _leftover_seal(storage, name, version)
        if data is None:
            data = seal_pdf(
                agreement_pdf.version_pdf_render(version),
                reason=agreement_pdf.SEAL_REASON,
                metadata=agreement_pdf.seal_metadata(version),
            )
            name = storage.save(name, ContentFile(data))
        digest = hashlib.sha256(data).hexdigest()
        version.sealed_pdf.name = name
        version.sealed_pdf_sha256 = digest
        version.save(update_fields=["sealed_pdf", "sealed_pdf_sha256", "updated_at"])
        audit_record(
            actor=None,
            action="agreement_version.sealed",
            obj=version,
            changes={"sealed_pdf": ["", name], "sealed_pdf_sha256": ["", digest]},
        )
    _in_force_notify(version, agreement_pdf.version_pdf_bytes(version))
    return version


def _in_force_notify(version: AgreementVersion, sealed: bytes) -> None:
    agreement = version.agreement
    customer = agreement.customer
    day = timezone.localdate(version.in_force_at)
    attachment = {
        "filename": agreement_pdf.pdf_filename(version),
        "content": sealed,
        "content_type": "application/pdf",
    }
    for signature in Signature.objects.filter(version=version, status=Signature.Status.SIGNED):
        outbox_enqueue(
            key=f"agreement-in-force:{signature.pk}",
            to=signature.signer_email,
            subject=_("Version %(number)s of the agreement with %(customer)s is in force")
            % {"number": version.number, "customer": customer.name},
            text=_(
                "All four signatures are in: version %(number)s of the Partnership Agreement "
                "with %(customer)s is in force from %(day)s. Content SHA-256: %(sha256)s.\n"
                "Its review is due on %(review)s.\n\n"
                "The sealed PDF is attached; any PDF reader shows its seal as valid and the "
                "document as unaltered."
            )
            % {
                "number": version.number,
                "customer": customer.name,
                "day": day.isoformat(),
                "sha256": version.content_sha256,
                "review": agreement.review_due.isoformat() if agreement.review_due else "-",
            },
            attachments=[attachment],
        )


# The SLA appendix: measurements -------------------------------------------------------------------

MEASURABLE = (Status.IN_FORCE, Status.SUPERSEDED)
SLA_REMINDER = "agreements.sla_measurement_missing"
# A missing measurement is asked for at this hour of the office's day after the period ended.
SLA_REMINDER_HOUR = 9


def _office_today(agreement: Agreement) -> date:
    return timezone.localdate(timezone.now(), agreement.tenant.zone)


def version_in_force_on(agreement: Agreement, day: date) -> AgreementVersion | None:
    """The version that was in force at the end of the office's `day`: the last one to come
    into force by then (every earlier one has been superseded since)."""
    end_of_day = datetime.combine(day + timedelta(days=1), time.min, tzinfo=agreement.tenant.zone)
    return (
        AgreementVersion.objects.filter(
            agreement_id=agreement.pk, status__in=MEASURABLE, in_force_at__lt=end_of_day
        )
        .order_by("-in_force_at", "-number")
        .first()
    )


def sla_line_for_period(
    agreement: Agreement, key: str, period: tuple[date, date], today: date | None = None
) -> SlaLine | None:
    """The line with `key` of the version in force for `period` (at its end, or today for the
    period under way), or None."""
    today = today or _office_today(agreement)
    version = version_in_force_on(agreement, min(period[1], today))
    if version is None:
        return None
    return SlaLine.objects.filter(version=version, key=key).select_related("version").first()


def _measured_line(line: SlaLine, period_start, period_end) -> tuple[SlaLine, date]:
    """The line a measurement of (`line`'s key, the period) is measured against, and the end
    of the period; a ValidationError for a period or line that cannot be measured."""
    if line.version.status not in MEASURABLE:
        raise ValidationError(
            {
                "line": _(
                    "Only lines of a version in force (or superseded, for past periods) can be "
                    "measured; version %(number)s is %(status)s."
                )
                % {
                    "number": line.version.number,
                    "status": line.version.get_status_display().lower(),
                }
            }
        )
    if not isinstance(period_start, date):
        raise ValidationError({"period_start": _("Give the first day of the period.")})
    agreement = line.version.agreement
    today = _office_today(agreement)
    kind = line.period
    if period_end is None:
        period_end = periods.period_containing(kind, period_start)[1]
    if not isinstance(period_end, date) or period_end < period_start:
        raise ValidationError({"period_end": _("The period ends on or after its first day.")})
    if period_end >= today:
        raise ValidationError(
            {
                "period_end": _("This period has not finished yet: it is measured from %(day)s on.")
                % {"day": (period_end + timedelta(days=1)).isoformat()}
            }
        )
    measured = sla_line_for_period(agreement, line.key, (period_start, period_end), today)
    if measured is None:
        raise ValidationError(
            {
                "line": _(
                    "No version in force for this period has the line %(key)s: a period is "
                    "measured against the version in force at its end."
                )
                % {"key": line.key}
            }
        )
    if not periods.is_whole_period(measured.period, period_start, period_end):
        label = measured.get_period_display().lower()
        raise ValidationError(
            {
                "period_start": _(
                    "The line is measured by %(period)s: the period runs from the first to the "
                    "last day of a calendar %(period)s (e.g. %(start)s to %(end)s)."
                )
                % {
                    "period": label,
                    "start": periods.period_containing(measured.period, period_start)[0],
                    "end": periods.period_containing(measured.period, period_start)[1],
                }
            }
        )
    return measured, period_end


DUPLICATE_MEASUREMENT = _(
    "This line has a measurement for the period starting %(start)s already: correct that one."
)


@transaction.atomic
def sla_measurement_record(
    *,
    line: SlaLine,
    period_start: date,
    actual_value,
    actor,
    period_end: date | None = None,
    actual_workload: str = "",
    note: str = "",
    source: str = SlaMeasurement.Source.ENTERED,
) -> SlaMeasurement:
    """Record the actual of a line's key for one period (a calendar month or quarter of the
    office), measured against the line of the version in force for that period. One per
    agreement, key and period: a second one is refused (correct the first instead)."""
    line = SlaLine.objects.select_related("version__agreement__tenant").get(pk=line.pk)
    measured, period_end = _measured_line(line, period_start, period_end)
    agreement = line.version.agreement
    if SlaMeasurement.objects.filter(
        agreement=agreement, line_key=line.key, period_start=period_start
    ).exists():
        raise ValidationError({"period_start": DUPLICATE_MEASUREMENT % {"start": period_start}})
    try:
        with transaction.atomic():  # a concurrent second one: the unique constraint decides
            return audited_create(
                SlaMeasurement,
                actor=actor,
                action="sla_measurement.recorded",
                data={
                    "agreement": agreement,
                    "line_key": line.key,
                    "line": measured,
                    "period_start": period_start,
                    "period_end": period_end,
                    "actual_value": actual_value,
                    "actual_workload": actual_workload or "",
                    "note": note or "",
                    "source": source,
                    "recorded_by": _actor(actor),
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"period_start": DUPLICATE_MEASUREMENT % {"start": period_start}}
        ) from exc


SLA_MEASUREMENT_FIELDS = ("actual_value", "actual_workload", "note", "source")


@transaction.atomic
def sla_measurement_update(*, measurement: SlaMeasurement, actor, **data) -> SlaMeasurement:
    """Correct a measurement: its actual, workload, note (and the source of the correction).
    Its line and period stay: a measurement of another period is another measurement."""
    measurement = SlaMeasurement.objects.select_for_update().get(pk=measurement.pk)
    values = {k: v for k, v in data.items() if k in SLA_MEASUREMENT_FIELDS}
    for name in ("actual_workload", "note"):
        if name in values and values[name] is None:
            values[name] = ""
    audited_update(
        measurement,
        actor=actor,
        action="sla_measurement.updated",
        data=values,
        fields=SLA_MEASUREMENT_FIELDS,
    )
    return measurement


# The SLA appendix: reminders of missing measurements ---------------------------------------------


def sla_line_owner(line: SlaLine) -> Membership | None:
    """Who answers for the line's measurements: its owner, else the service's owner, else the
    customer's relationship manager (the first of them still active)."""
    customer = line.version.agreement.customer
    for member in (line.owner, line.service.owner, customer.relationship_manager):
        if member is not None and member.is_active:
            return member
    return None


def _reminder_due_at(agreement: Agreement, period: tuple[date, date]) -> datetime:
    day_after = period[1] + timedelta(days=1)
    return datetime.combine(day_after, time(SLA_REMINDER_HOUR), tzinfo=agreement.tenant.zone)


def _sla_reminder_schedule(agreement: Agreement, key: str, kind: str, period) -> None:
    due_job_schedule(
        handler=SLA_REMINDER,
        key=f"sla-missing:{agreement.pk}:{key}:{kind}:{period[0].isoformat()}",
        due_at=_reminder_due_at(agreement, period),
        payload={
            "agreement": agreement.pk,
            "key": key,
            "period": kind,
            "start": period[0].isoformat(),
            "end": period[1].isoformat(),
        },
        obj=agreement,
    )


def sla_reminders_schedule(*, version: AgreementVersion) -> None:
    """For each line of a version coming into force: the check after its current period.

    Each check schedules the next, so a line is looked at once per period while a version in
    force has it; a revision's unchanged line finds its check scheduled already (same key).
    """
    agreement = version.agreement
    today = _office_today(agreement)
    for line in SlaLine.objects.filter(version=version):
        period = periods.period_containing(line.period, today)
        _sla_reminder_schedule(agreement, line.key, line.period, period)


def sla_measurement_missing_check(*, agreement: Agreement, payload: dict) -> bool:
    """A period has finished: remind the line's owner once if it has no measurement, then
    schedule the check of the next period of the line in force. True if a reminder was queued.
    """
    key, kind = payload["key"], payload["period"]
    period = (date.fromisoformat(payload["start"]), date.fromisoformat(payload["end"]))
    today = _office_today(agreement)
    reminded = False
    measured = sla_line_for_period(agreement, key, period, today)
    missing = not SlaMeasurement.objects.filter(
        agreement=agreement, line_key=key, period_start=period[0]
    ).exists()
    if measured is not None and missing and measured.period == kind:
        reminded = _sla_remind(agreement, measured, period)
    current = sla_line_for_period(agreement, key, periods.period_containing(kind, today), today)
    if current is not None and current.version.status == Status.IN_FORCE:
        following = periods.period_containing(current.period, period[1] + timedelta(days=1))
        _sla_reminder_schedule(agreement, key, current.period, following)
    return reminded


def _sla_remind(agreement: Agreement, line: SlaLine, period) -> bool:
    line = SlaLine.objects.select_related(
        "owner__user",
        "service__owner__user",
        "version__agreement__customer__relationship_manager__user",
    ).get(pk=line.pk)
    owner = sla_line_owner(line)
    if owner is None:
        return False
    customer = agreement.customer
    label = periods.period_label(line.period, period[0])
    path = reverse(
        "sla:sla_table", kwargs={"tenant_slug": agreement.tenant.slug, "agreement_pk": agreement.pk}
    )
    outbox_enqueue(
        key=f"sla-missing-mail:{agreement.pk}:{line.key}:{period[0].isoformat()}",
        to=owner.user.email,
        subject=_("Measurement missing: %(line)s, %(period)s (%(customer)s)")
        % {"line": line, "period": label, "customer": customer.name},
        text=_(
            "The %(kind)s line “%(line)s” (target %(target)s) of the agreement with "
            "%(customer)s has no measurement for %(period)s (%(start)s to %(end)s).\n\n"
            "Enter it, import it or post it through the API: %(url)s"
        )
        % {
            "kind": line.get_kind_display(),
            "line": line,
            "target": line.target_text,
            "customer": customer.name,
            "period": label,
            "start": period[0].isoformat(),
            "end": period[1].isoformat(),
            "url": f"{settings.BRM_BASE_URL}{path}",
        },
    )
    return True
