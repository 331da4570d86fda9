"""The agenda is built from the providers each area registers and refreshed until the meeting
starts; minutes are written, published once; action items from a meeting link back to it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from customers.models import ActionItem
from meetings import services
from meetings.models import Meeting, Minutes
from tests.factories import ActionItemFactory

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def one_off(world, *, days=2, **overrides):
    start = timezone.now() + timedelta(days=days)
    data = {
        "customer": world.customer,
        "title": "Escalation: payroll run",
        "kind": "escalation",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "organiser": world.rm,
    }
    data.update(overrides)
    return services.meeting_create(
        actor=world.rm.user, contacts=[world.bea], members=[world.rm], **data
    )


def test_the_agenda_takes_the_customers_open_action_items(mworld):
    ActionItemFactory(
        customer=mworld.customer,
        title="Map the close",
        due_date=timezone.localdate() - timedelta(days=2),
    )
    ActionItemFactory(customer=mworld.customer, title="Done already", status="done")
    meeting = one_off(mworld)
    titles = [i.title for i in meeting.agenda_items.all()]
    assert any("Map the close" in t for t in titles)
    assert not any("Done already" in t for t in titles)


def test_a_refresh_updates_proposals_and_keeps_hand_added_items(mworld):
    item = ActionItemFactory(customer=mworld.customer, title="Map the close")
    meeting = one_off(mworld)
    services.agenda_item_add(meeting=meeting, actor=mworld.rm.user, title="Budget 2027")
    item.status = "done"
    item.save()
    ActionItemFactory(customer=mworld.customer, title="Price the new ERP")
    services.agenda_refresh(meeting)
    items = {i.title: i for i in meeting.agenda_items.all()}
    assert "Budget 2027" in items
    assert any("Price the new ERP" in t for t in items)
    closed = next(i for t, i in items.items() if "Map the close" in t)
    assert closed.withdrawn


def test_no_refresh_once_the_meeting_has_started(mworld):
    meeting = one_off(mworld)
    ActionItemFactory(customer=mworld.customer, title="Late item")
    assert services.agenda_refresh(meeting, now=meeting.starts_at + timedelta(minutes=1)) == 0
    assert not any("Late item" in i.title for i in meeting.agenda_items.all())


def test_minutes_are_written_for_a_held_meeting_and_published_once(mworld):
    meeting = one_off(mworld)
    with pytest.raises(ValidationError):
        services.minutes_save(meeting=meeting, actor=mworld.rm.user, summary="Too early")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    meeting.refresh_from_db()
    services.meeting_mark_held(meeting=meeting, actor=mworld.rm.user)
    with pytest.raises(ValidationError, match="Write the minutes"):
        services.minutes_publish(meeting=meeting, actor=mworld.rm.user)
    services.minutes_save(meeting=meeting, actor=mworld.rm.user, summary="Agreed a fix by Friday.")
    minutes = services.minutes_publish(meeting=meeting, actor=mworld.rm.user)
    assert minutes.status == Minutes.Status.PUBLISHED and minutes.published_at
    with pytest.raises(ValidationError, match="already published"):
        services.minutes_publish(meeting=meeting, actor=mworld.rm.user)


def test_attendance_is_recorded_apart_from_the_invitation(mworld):
    meeting = one_off(mworld)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    meeting.refresh_from_db()
    bea = meeting.attendees.get(contact=mworld.bea)
    services.meeting_mark_held(
        meeting=meeting, actor=mworld.rm.user, attendance={bea.pk: "excused"}
    )
    bea.refresh_from_db()
    assert bea.attendance == "excused" and bea.removed_at is None


def test_a_meeting_is_not_held_before_it_starts(mworld):
    meeting = one_off(mworld)
    with pytest.raises(ValidationError, match="started"):
        services.meeting_mark_held(meeting=meeting, actor=mworld.rm.user)


def test_an_action_item_from_the_minutes_has_source_meeting_and_links_back(mworld):
    meeting = one_off(mworld)
    item = services.action_item_from_meeting(
        meeting=meeting, actor=mworld.rm.user, title="Send the fix plan", owner_member=mworld.rm
    )
    assert item.source == ActionItem.Source.MEETING
    assert item.meeting_link.meeting == meeting
    assert list(meeting.action_links.values_list("action_item", flat=True)) == [item.pk]


def test_removing_an_attendee_keeps_their_row_for_the_cancellation(mworld):
    meeting = one_off(mworld)
    bea = meeting.attendees.get(contact=mworld.bea)
    services.attendee_remove(attendee=bea, actor=mworld.rm.user)
    bea.refresh_from_db()
    assert bea.removed_at is not None
    services.attendees_add(meeting=meeting, actor=mworld.rm.user, contacts=[mworld.bea])
    bea.refresh_from_db()
    assert bea.removed_at is None


def test_an_attendee_is_a_contact_of_the_customer(mworld):
    from tests.factories import ContactFactory, CustomerFactory

    stranger = ContactFactory(
        customer=CustomerFactory(relationship_manager=mworld.rm), name="Stranger"
    )
    meeting = one_off(mworld)
    with pytest.raises(ValidationError):
        services.attendees_add(meeting=meeting, actor=mworld.rm.user, contacts=[stranger])
