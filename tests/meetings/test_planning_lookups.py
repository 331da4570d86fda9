"""Planning a cadence asks the agenda providers' shared questions once for all its occurrences
(the customer's agreement, its version in force and SLA lines), and a meeting just made is not
searched for attendees or agenda items it cannot have yet; outside planning every refresh asks
again."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion
from meetings import services
from tests.factories import ActionItemFactory, AgreementVersionFactory, SlaLineFactory
from tests.meetings.conftest import monthly_review

from .test_agenda_and_minutes import one_off

pytestmark = pytest.mark.usefixtures("as_tenant_a")

TEMPLATE = ["Welcome", "Service levels", "Any other business"]


def _agreement_in_force(customer) -> Agreement:
    version = AgreementVersionFactory(agreement__customer=customer, number=1)
    SlaLineFactory(version=version, position=1)
    AgreementVersion.objects.filter(pk=version.pk).update(
        status=AgreementVersion.Status.IN_FORCE,
        content_sha256="0" * 64,
        in_force_at=timezone.now() - datetime.timedelta(days=400),
    )
    Agreement.objects.filter(pk=version.agreement_id).update(
        review_due=timezone.localdate() + datetime.timedelta(days=300)
    )
    return version.agreement


def _reads(ctx, table: str) -> int:
    return sum(
        1
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and re.search(rf'FROM "{table}"', q["sql"])
    )


def _planned(mworld):
    cadence = monthly_review(
        mworld, starts_on=timezone.localdate() + datetime.timedelta(days=1), plan=False
    )
    with CaptureQueriesContext(connection) as ctx:
        made = services.cadence_plan(cadence)
    assert len(made) >= 3
    return made, ctx


def test_planning_looks_up_the_customers_agreement_once_for_all_occurrences(mworld):
    _agreement_in_force(mworld.customer)
    made, ctx = _planned(mworld)
    assert _reads(ctx, "agreements_agreement") == 1
    assert _reads(ctx, "agreements_agreementversion") == 1
    assert _reads(ctx, "agreements_slaline") == 1
    for meeting in made:  # and every occurrence still has both agreement items
        keys = set(meeting.agenda_items.values_list("source_key", flat=True))
        assert {"sla-results", "agreement-review"} <= keys


def test_a_meeting_just_planned_is_not_searched_for_attendees_or_agenda_items(mworld):
    made, ctx = _planned(mworld)
    # The invitations read each meeting's attendees and agenda once; nothing else does.
    assert _reads(ctx, "meetings_attendee") == len(made)
    assert _reads(ctx, "meetings_agendaitem") == len(made)


def test_a_planned_agenda_is_the_template_then_the_proposals_in_order(mworld):
    action = ActionItemFactory(customer=mworld.customer, title="Send the figures", status="open")
    _agreement_in_force(mworld.customer)
    made, _ctx = _planned(mworld)
    for meeting in made:
        items = list(meeting.agenda_items.order_by("position"))
        assert [i.position for i in items] == list(range(1, len(items) + 1))
        assert [i.title for i in items[:3]] == TEMPLATE
        assert all(i.source for i in items[3:])
        assert {f"action-item:{action.pk}", "sla-results", "agreement-review"} <= {
            i.source_key for i in items[3:]
        }
        assert len({(a.contact_id, a.member_id) for a in meeting.attendees.all()}) == 2


def test_a_refresh_outside_planning_sees_an_agreement_made_since(mworld):
    meeting = one_off(mworld, days=3)
    assert not meeting.agenda_items.filter(source_key="agreement-review").exists()
    _agreement_in_force(mworld.customer)
    services.agenda_refresh(meeting)
    assert meeting.agenda_items.filter(source_key="agreement-review").exists()
