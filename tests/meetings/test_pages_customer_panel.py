"""The customer page's meetings panel: the next meeting, the last review (held with published
minutes), the cadence adherence over the last 12 months and the missed cadences; and the
adherence selector behind it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import selectors, services
from meetings.models import MissedCadence
from tests.kit import in_tenant
from tests.meetings.conftest import monthly_review
from tests.meetings.pages import held, one_off, signed_in

pytestmark = pytest.mark.django_db


def _page(tenant, customer):
    return reverse(
        "customers:customer_detail", kwargs={"tenant_slug": tenant.slug, "pk": customer.pk}
    )


def _past_occurrences(mworld, n: int):
    """A monthly review started n+1 months ago: its occurrences so far, oldest first, made as
    the planner would have made them then."""
    tenant = mworld.customer.tenant_id
    with in_tenant(tenant):
        start = timezone.localdate() - timedelta(days=31 * (n + 1))
        cadence = monthly_review(mworld, starts_on=start, plan=False)
        now = timezone.now() - timedelta(days=31 * (n + 1))
        # Up to yesterday: an occurrence later today would be the next meeting, not a past one.
        yesterday = timezone.localdate() - timedelta(days=1)
        services.cadence_plan(cadence, until=yesterday, now=now)
        return cadence, list(
            cadence.meetings.filter(starts_at__lte=timezone.now()).order_by("starts_at")
        )


def _hold_with_minutes(mworld, meeting, publish=True):
    with in_tenant(mworld.customer.tenant_id):
        services.meeting_mark_held(meeting=meeting, actor=mworld.rm.user)
        services.minutes_save(meeting=meeting, actor=mworld.rm.user, summary="Reviewed.")
        if publish:
            services.minutes_publish(meeting=meeting, actor=mworld.rm.user)


def test_adherence_counts_the_occurrences_held_with_published_minutes_of_those_due(mworld):
    cadence, past = _past_occurrences(mworld, 4)
    assert len(past) >= 4
    _hold_with_minutes(mworld, past[0])
    _hold_with_minutes(mworld, past[1], publish=False)
    with in_tenant(mworld.customer.tenant_id):
        services.meeting_cancel(meeting=past[2], actor=mworld.rm.user, reason="Away")
        since = timezone.localdate() - timedelta(days=365)
        adherence = selectors.cadence_adherence(customer=mworld.customer, since=since)
    assert adherence == {
        "due": len(past),
        "kept": 1,
        "percent": round(100 / len(past)),
    }


def test_adherence_leaves_out_one_off_meetings_and_those_before_the_window(mworld):
    held(mworld)
    with in_tenant(mworld.customer.tenant_id):
        adherence = selectors.cadence_adherence(
            customer=mworld.customer, since=timezone.localdate()
        )
    assert adherence == {"due": 0, "kept": 0, "percent": None}


def test_the_panel_shows_the_next_meeting_the_last_review_and_the_adherence_line(
    client, tenant_a, mworld
):
    cadence, past = _past_occurrences(mworld, 2)
    _hold_with_minutes(mworld, past[-1])
    upcoming = one_off(mworld, days=3, title="Escalation ahead")
    with in_tenant(tenant_a):
        MissedCadence.objects.create(
            cadence=cadence,
            customer=mworld.customer,
            period_start=past[0].occurrence_date,
            period_end=past[0].occurrence_date + timedelta(days=27),
        )
    body = signed_in(client, mworld.rm).get(_page(tenant_a, mworld.customer)).content.decode()
    assert "Escalation ahead" in body
    local = timezone.localtime(upcoming.starts_at, tenant_a.zone)
    assert local.strftime("%Y-%m-%d %H:%M") in body
    assert f"1 of {len(past)} due meetings held with published minutes" in body
    assert past[0].occurrence_date.isoformat() in body
    assert past[-1].title in body


def test_the_panel_says_so_when_nothing_is_planned_or_held(client, tenant_a, mworld):
    body = signed_in(client, mworld.rm).get(_page(tenant_a, mworld.customer)).content.decode()
    assert "None planned" in body
    assert "None held with published minutes" in body
    assert "No cadence meeting was due in the last 12 months" in body
