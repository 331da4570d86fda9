"""The complaints benchmark's floors answer with their pages' rows, under the same sign-in.

bench.complaints.contract is the check the load script runs on the bench offices; here it runs
on a small office, and is shown to notice a floor that drifted: another order, a complaint
about the RM shown to that RM, a timeline without the internal notes.
"""

import pytest

from bench.complaints import contract
from bench.complaints import floor as complaints_floor
from bench.contract import FloorMismatch
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from complaints import services
from tests.complaints.conftest import OfficeClock, local, make_world, receive, resolve, working
from tests.kit import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def office(tenant_a, rm_a, customer_record, monkeypatch):
    """Thirty complaints of Finance received a day apart, in every state: one about the RM,
    one escalated to the steering group with a note, one resolved, one waiting on the raiser."""
    world = make_world(tenant_a, rm_a, customer_record)
    clock = OfficeClock(monkeypatch)
    clock.set(local(2027, 3, 1, 9))
    made = []
    with tenant_context(tenant_a):
        for i in range(30):
            clock.advance(days=1)
            made.append(receive(world, subject=f"Complaint {i}", severity="low"))
        about = receive(world, subject="About the RM", about_rm=True)
        top = made[-1]
        working(world, top)
        services.complaint_escalate(complaint=top, actor=world.rm, note="Board.")
        services.complaint_escalate(complaint=top, actor=world.it_manager, note="Steering.")
        services.complaint_message_add(complaint=top, actor=world.rm, body="Note", internal=True)
        services.complaint_message_add(complaint=top, actor=world.business_manager, body="Hi")
        done = working(world, made[-2])
        resolve(world, done)
        waiting = working(world, made[-3])
        services.complaint_wait_on_raiser(complaint=waiting, actor=world.rm, question="Which?")
    return {"world": world, "top": top, "about": about, "resolved": done, "waiting": waiting}


def test_list_floor_shows_the_lists_rows_for_the_rm_and_for_an_it_manager(client, tenant_a, office):
    world = office["world"]
    with tenant_context(tenant_a):
        contract.check_list_rows(tenant_a.pk, world.rm)
        contract.check_list_rows(tenant_a.pk, world.it_manager)
        rm_count, rows, spans = complaints_floor.complaint_list_rows(tenant_a.pk, world.rm.pk)
        it_count, *_ = complaints_floor.complaint_list_rows(tenant_a.pk, world.it_manager.pk)
    assert (rm_count, it_count) == (30, 31)  # the complaint about the RM is not theirs to see
    assert len(rows) == contract.LIST_PAGE_SIZE and len(spans) >= contract.LIST_PAGE_SIZE
    client.force_login(world.rm.user)
    html = client.get("/t/tenant-a/floor/complaints/").content.decode()
    assert "30 complaints" in html
    assert html.count('href="/t/tenant-a/complaints/') == contract.LIST_PAGE_SIZE


def test_list_check_notices_a_floor_in_another_order(tenant_a, office, monkeypatch):
    real = complaints_floor.complaint_list_rows

    def oldest_first(tenant_id, member_id):
        count, rows, spans = real(tenant_id, member_id)
        return count, rows[::-1], spans

    monkeypatch.setattr(contract, "complaint_list_rows", oldest_first)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="rows differ"):
        contract.check_list_rows(tenant_a.pk, office["world"].it_manager)


def test_list_check_notices_a_floor_that_shows_the_rm_a_complaint_about_them(
    tenant_a, office, monkeypatch
):
    monkeypatch.setattr(complaints_floor, "VISIBLE", " WHERE x.tenant_id = %s AND %s > 0")
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="rows differ"):
        contract.check_list_rows(tenant_a.pk, office["world"].rm)


def test_list_page_check_notices_other_rows():
    link = '<a href="/t/x/complaints/{}/">'
    floor = "<caption>2 complaints</caption>" + link.format(1) + link.format(2)
    both = link.format(1) + link.format(1) + link.format(2)
    contract.check_list_page("x", "2 complaints " + both, floor)
    with pytest.raises(FloorMismatch):
        contract.check_list_page("x", "2 complaints " + link.format(2) + link.format(1), floor)
    with pytest.raises(FloorMismatch):
        contract.check_list_page("x", "3 complaints " + both, floor)


@pytest.mark.parametrize("which", ["top", "resolved", "waiting", "about"])
def test_complaint_page_floor_reads_the_pages_rows(client, tenant_a, office, which):
    world, complaint = office["world"], office[which]
    with tenant_context(tenant_a):
        contract.check_complaint_page(tenant_a.pk, world.it_manager, complaint.pk)
        rows = complaints_floor.complaint_page_rows(tenant_a.pk, world.it_manager.pk, complaint.pk)
    if which == "top":
        assert [e[2] for e in rows["escalations"]] == [2, 3]
        assert [m[3] for m in rows["messages"]] == [True, False]  # the note, then the reply
        assert {p[1] for p in rows["route"]} == {"relationship_manager", "it_manager", "steering"}
    if which == "waiting":
        assert rows["spans"][-1][2] is not None  # the clock stopped
    if which == "about":
        assert all(p[0] != world.rm.pk for p in rows["route"])
    client.force_login(world.it_manager.user)
    html = client.get(f"/t/tenant-a/floor/complaints/{complaint.pk}/").content.decode()
    assert complaint.reference in html


def test_complaint_page_check_notices_a_floor_without_the_internal_notes(
    tenant_a, office, monkeypatch
):
    real = complaints_floor.complaint_page_rows

    def raiser_view(tenant_id, member_id, pk):
        rows = real(tenant_id, member_id, pk)
        rows["messages"] = [m for m in rows["messages"] if not m[3]]
        return rows

    monkeypatch.setattr(contract, "complaint_page_rows", raiser_view)
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="messages"):
        contract.check_complaint_page(tenant_a.pk, office["world"].rm, office["top"].pk)


def test_the_complaint_about_the_rm_is_not_on_their_floor(client, tenant_a, office):
    world = office["world"]
    with tenant_context(tenant_a), pytest.raises(FloorMismatch, match="no complaint"):
        contract.check_complaint_page(tenant_a.pk, world.rm, office["about"].pk)
    client.force_login(world.rm.user)
    assert client.get(f"/t/tenant-a/floor/complaints/{office['about'].pk}/").status_code == 404


def test_complaint_floors_are_behind_the_same_sign_in(client, tenant_a, tenant_b, office):
    path = f"/t/tenant-a/floor/complaints/{office['top'].pk}/"
    assert client.get(path).status_code == 302  # to the sign-in page
    client.force_login(make_member(tenant_b, Role.ADMIN).user)
    assert client.get(path).status_code == 404  # not a member of this office
    assert client.get("/t/tenant-a/floor/complaints/").status_code == 404
