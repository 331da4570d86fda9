"""Query counts of tenant pages are pinned and constant in the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

# Tenant, session, user, membership, the switcher, savepoints and set_config (about half),
# then the page's own reads (count + rows).
PINNED = {"": 17, "members/": 17, "invitations/": 17, "audit/": 17}


def _add_rows(tenant, prefix, n):
    for i in range(n):
        m = make_member(tenant, Role.ANALYST, email=f"{prefix}-{i}@example.test")
        services.invitation_create(
            tenant=tenant,
            email=f"inv-{prefix}-{i}@example.test",
            role=Role.ANALYST,
            invited_by=m.user,
            send=False,
        )


def _queries(client, path):
    # Warm: an office's first staff page notes the office in the session (one write, once).
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", list(PINNED))
def test_staff_page_query_count_is_pinned_and_independent_of_rows(client, tenant_a, admin_a, page):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/{page}"
    _add_rows(tenant_a, "few", 3)
    few = _queries(client, path)
    _add_rows(tenant_a, "many", 30)
    many = _queries(client, path)
    assert few == many
    assert many <= PINNED[page]
