"""Audit trail writes: one event per change, with the fields that changed as [old, new].

Every area writes through `audited_create`, `audited_update` and `audit_record`, so the history
on every detail page reads the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from brm.tenancy.context import current_tenant_id

from .models import AuditEvent


def audit_record(
    *, actor, action: str, obj: models.Model, changes: dict | None = None
) -> AuditEvent:
    """Record a change in the current tenant. `changes` maps field -> [old, new]."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
    )


def audit_value(value: Any) -> Any:
    """A JSON-friendly form of a field value for the change history (a record by its name)."""
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # a target or a measured actual, exactly as typed
    return value


def _current(instance: models.Model, name: str) -> Any:
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:  # a required relation not set yet on a new record
        return None


def _same(instance: models.Model, name: str, new: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation and field.many_to_one:
        # Compare relations by id: reading the old related object would cost a query.
        return getattr(instance, field.attname) == (new.pk if new is not None else None)
    if isinstance(field, models.CharField | models.TextField):
        return (_current(instance, name) or "") == (new or "")  # blank is blank
    return _current(instance, name) == new


def changed_fields(instance: models.Model, data: dict[str, Any]) -> list[str]:
    """The names in `data` whose value differs from the instance's (nothing is changed)."""
    return [name for name, new in data.items() if not _same(instance, name, new)]


def apply_changes(instance: models.Model, data: dict[str, Any]) -> dict[str, list]:
    """Set the differing values on the instance; return them as {field: [old, new]}."""
    changes = {}
    for name in changed_fields(instance, data):
        new = data[name]
        changes[name] = [audit_value(_current(instance, name)), audit_value(new)]
        setattr(instance, name, new)
    return changes


def _only(data: dict[str, Any], fields: Iterable[str] | None) -> dict[str, Any]:
    if fields is None:
        return dict(data)
    allowed = set(fields)
    return {k: v for k, v in data.items() if k in allowed}


def audited_save(
    instance: models.Model,
    *,
    actor,
    action: str,
    changes: dict,
    created: bool = False,
    validate: bool = True,
    update_fields: Iterable[str] | None = None,
) -> None:
    """Validate (model and unique-per-tenant constraints), save, and record the change."""
    if getattr(instance, "tenant_id", False) is None:
        instance.tenant_id = current_tenant_id()
    if validate:
        instance.full_clean()
    instance.save(update_fields=update_fields)
    if created or changes:
        audit_record(actor=actor, action=action, obj=instance, changes=changes)


def audited_create(
    model: type[models.Model],
    *,
    actor,
    action: str,
    data: dict[str, Any],
    fields: Iterable[str] | None = None,
    check=None,
) -> models.Model:
    """A new record from `data` (restricted to `fields`), validated, saved and audited.

    `check(instance)` runs after the values are set and before the save (cross-record rules).
    """
    instance = model()
    changes = apply_changes(instance, _only(data, fields))
    if check is not None:
        check(instance)
    audited_save(instance, actor=actor, action=action, changes=changes, created=True)
    return instance


def audited_update(
    instance: models.Model,
    *,
    actor,
    action: str,
    data: dict[str, Any],
    fields: Iterable[str] | None = None,
    check=None,
    validate: bool = True,
    update_fields: Iterable[str] | None = None,
) -> dict[str, list]:
    """Apply `data` (restricted to `fields`) to the instance; save and audit what changed.

    Nothing is written when nothing changed. `check(instance, changes)` may adjust `changes`
    or refuse with a ValidationError before the save. Returns the changes.
    """
    changes = apply_changes(instance, _only(data, fields))
    if check is not None:
        check(instance, changes)
    if changes:
        audited_save(
            instance,
            actor=actor,
            action=action,
            changes=changes,
            validate=validate,
            update_fields=update_fields,
        )
    return changes
