"""Runs the isolation harness (tests/isolation.py) over every staff and portal page."""

import pytest
from django.urls import reverse

from brm.tenancy.models import Role
from tests.isolation import (
    MARKED_ROW_FACTORIES,
    MARKER,
    OBJECT_FACTORIES,
    PORTAL_USER_LINKERS,
    tenant_urls,
)
from tests.kit import make_member

pytestmark = pytest.mark.django_db

URLS = tenant_urls()


def _client_for(client, tenant, url):
    role = Role.CUSTOMER if url.is_portal else Role.ADMIN
    member = make_member(tenant, role, email=f"iso-{role}@a.example.test")
    if url.is_portal:
        for link in PORTAL_USER_LINKERS:
            link(member)
    client.force_login(member.user)
    return client


def _body(response) -> str:
    if response.streaming:  # e.g. a CSV export, generated as it is read
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_every_tenant_page_with_an_object_is_registered():
    missing = [u.name for u in URLS if u.params and u.name not in OBJECT_FACTORIES]
    assert missing == [], f"register(url name) in tests/<area>/isolation_cases.py for {missing}"


@pytest.mark.parametrize("url", [u for u in URLS if u.params], ids=lambda u: u.name)
def test_tenant_b_object_under_tenant_a_is_404(client, tenant_a, tenant_b, url):
    kwargs = OBJECT_FACTORIES[url.name](tenant_b)
    _client_for(client, tenant_a, url)
    path = reverse(url.name, kwargs={"tenant_slug": tenant_a.slug, **kwargs})
    assert _get_in_tenant(client, path, tenant_a).status_code == 404
    assert client.post(path, {}).status_code == 404


@pytest.mark.parametrize("url", [u for u in URLS if u.params], ids=lambda u: u.name)
def test_same_page_works_for_the_owning_tenant(client, tenant_a, url):
    """The control for the test above: the object is reachable in its own tenant."""
    kwargs = OBJECT_FACTORIES[url.name](tenant_a)
    _client_for(client, tenant_a, url)
    path = reverse(url.name, kwargs={"tenant_slug": tenant_a.slug, **kwargs})
    assert _get_in_tenant(client, path, tenant_a).status_code == 200


def _get_in_tenant(client, path, tenant):
    """GET, following redirects that stay in the tenant (the invitation link moves its token
    into the session first); a redirect elsewhere, such as to sign-in, fails the test."""
    response = client.get(path, follow=True)
    for hop, _status in response.redirect_chain:
        assert hop.startswith(f"/t/{tenant.slug}/"), response.redirect_chain
    return response


@pytest.mark.parametrize(
    "url", [u for u in URLS if not u.params and not u.is_public], ids=lambda u: u.name
)
def test_list_pages_hold_no_rows_of_another_tenant(client, tenant_a, tenant_b, url):
    for factory in MARKED_ROW_FACTORIES:
        factory(tenant_b)
    _client_for(client, tenant_a, url)
    response = client.get(reverse(url.name, kwargs={"tenant_slug": tenant_a.slug}))
    assert response.status_code == 200
    assert MARKER not in _body(response)


@pytest.mark.parametrize("url", [u for u in URLS if not u.is_public], ids=lambda u: u.name)
def test_member_of_a_gets_404_under_tenant_b_prefix(client, tenant_a, tenant_b, url):
    kwargs = OBJECT_FACTORIES[url.name](tenant_b) if url.params else {}
    _client_for(client, tenant_a, url)
    path = reverse(url.name, kwargs={"tenant_slug": tenant_b.slug, **kwargs})
    assert client.get(path).status_code == 404


def test_marker_rows_do_show_in_their_own_tenant(client, tenant_b):
    """Control: the marker is visible where it belongs, so its absence above means something."""
    for factory in MARKED_ROW_FACTORIES:
        factory(tenant_b)
    admin = make_member(tenant_b, Role.ADMIN, email="iso-admin@b.example.test")
    client.force_login(admin.user)
    assert MARKER in client.get(f"/t/{tenant_b.slug}/members/").content.decode()
    assert MARKER in client.get(f"/t/{tenant_b.slug}/audit/").content.decode()


def test_each_area_registers_its_cases_beside_its_tests():
    """The harness finds the areas' modules by name: nothing to add to a central list."""
    from tests.isolation import load_isolation_cases

    assert {
        "tests.tenancy.isolation_cases",
        "tests.customers.isolation_cases",
        "tests.outbox.isolation_cases",
    } <= set(load_isolation_cases())


def test_an_url_registered_twice_is_refused():
    """Two areas claiming one URL name would silently test only the one imported last."""
    from tests.isolation import register

    with pytest.raises(ValueError, match="tenancy:member_edit is registered twice"):
        register("tenancy:member_edit")(lambda tenant: {"pk": 1})
