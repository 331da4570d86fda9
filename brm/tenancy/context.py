"""The current tenant: a contextvar, plus the PostgreSQL setting that row-level security reads.

Everything that touches tenant-owned rows runs inside `tenant_context(tenant)`: the web request
(TenantMiddleware), a Celery task, a management command. It sets the contextvar the scoped
managers read and, on PostgreSQL, `app.tenant_id` local to the surrounding transaction, which the
row-level security policies read. Without it the scoped managers raise and PostgreSQL shows no rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction


class TenantNotSet(RuntimeError):
    """A tenant-owned query ran with no current tenant: a bug, never a user error."""


_current_tenant_id: ContextVar[int | None] = ContextVar("brm_current_tenant_id", default=None)


def current_tenant_id() -> int:
    tenant_id = _current_tenant_id.get()
    if tenant_id is None:
        raise TenantNotSet(
            "No tenant is set. Wrap the code in brm.tenancy.context.tenant_context(tenant), "
            "or use the model's `all_tenants` manager where crossing tenants is intended."
        )
    return tenant_id


def current_tenant_id_or_none() -> int | None:
    return _current_tenant_id.get()


def _set_db_setting(name: str, value: int | None) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true)", [name, "" if value is None else str(value)]
        )


@contextmanager
def tenant_context(tenant_or_id) -> Iterator[None]:
    """Run the block as `tenant`, inside a transaction (a savepoint when one is open)."""
    tenant_id = getattr(tenant_or_id, "pk", tenant_or_id)
    if tenant_id is None:
        raise ValueError("tenant_context needs a saved tenant")
    previous = _current_tenant_id.get()
    token = _current_tenant_id.set(int(tenant_id))
    try:
        with transaction.atomic():
            _set_db_setting("app.tenant_id", tenant_id)
            yield
    finally:
        _current_tenant_id.reset(token)
        # A transaction-local setting outlives a released savepoint: put the outer tenant back.
        if connection.in_atomic_block and not connection.needs_rollback:
            _set_db_setting("app.tenant_id", previous)


@contextmanager
def user_context(user_id: int) -> Iterator[None]:
    """Let PostgreSQL show this user's own memberships in every tenant (the tenant switcher)."""
    with transaction.atomic():
        _set_db_setting("app.user_id", user_id)
        try:
            yield
        finally:
            if not connection.needs_rollback:
                _set_db_setting("app.user_id", None)
