"""Writes for API keys: make, revoke, authenticate (and note the use of) a key."""

from __future__ import annotations

import hmac
import secrets
import string
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import audit_record
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant, hash_token

from .models import ApiKey

KEY_START = "brm"
PREFIX_LENGTH = 8
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
# last_used_at is a hint for admins ("is this key still in use?"), not an access log: writing it
# on every request would make every API call a write on one hot row.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _i in range(PREFIX_LENGTH))


def api_key_create(*, name: str, scope: str, created_by=None) -> tuple[ApiKey, str]:
    """Make a key in the current tenant; returns it with the raw key, which is never stored."""
    if scope not in ApiKey.Scope.values:
        raise ValidationError({"scope": _("Choose read or write.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name.")})
    with transaction.atomic():
        for _attempt in range(5):
            prefix = _new_prefix()
            raw = f"{KEY_START}_{prefix}_{secrets.token_urlsafe(32)}"
            try:
                with transaction.atomic():
                    api_key = ApiKey.objects.create(
                        name=name,
                        scope=scope,
                        prefix=prefix,
                        key_hash=hash_token(raw),
                        created_by=created_by,
                    )
            except IntegrityError:
                continue  # the prefix is taken in this tenant (36^8 choices): draw another
            break
        else:
            raise RuntimeError("Could not draw an unused API key prefix.")
        audit_record(
            actor=created_by,
            action="api_key.created",
            obj=api_key,
            changes={"name": [None, name], "scope": [None, scope]},
        )
    return api_key, raw


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor, reason: str = "") -> ApiKey:
    """Stop a key from working, at once and for good."""
    claimed = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationError(_("This API key was already revoked."))
    api_key.refresh_from_db(fields=["revoked_at"])
    changes = {"reason": [None, reason]} if reason else None
    audit_record(actor=actor, action="api_key.revoked", obj=api_key, changes=changes)
    return api_key


def api_keys_of_member(membership) -> list[ApiKey]:
    """The active keys this member made in the current tenant."""
    return list(
        ApiKey.objects.filter(created_by_id=membership.user_id, revoked_at__isnull=True).order_by(
            "name", "pk"
        )
    )


@transaction.atomic
def api_keys_revoke_for_member(*, membership, actor, **_kwargs) -> list[ApiKey]:
    """Revoke every active key a member made (receiver of `membership_deactivated`).

    A key stands for an integration an office member set up; it must not keep working for
    someone the office no longer trusts. Runs in the deactivation's transaction.
    """
    keys = list(
        ApiKey.objects.select_for_update().filter(
            created_by_id=membership.user_id, revoked_at__isnull=True
        )
    )
    for key in keys:
        api_key_revoke(api_key=key, actor=actor, reason="its creator was deactivated")
    return keys


def api_keys_deactivation_effects(*, membership, **_kwargs) -> tuple[str, list[str]]:
    """What the deactivation page lists (receiver of `membership_deactivation_effects`)."""
    return _("API keys that will be revoked"), [str(key) for key in api_keys_of_member(membership)]


class ApiKeyInvalid(Exception):
    """The presented key is malformed, unknown, revoked, or its office is closed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _parse_prefix(raw: str) -> str | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_START or not parts[2]:
        return None
    prefix = parts[1]
    if len(prefix) != PREFIX_LENGTH or any(c not in PREFIX_ALPHABET for c in prefix):
        return None
    return prefix


def _candidates(prefix: str) -> list[ApiKey]:
    """The keys carrying this prefix, in whatever tenant, each with its tenant.

    On PostgreSQL, one statement (brm_api_key_candidates, api migration 0003) sets the prefix the
    row-level security policy reads, reads the rows and clears the prefix: no transaction of its
    own, and nothing left visible afterwards, inside a transaction or not. The tenant comes in
    the same statement (tenancy_tenant is not tenant-owned).
    """
    if connection.vendor != "postgresql":
        return list(ApiKey.all_tenants.select_related("tenant").filter(prefix=prefix))
    key_fields = [f.attname for f in ApiKey._meta.concrete_fields]
    tenant_fields = [f.attname for f in Tenant._meta.concrete_fields]
    quote = connection.ops.quote_name
    columns = ", ".join(
        [f"k.{quote(name)}" for name in key_fields] + [f"t.{quote(name)}" for name in tenant_fields]
    )
    sql = (
        f"SELECT {columns} FROM brm_api_key_candidates(%s) k"  # noqa: S608 (names from the models)
        f" JOIN {quote(Tenant._meta.db_table)} t ON t.id = k.tenant_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix])
        rows = cursor.fetchall()
    keys = []
    for row in rows:
        key = ApiKey.from_db(connection.alias, key_fields, row[: len(key_fields)])
        key.tenant = Tenant.from_db(connection.alias, tenant_fields, row[len(key_fields) :])
        keys.append(key)
    return keys


def api_key_authenticate(raw: str) -> ApiKey:
    """The active key matching `raw`, with its tenant, or ApiKeyInvalid.

    Runs before any tenant is known. Row-level security shows this one read the rows carrying the
    presented prefix (in whatever tenant), and nothing else; the hash decides which, if any, it is.
    A prefix is unique within a tenant and almost surely across tenants; comparing every candidate
    keeps a cross-tenant clash harmless.
    """
    prefix = _parse_prefix(raw)
    if prefix is None:
        raise ApiKeyInvalid(_("Invalid API key."))
    digest = hash_token(raw)
    api_key = next(
        (k for k in _candidates(prefix) if hmac.compare_digest(k.key_hash, digest)), None
    )
    if api_key is None or not api_key.tenant.is_active:  # tenancy_tenant is not tenant-owned
        raise ApiKeyInvalid(_("Invalid API key."))
    if not api_key.is_active:
        raise ApiKeyInvalid(_("This API key was revoked."))
    return api_key


def api_key_mark_used(api_key: ApiKey) -> None:
    """Note that the key was used, at most once per LAST_USED_RESOLUTION.

    Its own short transaction, so the row is not kept locked for the whole API request; the
    conditional UPDATE makes concurrent requests write it once.
    """
    now = timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is not None and api_key.last_used_at > threshold:
        return
    with tenant_context(api_key.tenant):
        ApiKey.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold), pk=api_key.pk
        ).update(last_used_at=now)
    api_key.last_used_at = now
