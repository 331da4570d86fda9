"""What a meeting's readers are shown and what calendars are sent when people, times and
organisers change back and forth: a purchaser never reads the customer's pending decisions on an
agenda; a meeting moved and moved back is reminded; someone invited again gets the event back."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from meetings import services
from meetings.models import Meeting
from tests.factories import ActionItemFactory
from tests.kit import in_tenant
from tests.meetings.conftest import monthly_review


def _one_off(world, *, contacts, days=5, **overrides):
    start = timezone.now() + timedelta(days=days)
    data = {
        "customer": world.customer,
        "title": "Payroll review",
        "kind": "other",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "organiser": world.rm,
    }
    data.update(overrides)
    return services.meeting_create(
        actor=world.rm.user, contacts=contacts, members=[world.rm], **data
    )


@pytest.mark.django_db
def test_a_purchaser_reads_no_pending_decision_of_the_customer_on_an_agenda(
    client, tenant_a, mworld
):
    with in_tenant(tenant_a):
        services.decision_create(
            actor=mworld.rm.user,
            customer=mworld.customer,
            title="SECRET board decision",
            kind="business",
            accountable_contact=mworld.bea,
        )
        ActionItemFactory(customer=mworld.customer, title="Board-only action")
        meeting = _one_off(mworld, contacts=[mworld.paul, mworld.bea])
        invitations = OutboxMessage.objects.filter(key__startswith=f"meeting-{meeting.pk}:")
        paul_mail = invitations.get(to=[mworld.paul.email])
        bea_mail = invitations.get(to=[mworld.bea.email])
    assert "SECRET board decision" in bea_mail.text
    assert "SECRET board decision" not in paul_mail.text
    assert "Board-only action" not in paul_mail.text
    client.force_login(mworld.purchaser.user)
    page = client.get(
        reverse("meetings:portal_meeting", kwargs={"tenant_slug": tenant_a.slug, "pk": meeting.pk})
    ).content.decode()
    assert "Payroll review" in page
    assert "SECRET board decision" not in page and "Board-only action" not in page
    client.force_login(mworld.business_manager.user)
    page = client.get(
        reverse("meetings:portal_meeting", kwargs={"tenant_slug": tenant_a.slug, "pk": meeting.pk})
    ).content.decode()
    assert "SECRET board decision" in page


@pytest.mark.usefixtures("as_tenant_a")
def test_a_meeting_moved_away_and_back_keeps_a_live_reminder_and_minutes_due_job(mworld):
    meeting = _one_off(mworld, contacts=[mworld.bea])
    start, end = meeting.starts_at, meeting.ends_at
    services.meeting_update(
        meeting=meeting,
        actor=mworld.rm.user,
        starts_at=start + timedelta(days=1),
        ends_at=end + timedelta(days=1),
    )
    services.meeting_update(meeting=meeting, actor=mworld.rm.user, starts_at=start, ends_at=end)
    live = DueJob.objects.filter(
        object_id=str(meeting.pk), status__in=[DueJob.QUEUED, DueJob.DISPATCHED]
    ).values_list("handler", flat=True)
    assert sorted(live) == ["meetings.minutes_due", "meetings.reminder"]


@pytest.mark.usefixtures("as_tenant_a")
def test_someone_dropped_and_added_back_on_a_cadence_is_sent_the_event_at_a_higher_sequence(mworld):
    cadence = monthly_review(mworld, starts_on=timezone.localdate() + timedelta(days=1))
    meeting = cadence.meetings.order_by("starts_at").first()
    services.cadence_update(cadence=cadence, actor=mworld.rm.user, contacts=[], members=[mworld.rm])
    services.cadence_update(
        cadence=cadence, actor=mworld.rm.user, contacts=[mworld.bea], members=[mworld.rm]
    )
    meeting.refresh_from_db()
    bea = meeting.attendees.get(contact=mworld.bea)
    assert bea.removed_at is None
    assert meeting.sequence >= 1
    assert OutboxMessage.objects.filter(
        key=f"meeting-{meeting.pk}:seq-{meeting.sequence}:attendee-{bea.pk}:request"
    ).exists()


@pytest.mark.usefixtures("as_tenant_a")
def test_a_new_organiser_is_a_change_calendars_hear_of(mworld):
    meeting = _one_off(mworld, contacts=[mworld.bea])
    services.meeting_update(meeting=meeting, actor=mworld.rm.user, organiser=mworld.it_manager)
    meeting.refresh_from_db()
    assert meeting.sequence == 1


@pytest.mark.usefixtures("as_tenant_a")
def test_a_proposed_item_changed_by_hand_is_not_overwritten_by_a_refresh(mworld):
    ActionItemFactory(customer=mworld.customer, title="Map the close")
    meeting = _one_off(mworld, contacts=[mworld.bea])
    item = meeting.agenda_items.get(title__contains="Map the close")
    services.agenda_item_update(item=item, actor=mworld.rm.user, notes="Bring the costed options")
    services.agenda_refresh(meeting)
    item.refresh_from_db()
    assert item.notes == "Bring the costed options" and item.edited


@pytest.mark.usefixtures("as_tenant_a")
def test_nobody_is_uninvited_from_a_meeting_that_was_held(mworld):
    meeting = _one_off(mworld, contacts=[mworld.bea])
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    services.meeting_mark_held(meeting=meeting, actor=mworld.rm.user)
    with pytest.raises(ValidationError, match="planned meeting only"):
        services.attendee_remove(
            attendee=meeting.attendees.get(contact=mworld.bea), actor=mworld.rm.user
        )


@pytest.mark.usefixtures("as_tenant_a")
def test_minutes_are_not_written_through_the_agenda_editor(mworld):
    meeting = _one_off(mworld, contacts=[mworld.bea])
    item = services.agenda_item_add(meeting=meeting, actor=mworld.rm.user, title="Budget")
    services.agenda_item_update(item=item, actor=mworld.rm.user, minutes="Too early")
    item.refresh_from_db()
    assert item.minutes == ""


@pytest.mark.usefixtures("as_tenant_a")
def test_a_cadence_starting_in_year_one_is_refused_with_a_message(mworld):
    from datetime import date

    with pytest.raises(ValidationError) as caught:
        monthly_review(mworld, starts_on=date(1, 1, 1), time_of_day=time(0, 5))
    assert "starts_on" in caught.value.message_dict


@pytest.mark.django_db
def test_a_meeting_on_a_date_of_year_one_re_renders_with_a_message(client, tenant_a, mworld):
    client.force_login(mworld.rm.user)
    answer = client.post(
        reverse("meetings:meeting_create", kwargs={"tenant_slug": tenant_a.slug}),
        {
            "customer": mworld.customer.pk,
            "kind": "other",
            "title": "Ancient",
            "day": "0001-01-01",
            "start_time": "00:05",
            "end_time": "01:00",
            "organiser": mworld.rm.pk,
        },
    )
    assert answer.status_code == 200
    assert "between 2000 and 2199" in answer.content.decode()
