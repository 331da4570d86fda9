"""The shared test kit: what every area's tests need, written once.

A new area's test module starts from here and from `tests.factories` (which enter the tenant
themselves), and registers its isolation cases in `tests/<area>/isolation_cases.py`.

* `make_member(tenant, role)`: a member with a password (the fixtures in tests/conftest.py use it);
  `make_portal_member(contact, role)`: a portal member signed in as that contact.
* `api_client(tenant, scope)`: a REST client with a fresh key of that office and scope
  (`make_key` and `client_for` for the key itself).
* `assert_page_queries(client, path, own=N)`: a page reads the shell's queries plus N of its own
  (`shell=PORTAL_SHELL_QUERIES` for a portal page); `assert_api_queries(api, path, own=N)` the
  same for a REST request. The shells are defined here once: a change to the middleware changes
  one number, and every page's own count stays what it was.
* `assert_audited(tenant, action, ...)`: one audit record of that action, with who and what.
* `in_tenant(tenant, fn)`: `fn()` inside `tenant_context(tenant)`, for a one-line read or save
  (`with in_tenant(tenant):` for a few lines: a service call, as a request or a task makes it);
  `refreshed(obj)`: `obj` re-read from the database in its own tenant.

Fixtures (tests/conftest.py): `tenant_a`, `tenant_b`, a member per role (`admin_a`, `rm_a`,
`customer_a`, `purchaser_a`, `admin_b`), `customer_record`, and `as_tenant_a` for a service or
selector test module that runs as office A (`pytestmark = pytest.mark.usefixtures("as_tenant_a")`).
Two suite-wide tests need nothing from a new area but its routes and isolation cases: the
cross-tenant harness (tests/isolation.py) and the read-only walk (tests/test_read_only_roles.py),
which reads each view's recorded roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from brm.api.services import api_key_create
from brm.audit.models import AuditEvent
from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role

T = TypeVar("T")

PASSWORD = "correct-horse-battery"

# What every staff page reads before its own queries: the tenant, the session, the user, the
# memberships (this office's and the switcher's: one statement, then their tenants), and the
# savepoints and set_config calls of tenant_context and ATOMIC_REQUESTS.
STAFF_SHELL_QUERIES = 11
# A portal page reads the same shell, plus its scope: the member's contact with its customer and
# the customer's relationship manager, in one query.
PORTAL_SHELL_QUERIES = STAFF_SHELL_QUERIES + 1
# What every REST request reads besides its own: the key lookup (one statement, with the key's
# office), then the savepoint, set_config, release and reset of the request's transaction.
API_SHELL_QUERIES = 5


def make_member(tenant, role=Role.ADMIN, email=None, password=PASSWORD, name=""):
    """An active member of `tenant` with `role`; the email defaults to one per role and office."""
    email = email or f"{role}-{tenant.slug}@example.test"
    return services.member_add_with_password(
        tenant=tenant, email=email, password=password, role=role, full_name=name or email
    )


def make_portal_member(contact, role=Role.CUSTOMER):
    """A portal member with the contact's email, linked to the contact as accepting its
    invitation links them; the membership, read again."""
    member = make_member(contact.tenant, role, email=contact.email)
    with tenant_context(contact.tenant_id):
        contact.membership = member
        contact.save()
        return Membership.objects.get(pk=member.pk)


def in_tenant(tenant, fn: Callable[[], T] | None = None):
    """`fn()` inside `tenant_context(tenant)`: `in_tenant(t, lambda: Customer.objects.count())`.

    Without `fn`, the context itself, for a few lines: `with in_tenant(t): ...`.
    """
    if fn is None:
        return tenant_context(tenant)
    with tenant_context(tenant):
        return fn()


def refreshed(obj):
    """`obj` after `refresh_from_db()` in its own tenant (`obj.tenant_id`); returns it."""
    in_tenant(obj.tenant_id, obj.refresh_from_db)
    return obj


# REST API ---------------------------------------------------------------------------------------


def make_key(tenant, scope="write", name="integration"):
    """(ApiKey, raw key) of `tenant` with `scope` ("read" or "write")."""
    with tenant_context(tenant):
        return api_key_create(name=name, scope=scope)


def client_for(raw: str) -> APIClient:
    """A REST client presenting the key `raw`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def api_client(tenant, scope="write", name="integration") -> APIClient:
    """A REST client presenting a new key of `tenant` with `scope`."""
    return client_for(make_key(tenant, scope, name)[1])


# Query counts -----------------------------------------------------------------------------------


def page_queries(client, path: str) -> list[str]:
    """The SQL of one GET of `path` (which must answer 200), after one warming GET.

    Warm: an office's first staff page notes the office in the session, and a key's first request
    in a while its last use (one write, once).
    """
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, f"GET {path} answered {response.status_code}"
    return [q["sql"] for q in ctx.captured_queries]


def assert_page_queries(client, path: str, *, own: int, shell: int = STAFF_SHELL_QUERIES) -> int:
    """The page reads the shell's `shell` queries and `own` of its own; returns the total."""
    queries = page_queries(client, path)
    expected = shell + own
    if len(queries) != expected:
        listing = "\n".join(f"{i:3}. {sql}" for i, sql in enumerate(queries, 1))
        raise AssertionError(
            f"GET {path}: {len(queries)} queries, expected {expected} "
            f"({shell} of the shell + {own} of the page's own):\n{listing}"
        )
    return expected


def assert_api_queries(client, path: str, *, own: int) -> int:
    """The REST request reads the API shell's queries and `own` of its own; returns the total."""
    return assert_page_queries(client, path, own=own, shell=API_SHELL_QUERIES)


# Audit ------------------------------------------------------------------------------------------


def assert_audited(tenant, action: str, *, obj=None, actor=None, changes=None) -> AuditEvent:
    """Exactly one audit record of `action` (for `obj`, when given) in `tenant`; returns it.

    `actor` (a user) and `changes` (a dict, compared whole) are checked when given.
    """
    with tenant_context(tenant):
        events = AuditEvent.objects.filter(action=action)
        if obj is not None:
            events = events.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        found = list(events.select_related("actor"))
    what = f"{action!r}" + (f" for {obj._meta.label_lower} {obj.pk}" if obj is not None else "")
    assert len(found) == 1, f"expected one audit record {what}, found {len(found)}"
    event = found[0]
    if actor is not None:
        assert event.actor_id == actor.pk, f"{what} was recorded for {event.actor}, not {actor}"
    if changes is not None:
        assert event.changes == changes, f"{what} recorded {event.changes}, not {changes}"
    return event
