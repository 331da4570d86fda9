"""The browser API's office follows the staff pages the person opens on this site, never a link
on another site: a cross-site link must not choose where the API calls of their tabs land."""

import pytest
from django.test import Client

from brm.tenancy.models import Role
from tests.kit import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_of_both(tenant_a, tenant_b):
    member = make_member(tenant_a, Role.ADMIN, email="both@example.test")
    make_member(tenant_b, Role.ADMIN, email="both@example.test")
    client = Client()
    client.force_login(member.user)
    assert client.get("/t/tenant-a/", headers={"Sec-Fetch-Site": "none"}).status_code == 200
    assert client.get("/api/v1/tenant/").json()["slug"] == "tenant-a"
    return client


def _office(client):
    return client.get("/api/v1/tenant/").json()["slug"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site", "Referer": "http://testserver/t/tenant-b/"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://evil.example"},
        {"Referer": "https://testserver/t/tenant-a/"},  # another scheme is another origin
        {},  # a link whose page stripped the Referer
    ],
)
def test_a_cross_site_navigation_does_not_move_the_office(member_of_both, headers):
    page = member_of_both.get("/t/tenant-b/", headers=headers)
    assert page.status_code == 200  # the page itself opens as ever
    assert _office(member_of_both) == "tenant-a"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},  # typed into the address bar, a bookmark
        {"Referer": "http://testserver/t/tenant-a/"},  # a browser without Sec-Fetch-Site
        {"Origin": "http://testserver"},
    ],
)
def test_a_same_origin_navigation_moves_the_office(member_of_both, headers):
    assert member_of_both.get("/t/tenant-b/", headers=headers).status_code == 200
    assert _office(member_of_both) == "tenant-b"
