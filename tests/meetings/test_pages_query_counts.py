"""The meetings pages read a fixed number of queries, whatever the number of meetings,
attendees, agenda items, decisions and cadences shown. Each number is the page's own reads on
top of the staff shell's (tests/kit.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import MissedCadence
from tests.factories import ActionItemFactory, ContactFactory
from tests.kit import assert_page_queries, in_tenant
from tests.meetings.conftest import monthly_review
from tests.meetings.pages import held, one_off, signed_in, url

pytestmark = pytest.mark.django_db

# The list: the customers and the organisers (filter choices), the count, the rows.
MEETING_LIST = 4
# Missed cadences: the customers (filter choices), the count, the rows.
MISSED_LIST = 3
# A meeting: the meeting (with its customer, organiser, cadence, minutes), the attendees, the
# agenda, the decisions, the action items, the history.
MEETING_PAGE = 6
# Cadences: the customers (filter choices), the count, the rows with their next meeting.
CADENCE_LIST = 3
# A cadence: the cadence with its next meeting, attendees, upcoming, past, missed, history.
CADENCE_PAGE = 6
# The decision log of a customer: the customer asked for, the customers (filter choices), the
# count, the rows.
DECISION_LOG = 4
# A decision: the decision, the history.
DECISION_PAGE = 2


def _more_meetings(mworld, n):
    for i in range(n):
        contact = ContactFactory(customer=mworld.customer, name=f"Guest {i}")
        meeting = one_off(mworld, days=3 + i, title=f"Meeting {i}")
        with in_tenant(mworld.customer.tenant_id):
            services.attendees_add(
                meeting=meeting, actor=mworld.rm.user, contacts=[contact], members=[mworld.steering]
            )
            services.agenda_item_add(meeting=meeting, actor=mworld.rm.user, title=f"Item {i}")


def _fill_meeting(mworld, meeting, n):
    with in_tenant(mworld.customer.tenant_id):
        for i in range(n):
            contact = ContactFactory(customer=mworld.customer, name=f"Guest {meeting.pk}-{i}")
            services.attendees_add(meeting=meeting, actor=mworld.rm.user, contacts=[contact])
            services.agenda_item_add(meeting=meeting, actor=mworld.rm.user, title=f"Item {i}")
            services.decision_create(
                actor=mworld.rm.user,
                customer=mworld.customer,
                meeting=meeting,
                title=f"Decision {i}",
                kind="it" if i % 2 else "business",
                accountable_member=mworld.it_manager if i % 2 else None,
                accountable_contact=None if i % 2 else mworld.bea,
            )
            services.action_item_from_meeting(
                meeting=meeting,
                actor=mworld.rm.user,
                title=f"Action {i}",
                owner_contact=contact if i % 2 else None,
                owner_member=None if i % 2 else mworld.rm,
            )
        ActionItemFactory(customer=mworld.customer)


def test_the_meetings_list_reads_a_fixed_number_of_queries(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    path = url(tenant_a, "meeting_list")
    _more_meetings(mworld, 2)
    assert_page_queries(client, path, own=MEETING_LIST)
    _more_meetings(mworld, 6)
    assert_page_queries(client, path, own=MEETING_LIST)
    assert_page_queries(client, f"{path}?view=mine&sort=-customer&q=Meet", own=MEETING_LIST)
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=timezone.localdate())
        for i in range(1, 8):
            day = timezone.localdate() - timedelta(days=30 * i)
            MissedCadence.objects.create(
                cadence=cadence, customer=mworld.customer, period_start=day, period_end=day
            )
    assert_page_queries(client, f"{path}?view=missed", own=MISSED_LIST)


def test_a_meeting_page_reads_a_fixed_number_of_queries(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    meeting = held(mworld)
    path = url(tenant_a, "meeting_detail", pk=meeting.pk)
    _fill_meeting(mworld, meeting, 2)
    assert_page_queries(client, path, own=MEETING_PAGE)
    _fill_meeting(mworld, meeting, 6)
    assert_page_queries(client, path, own=MEETING_PAGE)


def test_the_cadence_pages_read_a_fixed_number_of_queries(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=timezone.localdate())
    assert_page_queries(client, url(tenant_a, "cadence_list"), own=CADENCE_LIST)
    assert_page_queries(client, url(tenant_a, "cadence_detail", pk=cadence.pk), own=CADENCE_PAGE)
    with in_tenant(tenant_a):
        for i in range(5):
            monthly_review(
                mworld,
                starts_on=timezone.localdate() - timedelta(days=i),
                name=f"Review {i}",
                frequency="weekly",
                week_of_month=None,
            )
    assert_page_queries(client, url(tenant_a, "cadence_list"), own=CADENCE_LIST)
    assert_page_queries(client, url(tenant_a, "cadence_detail", pk=cadence.pk), own=CADENCE_PAGE)


def test_the_decision_pages_read_a_fixed_number_of_queries(client, tenant_a, mworld):
    signed_in(client, mworld.rm)
    meeting = held(mworld)
    _fill_meeting(mworld, meeting, 2)
    decision = in_tenant(tenant_a, lambda: meeting.decisions.first())
    log = url(tenant_a, "decision_log") + f"?customer={mworld.customer.pk}"
    assert_page_queries(client, log, own=DECISION_LOG)
    page = url(tenant_a, "decision_detail", pk=decision.pk)
    assert_page_queries(client, page, own=DECISION_PAGE)
    _fill_meeting(mworld, meeting, 6)
    assert_page_queries(client, log, own=DECISION_LOG)
    assert_page_queries(client, page, own=DECISION_PAGE)
