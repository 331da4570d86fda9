from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import TenantOwnedModel

# Read by the row-level security policy while a key is looked up, before its tenant is known.
PREFIX_SETTING = "app.api_key_prefix"


class ApiKey(TenantOwnedModel):
    """A secret another system sends as `Authorization: Bearer <key>` to use one tenant's REST API.

    The key fixes the tenant and the scope (read, or read and write). Only its prefix (shown in the
    staff pages, to tell keys apart) and a SHA-256 of the whole key are stored; the key itself is
    shown once, when it is made.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    # The key is looked up by its prefix before the tenant is known: PostgreSQL shows the rows with
    # exactly the presented prefix then, and no others (reads only; writes still need the tenant).
    rls_extra_read_condition = f"prefix = NULLIF(current_setting('{PREFIX_SETTING}', true), '')"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "prefix"], name="apikey_prefix_per_tenant"),
        ]
        indexes = [models.Index(fields=["prefix"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def status(self) -> str:
        return "active" if self.is_active else "revoked"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
