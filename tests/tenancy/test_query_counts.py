"""Query counts of the core staff pages are pinned and constant in the number of rows."""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.kit import assert_page_queries, make_member

pytestmark = pytest.mark.django_db

# Each page's own queries, on top of the staff shell (tests/kit.py, STAFF_SHELL_QUERIES).
OWN = {
    "": 2,  # the dashboard: members per role, pending invitations
    "members/": 2,  # count, rows
    "invitations/": 2,  # count, rows
    "audit/": 2,  # count, rows with their actors
}


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


@pytest.mark.parametrize("page", list(OWN))
def test_staff_page_query_count_is_pinned_and_independent_of_rows(client, tenant_a, admin_a, page):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/{page}"
    _add_rows(tenant_a, "few", 3)
    assert_page_queries(client, path, own=OWN[page])
    _add_rows(tenant_a, "many", 30)
    assert_page_queries(client, path, own=OWN[page])
