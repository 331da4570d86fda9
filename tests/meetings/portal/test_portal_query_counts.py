"""The portal's meetings pages read a fixed number of queries, whatever the number of meetings,
attendees, agenda items and decisions."""

import pytest
from django.urls import reverse

from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries
from tests.meetings.builders import business_decision, held, one_off

pytestmark = pytest.mark.django_db

# The list: the upcoming meetings, the count of the past ones and their page (each with its
# organiser and minutes joined).
MEETING_LIST = 3
# A meeting: the meeting (organiser and minutes joined), its decisions, attendees and agenda.
MEETING_PAGE = 4
# The decision log: the count and the page (meeting and accountable people joined).
DECISION_LIST = 2
# A decision, and its confirmation step: the decision with the same joins.
DECISION_PAGE = 1


def _url(name, tenant, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def test_the_meeting_list_reads_a_fixed_number_of_queries(client, tenant_a, mworld):
    client.force_login(mworld.business_manager.user)
    one_off(mworld)
    held(mworld)
    path = _url("portal_meeting_list", tenant_a)
    assert_page_queries(client, path, own=MEETING_LIST, shell=PORTAL_SHELL_QUERIES)
    for days in (5, 9, -3, -5):
        one_off(mworld, days=days, contacts=[mworld.bea, mworld.lina])
    held(mworld)
    assert_page_queries(client, path, own=MEETING_LIST, shell=PORTAL_SHELL_QUERIES)


def test_the_meeting_page_reads_a_fixed_number_of_queries(client, tenant_a, mworld):
    client.force_login(mworld.business_manager.user)
    meeting = held(mworld, contacts=[mworld.bea])
    business_decision(mworld, meeting)
    path = _url("portal_meeting", tenant_a, pk=meeting.pk)
    assert_page_queries(client, path, own=MEETING_PAGE, shell=PORTAL_SHELL_QUERIES)
    crowded = held(
        mworld,
        contacts=[mworld.bea, mworld.lina, mworld.paul, mworld.carl],
        agenda_template="One\nTwo\nThree\nFour\nFive",
    )
    for n in range(3):
        business_decision(mworld, crowded, title=f"Decision {n}")
    path = _url("portal_meeting", tenant_a, pk=crowded.pk)
    assert_page_queries(client, path, own=MEETING_PAGE, shell=PORTAL_SHELL_QUERIES)


def test_the_decision_pages_read_a_fixed_number_of_queries(client, tenant_a, mworld):
    client.force_login(mworld.business_manager.user)
    decision = business_decision(mworld, one_off(mworld))
    path = _url("portal_decision_list", tenant_a)
    assert_page_queries(client, path, own=DECISION_LIST, shell=PORTAL_SHELL_QUERIES)
    for n in range(4):
        business_decision(mworld, one_off(mworld), title=f"Decision {n}", contact=mworld.lina)
    assert_page_queries(client, path, own=DECISION_LIST, shell=PORTAL_SHELL_QUERIES)
    for name in ("portal_decision", "portal_decision_approve", "portal_decision_reject"):
        path = _url(name, tenant_a, pk=decision.pk)
        assert_page_queries(client, path, own=DECISION_PAGE, shell=PORTAL_SHELL_QUERIES)
