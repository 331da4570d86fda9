"""The meetings list and a meeting's page: tabs and filters, times in office time, moving,
cancelling after a confirmation, attendees, the agenda, attendance, minutes and what is made
from the meeting."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from customers.models import ActionItem
from meetings import services
from meetings.models import AgendaItem, Attendee, Decision, Meeting, MeetingAction, Minutes
from tests.kit import assert_audited, in_tenant, refreshed
from tests.meetings.pages import held, one_off, signed_in, url

pytestmark = pytest.mark.django_db


def test_the_list_shows_upcoming_meetings_in_office_time_with_the_zones_name(
    client, tenant_a, mworld
):
    one_off(mworld, title="Budget escalation")
    page = signed_in(client, mworld.rm).get(url(tenant_a, "meeting_list")).content.decode()
    assert "Budget escalation" in page
    assert "Times in Europe/Amsterdam" in page


def test_the_held_tab_shows_held_meetings_and_not_the_upcoming_ones(client, tenant_a, mworld):
    held(mworld, title="Review that happened")
    one_off(mworld, title="Review to come")
    page = signed_in(client, mworld.rm).get(url(tenant_a, "meeting_list") + "?view=held")
    body = page.content.decode()
    assert "Review that happened" in body and "Review to come" not in body


def test_mine_lists_the_meetings_a_member_organises_or_is_invited_to(client, tenant_a, mworld):
    one_off(mworld, title="The RM meeting")
    one_off(mworld, title="The IT manager meeting", organiser=mworld.it_manager)
    body = signed_in(client, mworld.it_manager).get(url(tenant_a, "meeting_list") + "?view=mine")
    text = body.content.decode()
    assert "The IT manager meeting" in text and "The RM meeting" not in text


def test_the_list_filters_by_date_range_and_says_when_nothing_matches(client, tenant_a, mworld):
    one_off(mworld, days=3, title="Soon")
    one_off(mworld, days=40, title="Later")
    signed_in(client, mworld.rm)
    soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    text = client.get(url(tenant_a, "meeting_list"), {"date_to": soon}).content.decode()
    assert "Soon" in text and "Later" not in text
    past = date(2001, 1, 1).isoformat()
    text = client.get(url(tenant_a, "meeting_list"), {"date_to": past}).content.decode()
    assert "Nothing matches these filters." in text


def test_an_end_of_range_before_its_start_is_refused_with_a_message(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    answer = client.get(
        url(tenant_a, "meeting_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert answer.status_code == 200
    assert "The end of the range is on or after its start." in answer.content.decode()


def test_the_missed_tab_says_so_when_no_cadence_was_missed(client, tenant_a, mworld):
    text = signed_in(client, mworld.rm).get(url(tenant_a, "meeting_list") + "?view=missed")
    assert "No missed cadences" in text.content.decode()


def test_the_meeting_page_shows_the_time_in_the_offices_zone_and_the_attendees(
    client, tenant_a, mworld
):
    meeting = one_off(mworld)
    local = timezone.localtime(meeting.starts_at, tenant_a.zone)
    text = signed_in(client, mworld.rm).get(url(tenant_a, "meeting_detail", pk=meeting.pk))
    body = text.content.decode()
    assert local.strftime("%H:%M") in body and "(Europe/Amsterdam)" in body
    assert mworld.bea.name in body
    assert "Sequence 0" in body


def test_a_one_off_meeting_is_planned_in_office_time(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    day = timezone.localdate() + timedelta(days=5)
    answer = client.post(
        url(tenant_a, "meeting_create"),
        {
            "customer": mworld.customer.pk,
            "kind": "major_event",
            "title": "Major incident review",
            "day": day.isoformat(),
            "start_time": "10:00",
            "end_time": "11:30",
            "organiser": mworld.rm.pk,
            "contacts": [mworld.bea.pk],
            "members": [mworld.rm.pk],
        },
    )
    assert answer.status_code == 302
    meeting = in_tenant(tenant_a, lambda: Meeting.objects.get(title="Major incident review"))
    starts = timezone.localtime(meeting.starts_at, tenant_a.zone)
    assert (starts.date(), starts.time()) == (day, time(10))
    assert (meeting.ends_at - meeting.starts_at) == timedelta(minutes=90)
    assert in_tenant(tenant_a, lambda: meeting.attendees.count()) == 2


def test_a_meeting_that_ends_before_it_starts_re_renders_with_a_message(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    answer = client.post(
        url(tenant_a, "meeting_create"),
        {
            "customer": mworld.customer.pk,
            "kind": "other",
            "title": "Backwards",
            "day": "2027-03-01",
            "start_time": "11:00",
            "end_time": "10:00",
            "organiser": mworld.rm.pk,
        },
    )
    assert answer.status_code == 200
    assert "A meeting ends after it starts" in answer.content.decode()
    assert not in_tenant(tenant_a, lambda: Meeting.objects.filter(title="Backwards").exists())


def test_another_customers_contact_is_refused_as_an_attendee(client, tenant_a, mworld):
    from tests.factories import ContactFactory, CustomerFactory

    other = ContactFactory(
        customer=CustomerFactory(tenant=tenant_a, name="Sales", relationship_manager=mworld.rm),
        name="Sam",
    )
    signed_in(client, mworld.rm)
    answer = client.post(
        url(tenant_a, "meeting_create"),
        {
            "customer": mworld.customer.pk,
            "kind": "other",
            "title": "Mixed",
            "day": "2027-03-01",
            "start_time": "10:00",
            "end_time": "11:00",
            "organiser": mworld.rm.pk,
            "contacts": [other.pk],
        },
    )
    assert answer.status_code == 200
    assert "Sam is not a contact of" in answer.content.decode()


def test_moving_a_meeting_raises_its_sequence(client, tenant_a, mworld):
    meeting = one_off(mworld)
    local = timezone.localtime(meeting.starts_at, tenant_a.zone)
    answer = signed_in(client, mworld.rm).post(
        url(tenant_a, "meeting_edit", pk=meeting.pk),
        {
            "title": meeting.title,
            "day": (local.date() + timedelta(days=1)).isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "location": "Room 4",
            "organiser": mworld.rm.pk,
        },
    )
    assert answer.status_code == 302
    meeting = refreshed(meeting)
    assert meeting.sequence == 1 and meeting.location == "Room 4"
    assert timezone.localtime(meeting.starts_at, tenant_a.zone).time() == time(14)


def test_cancelling_asks_first_and_needs_a_reason(client, tenant_a, mworld):
    meeting = one_off(mworld)
    signed_in(client, mworld.rm)
    path = url(tenant_a, "meeting_cancel", pk=meeting.pk)
    assert "cannot be undone" in client.get(path).content.decode()
    assert refreshed(meeting).status == Meeting.Status.PLANNED
    answer = client.post(path, {"reason": ""})
    assert answer.status_code == 200 and "This field is required." in answer.content.decode()
    assert refreshed(meeting).status == Meeting.Status.PLANNED
    assert client.post(path, {"reason": "The CFO is away"}).status_code == 302
    meeting = refreshed(meeting)
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.cancel_reason == "The CFO is away"
    assert_audited(tenant_a, "meeting.cancelled", obj=meeting, actor=mworld.rm.user)


def test_a_held_meeting_offers_no_cancellation(client, tenant_a, mworld):
    meeting = held(mworld)
    signed_in(client, mworld.rm)
    page = client.get(url(tenant_a, "meeting_cancel", pk=meeting.pk)).content.decode()
    assert "Only a planned meeting can be cancelled." in page
    client.post(url(tenant_a, "meeting_cancel", pk=meeting.pk), {"reason": "x"})
    assert refreshed(meeting).status == Meeting.Status.HELD


def test_removing_an_attendee_asks_first_and_keeps_them_struck_through(client, tenant_a, mworld):
    meeting = one_off(mworld)
    bea = in_tenant(tenant_a, lambda: meeting.attendees.get(contact=mworld.bea))
    signed_in(client, mworld.rm)
    path = url(tenant_a, "attendee_remove", pk=bea.pk)
    assert "gets a cancellation" in client.get(path).content.decode()
    assert refreshed(bea).removed_at is None
    assert client.post(path).status_code == 302
    assert refreshed(bea).removed_at is not None
    page = client.get(url(tenant_a, "meeting_detail", pk=meeting.pk)).content.decode()
    assert f"<del>{mworld.bea.name}</del>" in page and "removed" in page


def test_inviting_more_people_adds_them_and_nobody_chosen_is_a_message(client, tenant_a, mworld):
    meeting = one_off(mworld)
    signed_in(client, mworld.rm)
    path = url(tenant_a, "attendees_add", pk=meeting.pk)
    answer = client.post(path, {})
    assert "Choose at least one person to invite." in answer.content.decode()
    assert client.post(path, {"contacts": [mworld.lina.pk]}).status_code == 302
    assert in_tenant(tenant_a, lambda: meeting.attendees.filter(contact=mworld.lina).exists())


def test_the_agenda_marks_proposals_and_strikes_withdrawn_ones(client, tenant_a, mworld):
    from tests.factories import ActionItemFactory

    action = ActionItemFactory(customer=mworld.customer, title="Map the close")
    meeting = one_off(mworld)
    with in_tenant(tenant_a):
        action.status = "done"
        action.save()
        services.agenda_refresh(meeting)
    page = signed_in(client, mworld.rm).get(url(tenant_a, "meeting_detail", pk=meeting.pk))
    body = page.content.decode()
    assert "proposed" in body
    assert "<del>Open action: Map the close</del>" in body
    assert "withdrawn: no longer proposed" in body


def test_agenda_items_are_added_edited_and_deleted_after_a_confirmation(client, tenant_a, mworld):
    meeting = one_off(mworld)
    signed_in(client, mworld.rm)
    answer = client.post(url(tenant_a, "agenda_item_add", pk=meeting.pk), {"title": ""})
    assert answer.status_code == 200 and "This field is required." in answer.content.decode()
    client.post(url(tenant_a, "agenda_item_add", pk=meeting.pk), {"title": "Budget 2027"})
    item = in_tenant(tenant_a, lambda: AgendaItem.objects.get(title="Budget 2027"))
    client.post(
        url(tenant_a, "agenda_item_edit", pk=item.pk),
        {"title": "Budget 2027 and 2028", "presenter": "Bea", "position": 0},
    )
    item = refreshed(item)
    assert (item.title, item.presenter, item.position) == ("Budget 2027 and 2028", "Bea", 0)
    delete = url(tenant_a, "agenda_item_delete", pk=item.pk)
    assert "cannot be undone" in client.get(delete).content.decode()
    client.post(delete)
    assert not in_tenant(tenant_a, lambda: AgendaItem.objects.filter(pk=item.pk).exists())


def test_marking_held_records_attendance_apart_from_the_invitation(client, tenant_a, mworld):
    meeting = one_off(mworld, days=-0.1)
    attendees = in_tenant(tenant_a, lambda: {a.contact_id: a for a in meeting.attendees.all()})
    bea, rm = attendees[mworld.bea.pk], attendees[None]
    signed_in(client, mworld.rm)
    answer = client.post(
        url(tenant_a, "meeting_held", pk=meeting.pk),
        {f"attendee_{bea.pk}": "excused", f"attendee_{rm.pk}": "attended"},
    )
    assert answer.status_code == 302
    assert refreshed(meeting).status == Meeting.Status.HELD
    assert refreshed(bea).attendance == Attendee.Attendance.EXCUSED
    assert refreshed(rm).attendance == Attendee.Attendance.ATTENDED
    assert refreshed(bea).removed_at is None


def test_a_meeting_ahead_cannot_be_marked_held(client, tenant_a, mworld):
    meeting = one_off(mworld)
    answer = signed_in(client, mworld.rm).post(url(tenant_a, "meeting_held", pk=meeting.pk), {})
    assert answer.status_code == 200
    assert "A meeting is held once it has started." in answer.content.decode()
    assert refreshed(meeting).status == Meeting.Status.PLANNED


def test_minutes_are_saved_as_a_draft_then_published_after_a_confirmation(client, tenant_a, mworld):
    meeting = held(mworld)
    item = in_tenant(
        tenant_a,
        lambda: services.agenda_item_add(meeting=meeting, actor=mworld.rm.user, title="Budget"),
    )
    signed_in(client, mworld.rm)
    client.post(
        url(tenant_a, "minutes_edit", pk=meeting.pk),
        {"summary": "Agreed the budget.", f"item_{item.pk}": "Up 3 %."},
    )
    minutes = in_tenant(tenant_a, lambda: Minutes.objects.get(meeting=meeting))
    assert (minutes.status, minutes.summary) == (Minutes.Status.DRAFT, "Agreed the budget.")
    assert refreshed(item).minutes == "Up 3 %."
    publish = url(tenant_a, "minutes_publish", pk=meeting.pk)
    assert "emailed" in client.get(publish).content.decode()
    assert refreshed(minutes).status == Minutes.Status.DRAFT
    client.post(publish)
    assert refreshed(minutes).status == Minutes.Status.PUBLISHED
    page = client.get(url(tenant_a, "meeting_detail", pk=meeting.pk)).content.decode()
    assert "Agreed the budget." in page and "Up 3 %." in page


def test_empty_minutes_are_not_published_and_the_page_says_why(client, tenant_a, mworld):
    meeting = held(mworld)
    signed_in(client, mworld.rm)
    answer = client.post(url(tenant_a, "minutes_publish", pk=meeting.pk), follow=True)
    assert "Write the minutes before publishing them." in answer.content.decode()
    minutes = in_tenant(tenant_a, lambda: Minutes.objects.get(meeting=meeting))
    assert minutes.status == Minutes.Status.DRAFT


def test_minutes_of_a_meeting_not_held_are_refused_on_the_form(client, tenant_a, mworld):
    meeting = one_off(mworld)
    answer = signed_in(client, mworld.rm).post(
        url(tenant_a, "minutes_edit", pk=meeting.pk), {"summary": "Too early"}
    )
    assert answer.status_code == 200
    assert "Minutes are written for a held meeting." in answer.content.decode()


def test_the_business_accountable_choices_are_the_contacts_with_the_budget_mandate(
    client, tenant_a, mworld
):
    meeting = held(mworld)
    page = signed_in(client, mworld.rm).get(url(tenant_a, "decision_create", pk=meeting.pk))
    body = page.content.decode()
    assert mworld.bea.name in body and mworld.lina.name in body
    assert mworld.paul.name not in body and mworld.carl.name not in body


def test_a_decision_is_recorded_in_the_meeting_with_its_accountable_person(
    client, tenant_a, mworld
):
    meeting = held(mworld)
    signed_in(client, mworld.rm)
    path = url(tenant_a, "decision_create", pk=meeting.pk)
    answer = client.post(path, {"kind": "business", "title": "Move payroll"})
    assert "Name the accountable business contact." in answer.content.decode()
    answer = client.post(
        path, {"kind": "business", "title": "Move payroll", "accountable_contact": mworld.carl.pk}
    )
    assert answer.status_code == 200  # Carl has no mandate: not among the choices
    answer = client.post(
        path, {"kind": "business", "title": "Move payroll", "accountable_contact": mworld.bea.pk}
    )
    assert answer.status_code == 302
    decision = in_tenant(tenant_a, lambda: Decision.objects.get(title="Move payroll"))
    assert (decision.meeting_id, decision.accountable_contact_id) == (meeting.pk, mworld.bea.pk)


def test_an_action_item_made_from_the_meeting_links_back_to_it(client, tenant_a, mworld):
    meeting = held(mworld)
    signed_in(client, mworld.rm)
    path = url(tenant_a, "action_item_create", pk=meeting.pk)
    answer = client.post(
        path,
        {"title": "Send the plan", "owner_member": mworld.rm.pk, "owner_contact": mworld.bea.pk},
    )
    assert "not both" in answer.content.decode()
    client.post(path, {"title": "Send the plan", "owner_contact": mworld.bea.pk})
    item = in_tenant(tenant_a, lambda: ActionItem.objects.get(title="Send the plan"))
    assert item.source == ActionItem.Source.MEETING
    assert in_tenant(tenant_a, lambda: MeetingAction.objects.get(action_item=item).meeting_id)
    page = client.get(url(tenant_a, "meeting_detail", pk=meeting.pk)).content.decode()
    assert "Send the plan" in page


def test_read_only_staff_see_the_meeting_without_write_buttons(client, tenant_a, mworld):
    meeting = one_off(mworld)
    page = signed_in(client, mworld.steering).get(url(tenant_a, "meeting_detail", pk=meeting.pk))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Cancel the meeting" not in body and "Invite people" not in body
