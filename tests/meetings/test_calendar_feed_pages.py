"""The calendar feed page, staff and portal: make an address (shown once), make a new one (the
old stops), revoke it after a confirmation; every staff role has its own."""

import re

import pytest

from brm.tenancy.models import Role
from meetings.models import CalendarFeed
from tests.kit import (
    PORTAL_SHELL_QUERIES,
    assert_audited,
    assert_page_queries,
    in_tenant,
    make_member,
)

STAFF = "/t/tenant-a/meetings/calendar-feed/"
PORTAL = "/t/tenant-a/portal/calendar-feed/"


def _url_in(html: str) -> str:
    return re.search(r'value="(http[^"]+/calendar/[-\w]+\.ics)"', html)[1]


def _make(client, base) -> str:
    response = client.post(f"{base}new/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    return _url_in(response.content.decode())


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STEERING, Role.IT_MANAGER])
def test_every_staff_role_makes_its_own_feed_and_sees_the_address_once(client, tenant_a, role):
    member = make_member(tenant_a, role)
    client.force_login(member.user)

    url = _make(client, STAFF)

    assert client.get(url[url.index("/calendar/") :]).status_code == 200
    page = client.get(STAFF).content.decode()
    assert url not in page
    assert "You made an address on" in page
    assert_audited(tenant_a, "calendar_feed.created", actor=member.user)


def test_making_a_new_address_asks_first_and_says_the_old_one_stops(client, rm_a, tenant_a):
    client.force_login(rm_a.user)
    _make(client, STAFF)

    asked = client.get(f"{STAFF}new/").content.decode()
    assert "stops working at once" in asked
    _make(client, STAFF)

    feeds = in_tenant(tenant_a, lambda: list(CalendarFeed.objects.order_by("created_at")))
    assert [f.revoked_at is None for f in feeds] == [False, True]


def test_revoking_asks_for_confirmation_then_the_address_stops(client, rm_a, tenant_a):
    client.force_login(rm_a.user)
    url = _make(client, STAFF)
    path = url[url.index("/calendar/") :]

    asked = client.get(f"{STAFF}revoke/")
    assert asked.status_code == 200
    assert "Revoke your calendar feed address?" in asked.content.decode()
    assert client.get(path).status_code == 200  # asking changed nothing

    assert client.post(f"{STAFF}revoke/").status_code == 302
    assert client.get(path).status_code == 404
    assert "no calendar feed address" in client.get(STAFF).content.decode()
    refusal = client.get(f"{STAFF}revoke/").content.decode()
    assert "You have no calendar feed address to revoke." in refusal


def test_a_portal_user_makes_and_revokes_their_feed_on_the_portal(client, mworld, tenant_a):
    client.force_login(mworld.business_manager.user)

    url = _make(client, PORTAL)
    path = url[url.index("/calendar/") :]
    assert client.get(path).status_code == 200
    assert "portal/base.html" in [t.name for t in client.get(PORTAL).templates]

    client.post(f"{PORTAL}revoke/")
    assert client.get(path).status_code == 404


def test_staff_and_portal_keep_to_their_own_pages(client, mworld):
    client.force_login(mworld.business_manager.user)
    assert client.get(STAFF).status_code == 403
    client.force_login(mworld.rm.user)
    assert client.get(PORTAL).status_code == 403


def test_the_page_is_get_only(client, rm_a):
    client.force_login(rm_a.user)
    assert client.post(STAFF).status_code == 405


def test_the_user_menu_links_the_calendar_feed(client, rm_a, mworld):
    client.force_login(rm_a.user)
    assert f'href="{STAFF}"' in client.get("/t/tenant-a/customers/").content.decode()
    client.force_login(mworld.business_manager.user)
    assert f'href="{PORTAL}"' in client.get("/t/tenant-a/portal/").content.decode()


def test_the_staff_page_reads_a_fixed_number_of_queries(client, rm_a):
    client.force_login(rm_a.user)
    _make(client, STAFF)
    # The active feed, and the meetings the feed lists.
    assert_page_queries(client, STAFF, own=2)


def test_the_portal_page_reads_a_fixed_number_of_queries(client, mworld):
    client.force_login(mworld.business_manager.user)
    _make(client, PORTAL)
    assert_page_queries(client, PORTAL, own=2, shell=PORTAL_SHELL_QUERIES)


def test_one_person_in_two_offices_sees_each_offices_meetings_on_its_own_page(
    client, tenant_a, tenant_b
):
    from tests.isolation import MARKER
    from tests.meetings.itip.isolation_cases import (
        HARNESS_STAFF,
        meetings_in_another_office_of_the_same_people,
    )

    meetings_in_another_office_of_the_same_people(tenant_b)
    member_a = make_member(tenant_a, Role.ADMIN, email=HARNESS_STAFF)
    client.force_login(member_a.user)

    assert MARKER in client.get("/t/tenant-b/meetings/calendar-feed/").content.decode()
    assert MARKER not in client.get(STAFF).content.decode()
    assert "You have no calendar feed address." in client.get(STAFF).content.decode()
