import hashlib
import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brm.web.badges import badge_colours

from .context import current_tenant_id


@cache
def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Tenant(models.Model):
    """One IT organisation's BRM office; everything else belongs to exactly one tenant."""

    class MfaPolicy(models.TextChoices):
        REQUIRED = "required", _("Required for staff")
        OPTIONAL = "optional", _("Optional")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    mfa_policy = models.CharField(
        _("staff MFA policy"),
        max_length=10,
        choices=MfaPolicy.choices,
        default=MfaPolicy.REQUIRED,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def mfa_required_for_staff(self) -> bool:
        return self.mfa_policy == self.MfaPolicy.REQUIRED

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class TenantScopedManager(models.Manager):
    """Filters by the current tenant and raises when none is set (fails closed)."""

    def get_queryset(self):
        return super().get_queryset().filter(tenant_id=current_tenant_id())


class TenantOwnedModel(models.Model):
    """Base of every tenant-owned record.

    `objects` sees the current tenant only; `all_tenants` is the explicit way across tenants (the
    dispatcher, operator commands). PostgreSQL row-level security (brm.tenancy.rls) stands behind
    both, so even `all_tenants` sees only the tenant set for the transaction.
    """

    # No index of its own: each table's indexes lead with tenant_id instead (tenant, then what the
    # table is filtered and sorted by). With a plain tenant_id index beside them, PostgreSQL's
    # generic plan for a prepared "this office's rows, by name, first 50" (made for an average
    # office) scanned the whole office through it and sorted; a test reads the catalog.
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, editable=False, related_name="+", db_index=False
    )

    # Extra SQL OR-ed into the row-level security USING clause (reads only), e.g. Membership.
    rls_extra_read_condition: str = ""

    objects = TenantScopedManager()
    all_tenants = models.Manager()  # noqa: DJ012

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        tenant_id = current_tenant_id()
        if self.tenant_id is None:
            self.tenant_id = tenant_id
        elif self.tenant_id != tenant_id:
            raise ValidationError("A record cannot be saved into another tenant.")
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("BRM office admin")
    RELATIONSHIP_MANAGER = "relationship_manager", _("Relationship manager")
    IT_MANAGER = "it_manager", _("IT manager")
    STEERING = "steering", _("Steering group member")
    ANALYST = "analyst", _("Analyst (read-only)")
    CUSTOMER = "customer", _("Customer (business manager)")
    PURCHASER = "purchaser", _("Purchaser")


STAFF_ROLES = frozenset(
    {Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER, Role.STEERING, Role.ANALYST}
)
PORTAL_ROLES = frozenset({Role.CUSTOMER, Role.PURCHASER})
# The staff who write the office's records (customers, agreements, meetings...), may be a
# customer's relationship manager and may import. The steering group and analysts read.
WRITE_ROLES = frozenset({Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER})
# Analysts write nothing at all, not even on work assigned to them (a comment, "done"); the
# steering group may still work on action items they own.
NEVER_WRITE_ROLES = frozenset({Role.ANALYST})


class Membership(TenantOwnedModel):
    """A person's place in one tenant: a staff role, or a portal role for a business counterpart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A user may list their own memberships in every tenant (the tenant switcher) and no others.
    rls_extra_read_condition = "user_id = NULLIF(current_setting('app.user_id', true), '')::bigint"

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_one_per_tenant"),
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_portal(self) -> bool:
        return self.role in PORTAL_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_write(self) -> bool:
        """Writes the office's records: admins, relationship managers and IT managers."""
        return self.is_active and self.role in WRITE_ROLES

    @property
    def never_writes(self) -> bool:
        """An analyst: reads everything, writes nothing, not even on their own action items."""
        return self.role in NEVER_WRITE_ROLES

    @property
    def home_path(self) -> str:
        suffix = "portal/" if self.is_portal else ""
        return f"/t/{self.tenant.slug}/{suffix}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class TenantInvitationManager(TenantScopedManager.from_queryset(InvitationQuerySet)):
    pass


class Invitation(TenantOwnedModel):
    """An emailed, single-use, expiring link that makes the recipient a member with a role.

    Only a SHA-256 of the token is stored; the link is shown or sent once.
    """

    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Made by an admin (or an operator's command): only such an invitation may bring back a
    # membership an admin deactivated. Fixed when it is made, whatever happens to the inviter.
    by_admin = models.BooleanField(default=False, editable=False)

    @badge_colours(pending="primary", accepted="success", revoked="secondary", expired="secondary")
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    objects = TenantInvitationManager()
    all_tenants = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "email"])]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"
