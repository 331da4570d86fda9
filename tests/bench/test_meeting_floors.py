"""The meetings benchmark's floors answer with their pages' rows, under the same sign-in.

bench.meetings.contract is the check the load script runs on the bench offices; here it runs on
a small office beside the pages themselves, and is shown to notice a floor that drifted.
"""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from bench.contract import FloorMismatch
from bench.meetings import contract
from bench.meetings import floor as meetings_floor
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from meetings import services
from meetings.models import Meeting
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import make_member, make_portal_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def office(tenant_a, rm_a):
    """Three customers (names not in id order), each with a monthly review that began three
    months ago: its past occurrences held with minutes, a decision and an action item in the
    first, one attendee removed from the next planned one; and a one-off escalation."""
    it_manager = make_member(tenant_a, Role.IT_MANAGER, name="Ivo IT")
    today = timezone.localdate()
    starts_on = (today.replace(day=1) - timedelta(days=80)).replace(day=1)
    meetings = []
    with tenant_context(tenant_a):
        for i in range(3):
            customer = CustomerFactory(name=f"Unit {(i * 2) % 3}", relationship_manager=rm_a)
            boss = ContactFactory(customer=customer, name=f"Boss {i}", authority="decides")
            cadence = services.cadence_create(
                actor=rm_a.user,
                plan=False,
                contacts=[boss],
                members=[rm_a, it_manager],
                customer=customer,
                meeting_type="service_review",
                name=f"Review {i}",
                frequency="monthly",
                month_day=3 + i,
                starts_on=starts_on,
                time_of_day=time(10),
                organiser=rm_a,
                agenda_template="Welcome\nService levels",
            )
            services.cadence_plan(
                cadence, now=datetime.combine(starts_on, time(), tzinfo=UTC) - timedelta(days=1)
            )
            services.cadence_plan(cadence)
            past = Meeting.objects.filter(cadence=cadence, starts_at__lt=timezone.now())
            for meeting in past:
                services.meeting_mark_held(meeting=meeting, actor=rm_a.user)
                services.minutes_save(meeting=meeting, actor=rm_a.user, summary="Fine.")
                services.minutes_publish(meeting=meeting, actor=rm_a.user)
            first = past.order_by("starts_at").first()
            services.decision_create(
                actor=rm_a.user,
                customer=customer,
                meeting=first,
                title=f"Decision {i}",
                kind="business",
                accountable_contact=boss,
            )
            services.decision_create(
                actor=rm_a.user,
                customer=customer,
                meeting=first,
                title=f"IT decision {i}",
                kind="it",
                accountable_member=it_manager,
            )
            services.action_item_from_meeting(
                meeting=first, actor=rm_a.user, title=f"Action {i}", owner_contact=boss
            )
            upcoming = Meeting.objects.filter(cadence=cadence, status="planned").first()
            services.attendee_remove(
                attendee=upcoming.attendees.get(member=it_manager), actor=rm_a.user
            )
            meetings.append((first, upcoming))
        start = timezone.now() + timedelta(days=5)
        escalation = services.meeting_create(
            actor=rm_a.user,
            customer=customer,
            title="Escalation",
            kind="escalation",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            organiser=it_manager,
        )
    return {"meetings": meetings, "escalation": escalation}


def test_list_floor_shows_the_lists_rows(client, tenant_a, rm_a, office):
    with tenant_context(tenant_a):
        contract.check_list_rows(tenant_a.pk)
        upcoming = Meeting.objects.filter(status="planned", ends_at__gte=timezone.now()).count()
        every = Meeting.objects.count()
    assert 0 < upcoming < every  # the held ones are not on the list as it opens
    client.force_login(rm_a.user)
    floor = client.get("/t/tenant-a/floor/meetings/")
    assert floor.status_code == 200
    html = floor.content.decode()
    assert f"{upcoming} meetings" in html
    assert html.count('href="/t/tenant-a/meetings/') == min(upcoming, contract.LIST_PAGE_SIZE)


def test_list_floor_shows_what_the_list_page_shows_as_it_opens(client, tenant_a, rm_a, office):
    client.force_login(rm_a.user)
    page = client.get("/t/tenant-a/meetings/")
    floor = client.get("/t/tenant-a/floor/meetings/")
    contract.check_list_page("tenant-a", page.content.decode(), floor.content.decode())


def test_list_check_notices_a_floor_in_another_order(tenant_a, office, monkeypatch):
    real = meetings_floor.meeting_list_rows

    def reversed_rows(tenant_id, now=None):
        count, rows = real(tenant_id, now)
        return count, rows[::-1]

    monkeypatch.setattr(contract, "meeting_list_rows", reversed_rows)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="rows differ"):
        contract.check_list_rows(tenant_a.pk)


def test_list_check_notices_a_floor_that_shows_every_meeting(tenant_a, office, monkeypatch):
    every = meetings_floor.UPCOMING.replace(
        "x.status = 'planned' AND x.ends_at >= %s", "%s::timestamptz IS NOT NULL"
    )
    assert every != meetings_floor.UPCOMING
    monkeypatch.setattr(meetings_floor, "UPCOMING", every)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="rows differ"):
        contract.check_list_rows(tenant_a.pk)


