"""Another office's records are never found: tenant B's rows carrying the isolation marker
(every area's marked rows, tests/<area>/isolation_cases.py) are searched for from tenant A, on
the staff and the portal search; the control finds them in B. The search pages themselves are in
the cross-tenant harness (tests/isolation.py walks every routed page), so /t/<B>/search/ is a 404
for a member of A."""

import pytest

from brm.tenancy.models import Role
from tests import isolation_registry  # noqa: F401  (fills the registries)
from tests.isolation import MARKED_ROW_FACTORIES, MARKER, PORTAL_USER_LINKERS
from tests.kit import make_member
from tests.search.pages import found, portal_search, staff_search

pytestmark = pytest.mark.django_db


def _marked(tenant):
    for rows in MARKED_ROW_FACTORIES:
        rows(tenant)


def test_staff_of_another_office_find_none_of_its_records(client, tenant_a, tenant_b):
    _marked(tenant_b)
    client.force_login(make_member(tenant_a, Role.ADMIN).user)
    for q in (MARKER, "isolation marker", "marker"):
        assert found(client, staff_search(tenant_a), q) == {}, q


def test_the_portal_of_another_office_finds_none_of_its_records(client, tenant_a, tenant_b):
    _marked(tenant_b)
    member = make_member(tenant_a, Role.CUSTOMER, email="iso-portal@a.example.test")
    for link in PORTAL_USER_LINKERS:
        link(member)
    client.force_login(member.user)
    assert found(client, portal_search(tenant_a), MARKER) == {}


def test_the_marked_records_are_found_in_their_own_office(client, tenant_b):
    """Control: the marker is searchable where it belongs, so its absence above means something."""
    _marked(tenant_b)
    client.force_login(make_member(tenant_b, Role.ADMIN, email="iso-admin@b.example.test").user)
    groups = found(client, staff_search(tenant_b), MARKER)
    assert {"customers", "contacts", "complaints"} <= set(groups), groups


def test_a_member_of_one_office_gets_404_under_another(client, tenant_a, tenant_b):
    client.force_login(make_member(tenant_a, Role.ADMIN).user)
    assert client.get(staff_search(tenant_b), {"q": "anything"}).status_code == 404
    assert client.get(portal_search(tenant_b), {"q": "anything"}).status_code == 404
