from django.conf import settings
from django.db import models

from brm.tenancy.models import TenantOwnedModel


class AuditEvent(TenantOwnedModel):
    """One change in a tenant: who did what to which record, with the fields that changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["tenant", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"
