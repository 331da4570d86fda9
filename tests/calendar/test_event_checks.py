"""An event that calendar clients would misread is refused where it is built."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from brm.calendar.ics import calendar_bytes

from .builders import ADA, BEFORE_DST, an_event


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        an_event(starts_at=datetime(2027, 3, 22, 10), ends_at=datetime(2027, 3, 22, 11))


def test_an_event_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end after"):
        an_event(ends_at=BEFORE_DST - timedelta(minutes=1))


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        an_event(time_zone="Mars/Olympus_Mons")


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status"):
        an_event(status="POSTPONED")


def test_an_attendee_without_a_valid_address_is_refused():
    with pytest.raises(ValueError, match="not an email address"):
        an_event(attendees=[ADA, replace(ADA, email="ada at finance")])


def test_an_invitation_carries_one_event():
    with pytest.raises(ValueError, match="one UID"):
        calendar_bytes([an_event(), an_event(uid="meeting-43@office-7.example")], "REQUEST")


def test_a_cancelled_event_is_not_sent_as_a_request():
    with pytest.raises(ValueError, match="CANCEL"):
        calendar_bytes([an_event(status="CANCELLED")], "REQUEST")


def test_an_invitation_without_attendees_is_refused():
    with pytest.raises(ValueError, match="attendees"):
        calendar_bytes([an_event(attendees=[])], "REQUEST")


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        calendar_bytes([an_event()], "REPLY")


def test_an_event_is_immutable_and_its_lists_are_tuples():
    event = an_event()

    assert isinstance(event.attendees, tuple) and isinstance(event.categories, tuple)
    with pytest.raises(AttributeError):
        event.sequence = 5
