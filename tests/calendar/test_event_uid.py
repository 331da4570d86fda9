"""A record's UID never changes: it names the office by its id, not its renameable slug."""

from django.test import override_settings

from brm.calendar.ics import event_uid


def test_the_uid_names_the_kind_the_record_and_the_office_under_the_configured_domain():
    with override_settings(BRM_CALENDAR_DOMAIN="brm.example.org"):
        assert event_uid(7, "meeting", 42) == "meeting-42@office-7.brm.example.org"


def test_the_same_record_gets_the_same_uid_every_time():
    assert event_uid(7, "meeting", 42) == event_uid(7, "meeting", "42")


def test_the_same_record_number_in_two_offices_or_two_kinds_gets_different_uids():
    uids = {event_uid(7, "meeting", 42), event_uid(8, "meeting", 42), event_uid(7, "window", 42)}

    assert len(uids) == 3


def test_an_explicit_domain_wins_over_the_setting():
    assert event_uid(1, "window", 3, "ops.example.org") == "window-3@office-1.ops.example.org"