def test_list_check_notices_a_floor_that_counts_cancelled_meetings(
    tenant_a, rm_a, office, monkeypatch
):
    with tenant_context(tenant_a):
        services.meeting_cancel(meeting=office["escalation"], actor=rm_a.user, reason="Solved.")
    monkeypatch.setattr(
        meetings_floor, "UPCOMING", meetings_floor.UPCOMING.replace("x.status = 'planned'", "true")
    )
    with tenant_context(tenant_a), pytest.raises(FloorMismatch):
        contract.check_list_rows(tenant_a.pk)


def test_list_page_check_notices_other_rows():
    link = '<a href="/t/x/meetings/{}/">'
    floor = "<caption>2 meetings</caption>" + link.format(1) + link.format(2)
    both = link.format(1) + link.format(1) + link.format(2)
    contract.check_list_page("x", "2 meetings " + both, floor)
    with pytest.raises(FloorMismatch):
        contract.check_list_page("x", "2 meetings " + link.format(2) + link.format(1), floor)
    with pytest.raises(FloorMismatch):
        contract.check_list_page("x", "3 meetings " + both, floor)


@pytest.mark.parametrize("which", ["held", "upcoming", "escalation"])
def test_meeting_page_floor_reads_the_pages_rows(client, tenant_a, rm_a, office, which):
    held, upcoming = office["meetings"][1]
    meeting = {"held": held, "upcoming": upcoming, "escalation": office["escalation"]}[which]
    with tenant_context(tenant_a):
        contract.check_meeting_page(tenant_a.pk, meeting.pk)
        rows = meetings_floor.meeting_page_rows(tenant_a.pk, meeting.pk)
    if which == "held":
        assert len(rows["decisions"]) == 2 and len(rows["actions"]) == 1
        assert rows["minutes"][0][1] == "published"
    if which == "upcoming":
        assert any(a[4] is not None for a in rows["attendees"])  # the removed one, marked
    client.force_login(rm_a.user)
    html = client.get(f"/t/tenant-a/floor/meetings/{meeting.pk}/").content.decode()
    assert meeting.title in html


def test_meeting_page_check_notices_a_floor_that_drops_removed_attendees(
    tenant_a, office, monkeypatch
):
    _held, upcoming = office["meetings"][0]
    real = meetings_floor.meeting_page_rows

    def without_removed(tenant_id, pk):
        rows = real(tenant_id, pk)
        rows["attendees"] = [a for a in rows["attendees"] if a[4] is None]
        return rows

    monkeypatch.setattr(contract, "meeting_page_rows", without_removed)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="attendees"):
        contract.check_meeting_page(tenant_a.pk, upcoming.pk)


def test_meeting_page_check_notices_a_meeting_that_is_not_there(tenant_a, office):
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="no meeting"):
        contract.check_meeting_page(tenant_a.pk, office["escalation"].pk + 10_000)


def test_meeting_page_check_notices_a_floor_without_the_meetings_history(
    tenant_a, office, monkeypatch
):
    held, _upcoming = office["meetings"][0]
    real = meetings_floor.meeting_page_rows

    def meeting_history_only(tenant_id, pk):
        rows = real(tenant_id, pk)
        rows["history"] = [h for h in rows["history"] if "decision" not in h[2]]
        return rows

    monkeypatch.setattr(contract, "meeting_page_rows", meeting_history_only)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="history"):
        contract.check_meeting_page(tenant_a.pk, held.pk)


def test_meeting_floors_are_behind_the_same_sign_in(client, tenant_a, tenant_b, office):
    path = f"/t/tenant-a/floor/meetings/{office['escalation'].pk}/"
    assert client.get(path).status_code == 302  # to the sign-in page
    client.force_login(make_member(tenant_b, Role.ADMIN).user)
    assert client.get(path).status_code == 404  # not a member of this office
    assert client.get("/t/tenant-a/floor/meetings/").status_code == 404


@pytest.mark.parametrize("who", ["analyst", "portal customer"])
def test_meeting_floors_let_in_whom_the_pages_let_in(client, tenant_a, office, who):
    if who == "analyst":
        user = make_member(tenant_a, Role.ANALYST).user
    else:
        with tenant_context(tenant_a):
            customer = office["escalation"].customer
            contact = ContactFactory(customer=customer, name="Portal user")
        user = make_portal_member(contact).user
    client.force_login(user)
    pk = office["escalation"].pk
    for page, floor in (
        ("/t/tenant-a/meetings/", "/t/tenant-a/floor/meetings/"),
        (f"/t/tenant-a/meetings/{pk}/", f"/t/tenant-a/floor/meetings/{pk}/"),
    ):
        status = client.get(page).status_code
        assert (status == 200) == (who == "analyst")
        assert client.get(floor).status_code == status
        assert client.post(floor).status_code == client.post(page).status_code
