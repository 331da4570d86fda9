"""The meetings API reads a fixed number of queries per list and per record, whatever the
number of rows, attendees and agenda items."""

from datetime import date, timedelta

import pytest

from tests.kit import api_client, assert_api_queries, in_tenant
from tests.meetings.builders import business_decision, held, one_off
from tests.meetings.conftest import monthly_review

pytestmark = pytest.mark.django_db

# Lists: the count and the page of rows (cadences: and their attendees, prefetched).
MEETING_LIST = 2
DECISION_LIST = 2
CADENCE_LIST = 3
# A meeting (its minutes joined), its attendees and its agenda.
MEETING = 3
CADENCE = 2
DECISION = 1


def test_the_lists_read_a_fixed_number_of_queries(tenant_a, mworld):
    api = api_client(tenant_a, "read")
    with in_tenant(tenant_a):
        monthly_review(mworld, starts_on=date.today() + timedelta(days=1))
    business_decision(mworld, one_off(mworld))
    assert_api_queries(api, "/api/v1/meetings/", own=MEETING_LIST)
    assert_api_queries(api, "/api/v1/decisions/", own=DECISION_LIST)
    assert_api_queries(api, "/api/v1/cadences/", own=CADENCE_LIST)
    with in_tenant(tenant_a):
        monthly_review(mworld, starts_on=date.today() + timedelta(days=2), name="Second")
    for n in range(3):
        business_decision(mworld, held(mworld), title=f"Decision {n}")
    assert_api_queries(api, "/api/v1/meetings/", own=MEETING_LIST)
    assert_api_queries(api, "/api/v1/decisions/", own=DECISION_LIST)
    assert_api_queries(api, "/api/v1/cadences/", own=CADENCE_LIST)
    assert_api_queries(api, "/api/v1/meetings/?status=held&ordering=-starts_at", own=MEETING_LIST)


def test_a_record_reads_a_fixed_number_of_queries(tenant_a, mworld):
    api = api_client(tenant_a, "read")
    small = held(mworld)
    crowded = held(
        mworld,
        contacts=[mworld.bea, mworld.lina, mworld.carl],
        agenda_template="One\nTwo\nThree\nFour",
    )
    for meeting in (small, crowded):
        assert_api_queries(api, f"/api/v1/meetings/{meeting.pk}/", own=MEETING)
    with in_tenant(tenant_a):
        cadence = monthly_review(mworld, starts_on=date.today() + timedelta(days=1))
    assert_api_queries(api, f"/api/v1/cadences/{cadence.pk}/", own=CADENCE)
    decision = business_decision(mworld, small)
    assert_api_queries(api, f"/api/v1/decisions/{decision.pk}/", own=DECISION)
