"""A personal calendar feed: a secret URL, stored as its SHA-256 only, shown once, revocable, one
active per member; it lists the member's meetings (staff: organised, invited, their customers';
portal: invited) from 30 days back, cancelled ones for 30 days, and never another office's."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from meetings import feeds, invitations, services
from meetings.models import CalendarFeed, Meeting
from tests.calendar.builders import read_ical, read_icalendar
from tests.factories import CustomerFactory
from tests.kit import assert_audited, in_tenant, make_member


def _meeting(world, *, days=3, contacts=(), members=(), organiser=None, customer=None, **data):
    start = timezone.now() + timedelta(days=days)
    return services.meeting_create(
        actor=world.rm.user,
        customer=customer or world.customer,
        title=data.pop("title", "Review"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        organiser=organiser or world.rm,
        contacts=list(contacts),
        members=list(members),
        **data,
    )


def _token(url: str) -> str:
    return re.fullmatch(r".*/calendar/([-\w]+)\.ics", url)[1]


def _feed_for(membership) -> str:
    with tenant_context(membership.tenant_id):
        _feed, raw = feeds.calendar_feed_create(membership=membership, actor=membership.user)
    return raw


def _summaries(client, raw) -> list[str]:
    response = client.get(f"/calendar/{raw}.ics")
    assert response.status_code == 200
    return [e.summary for e in read_ical(response.content).events]


@pytest.fixture
def other_rm(tenant_a):
    return make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rob@office.example.test")


class TestToken:
    def test_only_the_sha256_of_the_token_is_stored(self, mworld, tenant_a):
        raw = _feed_for(mworld.it_manager)

        feed = in_tenant(tenant_a, lambda: CalendarFeed.objects.get())
        assert feed.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in str(in_tenant(tenant_a, lambda: list(CalendarFeed.objects.values())))
        assert len(raw) >= 40

    def test_an_unknown_token_is_404(self, client, db):
        assert client.get("/calendar/not-a-token-anyone-has.ics").status_code == 404

    def test_a_revoked_token_is_404(self, client, mworld, tenant_a):
        raw = _feed_for(mworld.it_manager)
        assert client.get(f"/calendar/{raw}.ics").status_code == 200
        with tenant_context(tenant_a):
            feeds.calendar_feed_revoke(membership=mworld.it_manager, actor=mworld.it_manager.user)
        assert client.get(f"/calendar/{raw}.ics").status_code == 404

    def test_making_a_new_feed_revokes_the_old_one(self, client, mworld, tenant_a):
        old = _feed_for(mworld.it_manager)
        new = _feed_for(mworld.it_manager)

        assert client.get(f"/calendar/{old}.ics").status_code == 404
        assert client.get(f"/calendar/{new}.ics").status_code == 200
        with tenant_context(tenant_a):
            assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1
            assert_audited(tenant_a, "calendar_feed.revoked", actor=mworld.it_manager.user)

    def test_a_deactivated_member_feed_is_404(self, client, mworld, tenant_a):
        raw = _feed_for(mworld.it_manager)
        with tenant_context(tenant_a):
            type(mworld.it_manager).objects.filter(pk=mworld.it_manager.pk).update(is_active=False)
        assert client.get(f"/calendar/{raw}.ics").status_code == 404

    def test_a_feed_is_a_publish_calendar_without_attendees(self, client, mworld):
        with tenant_context(mworld.customer.tenant_id):
            _meeting(mworld, members=[mworld.it_manager], contacts=[mworld.bea])
        raw = _feed_for(mworld.it_manager)

        response = client.get(f"/calendar/{raw}.ics")

        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "private" in response["Cache-Control"]
        parsed = read_icalendar(response.content)
        assert str(parsed["METHOD"]) == "PUBLISH"
        (event,) = parsed.events
        assert "ATTENDEE" not in event
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"

    def test_the_feed_answers_head_and_refuses_writes(self, client, mworld):
        raw = _feed_for(mworld.it_manager)
        assert client.head(f"/calendar/{raw}.ics").status_code == 200
        assert client.post(f"/calendar/{raw}.ics").status_code == 405

    def test_the_feed_notes_when_it_was_last_fetched(self, client, mworld, tenant_a):
        raw = _feed_for(mworld.it_manager)
        client.get(f"/calendar/{raw}.ics")
        assert in_tenant(tenant_a, lambda: CalendarFeed.objects.get().last_used_at) is not None


class TestWhatItLists:
    def test_staff_see_what_they_organise_are_invited_to_and_their_customers(
        self, client, mworld, other_rm, tenant_a
    ):
        with tenant_context(tenant_a):
            elsewhere = CustomerFactory(
                tenant=tenant_a, name="Elsewhere", relationship_manager=other_rm
            )
            _meeting(mworld, title="Invited", members=[mworld.it_manager])
            _meeting(mworld, title="Not invited")
            _meeting(mworld, title="Organised", customer=elsewhere, organiser=mworld.it_manager)
            _meeting(mworld, title="Rob's customer", customer=elsewhere, organiser=other_rm)

        assert sorted(_summaries(client, _feed_for(mworld.it_manager))) == ["Invited", "Organised"]
        assert sorted(_summaries(client, _feed_for(other_rm))) == ["Organised", "Rob's customer"]
        assert sorted(_summaries(client, _feed_for(mworld.rm))) == ["Invited", "Not invited"]

    def test_a_portal_user_sees_the_meetings_their_contact_is_invited_to(
        self, client, mworld, tenant_a
    ):
        with tenant_context(tenant_a):
            _meeting(mworld, title="With Bea", contacts=[mworld.bea])
            _meeting(mworld, title="With Paul", contacts=[mworld.paul])

        bea_feed = _feed_for(mworld.business_manager)  # Bea's customer login
        assert _summaries(client, bea_feed) == ["With Bea"]
        (event,) = read_ical(client.get(f"/calendar/{bea_feed}.ics").content).events
        assert "/portal/meetings/" in event.description

    def test_a_removed_attendee_no_longer_sees_the_meeting(self, client, mworld, tenant_a):
        with tenant_context(tenant_a):
            meeting = _meeting(mworld, title="Dropped", contacts=[mworld.bea])
            attendee = meeting.attendees.get(contact=mworld.bea)
            services.attendee_remove(attendee=attendee, actor=mworld.rm.user)
        assert _summaries(client, _feed_for(mworld.business_manager)) == []

    def test_the_last_30_days_are_in_and_older_meetings_are_not(self, client, mworld, tenant_a):
        with tenant_context(tenant_a):
            _meeting(mworld, title="Last week", days=-7, members=[mworld.it_manager])
            _meeting(mworld, title="Two months ago", days=-60, members=[mworld.it_manager])
            _meeting(mworld, title="Next month", days=30, members=[mworld.it_manager])

        assert _summaries(client, _feed_for(mworld.it_manager)) == ["Last week", "Next month"]

    def test_a_cancelled_meeting_stays_cancelled_for_30_days_then_leaves(
        self, client, mworld, tenant_a
    ):
        with tenant_context(tenant_a):
            meeting = _meeting(mworld, title="Called off", members=[mworld.it_manager])
            services.meeting_cancel(meeting=meeting, actor=mworld.rm.user)
        raw = _feed_for(mworld.it_manager)

        (event,) = read_ical(client.get(f"/calendar/{raw}.ics").content).events
        assert (event.summary, event.status, event.sequence) == ("Called off", "CANCELLED", 1)
        assert event.uid == invitations.meeting_uid(meeting)
        with tenant_context(tenant_a):
            Meeting.objects.filter(pk=meeting.pk).update(
                updated_at=timezone.now() - timedelta(days=31)
            )
        assert _summaries(client, raw) == []


def test_another_offices_token_never_reads_this_office(client, mworld, tenant_a, tenant_b):
    with tenant_context(tenant_a):
        _meeting(mworld, title="Office A's review", members=[mworld.it_manager])
    stranger = make_member(tenant_b, Role.IT_MANAGER, email=mworld.it_manager.user.email)
    raw_b = _feed_for(stranger)

    response = client.get(f"/calendar/{raw_b}.ics")

    assert response.status_code == 200
    assert b"Office A's review" not in response.content
    assert read_ical(response.content).events == []
    # Office A cannot see office B's feed row either: the token hash alone reveals it.
    with tenant_context(tenant_a):
        assert not CalendarFeed.objects.exists()
        assert feeds.feed_meetings(stranger).count() == 0


def test_the_token_lookup_leaves_nothing_visible_after_it(mworld, tenant_a):
    raw = _feed_for(mworld.it_manager)
    assert feeds.calendar_feed_find(raw) is not None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.calendar_feed_token', true)")
            assert cursor.fetchone()[0] in ("", None)
    assert CalendarFeed.all_tenants.count() == 0  # no tenant set: row-level security shows none


@pytest.mark.parametrize("meetings", [2, 6])
def test_the_feed_reads_a_fixed_number_of_queries_however_many_meetings(
    client, mworld, tenant_a, meetings
):
    with tenant_context(tenant_a):
        for n in range(meetings):
            _meeting(mworld, title=f"Review {n}", days=n + 1, members=[mworld.it_manager])
    raw = _feed_for(mworld.it_manager)
    client.get(f"/calendar/{raw}.ics")  # sets last_used_at: the counted fetch does not write

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/calendar/{raw}.ics")

    assert len(read_ical(response.content).events) == meetings
    # The request's savepoint; the lookup (savepoint, set, read, clear, release) and the office's
    # check; then in the office: savepoint, set_config, the feed with its member, the meetings,
    # their agenda items, release and reset; the request's release.
    assert len(queries) == 15, "\n".join(q["sql"] for q in queries)
