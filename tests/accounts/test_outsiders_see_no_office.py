"""Someone who is not in an office learns nothing of it, not even its name."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.kit import make_member

pytestmark = pytest.mark.django_db

NAME = "Zanzibar Secret IT Office"


@pytest.fixture
def office(db):
    return services.tenant_create(slug="zanzibar", name=NAME, mfa_policy="optional")


@pytest.mark.parametrize("path", ["", "customers/", "portal/", "no-such-page/"])
def test_signed_in_non_member_gets_a_not_found_page_without_the_office_name(
    client, office, tenant_b, path
):
    outsider = make_member(tenant_b, Role.ADMIN)
    client.force_login(outsider.user)
    response = client.get(f"/t/{office.slug}/{path}")
    assert response.status_code == 404
    assert NAME.encode() not in response.content


@pytest.mark.parametrize("token", ["not-a-token", "x" * 43])
def test_bad_invitation_link_shows_nothing_of_the_office(office, token):
    response = Client().get(f"/t/{office.slug}/invitation/{token}/", follow=True)
    assert response.status_code == 404
    assert b"This link cannot be used" in response.content
    assert NAME.encode() not in response.content


def test_a_valid_invitation_still_names_the_office_it_joins(office):
    _, url = services.invitation_create(
        tenant=office, email="new@example.test", role=Role.RELATIONSHIP_MANAGER
    )
    response = Client().get(urlsplit(url).path, follow=True)
    assert NAME.encode() in response.content


def test_a_member_sees_the_office_name(client, office):
    member = make_member(office, Role.ADMIN)
    client.force_login(member.user)
    response = client.get(f"/t/{office.slug}/")
    assert response.status_code == 200
    assert NAME.encode() in response.content
