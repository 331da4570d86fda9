"""A cancellation (METHOD:CANCEL) names the same UID with the raised SEQUENCE, says CANCELLED,
and is addressed to the attendees concerned only."""

from brm.calendar.ics import calendar_bytes

from .builders import ADA, an_event, read_ical, read_icalendar


def test_a_cancellation_keeps_the_uid_raises_the_sequence_and_says_cancelled():
    invitation = an_event(sequence=2)
    data = calendar_bytes([an_event(sequence=3)], "CANCEL")

    calendar = read_icalendar(data)
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.events
    assert str(event["UID"]) == invitation.uid
    assert event["SEQUENCE"] == 3 > invitation.sequence
    assert str(event["STATUS"]) == "CANCELLED"
    parsed = read_ical(data)
    assert parsed.method == "CANCEL"
    assert (parsed.events[0].uid, parsed.events[0].sequence) == (invitation.uid, 3)
    assert parsed.events[0].status == "CANCELLED"


def test_a_cancellation_says_cancelled_even_for_an_event_still_confirmed_in_its_record():
    data = calendar_bytes([an_event(sequence=1, status="CONFIRMED")], "CANCEL")

    assert str(read_icalendar(data).events[0]["STATUS"]) == "CANCELLED"


def test_a_cancellation_for_one_removed_attendee_names_only_that_attendee():
    data = calendar_bytes([an_event(sequence=1, attendees=[ADA])], "CANCEL")

    (event,) = read_icalendar(data).events
    assert [str(a) for a in event.attendees] == ["mailto:ada@finance.example.test"]
    assert [a.uri for a in read_ical(data).events[0].attendees] == [
        "mailto:ada@finance.example.test"
    ]
    assert str(event["ORGANIZER"]) == "mailto:rita@office.example.test"
