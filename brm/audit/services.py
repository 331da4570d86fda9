from django.db import models

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
