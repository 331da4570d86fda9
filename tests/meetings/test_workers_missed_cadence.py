"""Missed cadence: when a cadence's period (an occurrence's date to the day before the next)
passes without a meeting of it held with published minutes, a MissedCadence is recorded once
per cadence and period and the customer's RM is alerted once. Held with published minutes keeps
the promise; cancelled, not held, or held without minutes is missed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob
from meetings import recurrence, services, tasks
from meetings.models import MissedCadence
from meetings.notifications import MISSED_CHECK
from tests.meetings.conftest import monthly_review
from tests.meetings.workers import held_in_the_past, jobs, local, mails, run_due

pytestmark = pytest.mark.usefixtures("as_tenant_a")


@pytest.fixture
def cadence(mworld):
    return monthly_review(mworld, starts_on=timezone.localdate() + timedelta(days=1))


def _first(cadence):
    meeting = cadence.meetings.order_by("starts_at").first()
    (job,) = jobs(MISSED_CHECK, payload__period_start=meeting.occurrence_date.isoformat())
    return meeting, job


def _check(tenant, job) -> list[str]:
    return run_due(tenant, job.due_at + timedelta(seconds=1), MISSED_CHECK)


def test_the_check_is_due_the_day_after_the_period_at_nine_office_time(tenant_a, cadence):
    meeting, job = _first(cadence)
    start, end = recurrence.period_of(
        recurrence.Rule.of(cadence), start=cadence.starts_on, day=meeting.occurrence_date
    )
    second = cadence.meetings.order_by("starts_at")[1]
    assert (start, end) == (meeting.occurrence_date, second.occurrence_date - timedelta(days=1))
    assert job.payload == {"period_start": start.isoformat(), "period_end": end.isoformat()}
    assert job.due_at == local(tenant_a, end + timedelta(days=1), 9)


def test_every_planned_occurrence_has_its_check(cadence):
    dates = sorted(m.occurrence_date.isoformat() for m in cadence.meetings.all())
    assert sorted(j.payload["period_start"] for j in jobs(MISSED_CHECK)) == dates


def test_a_meeting_held_with_published_minutes_keeps_the_cadence(tenant_a, mworld, cadence):
    meeting, job = _first(cadence)
    held_in_the_past(mworld, meeting, minutes="Service levels met; no escalations.")
    assert _check(tenant_a, job) == ["done"]
    assert not MissedCadence.objects.exists()
    assert mails("meetings-missed-cadence:") == []


def test_a_cancelled_meeting_is_a_missed_cadence_and_the_rm_is_alerted(tenant_a, mworld, cadence):
    meeting, job = _first(cadence)
    services.meeting_cancel(meeting=meeting, actor=mworld.rm.user, reason="Year-end close")
    _check(tenant_a, job)

    (missed,) = MissedCadence.objects.all()
    assert (missed.cadence, missed.customer) == (cadence, mworld.customer)
    assert missed.period_start.isoformat() == job.payload["period_start"]
    assert missed.period_end.isoformat() == job.payload["period_end"]
    (mail,) = mails("meetings-missed-cadence:")
    assert mail.to == [mworld.rm.user.email]
    assert mail.subject == "Missed: Monthly service review with Finance"
    assert "cancelled" in mail.text and "plan a new date" in mail.text


def test_a_meeting_held_without_published_minutes_is_missed(tenant_a, mworld, cadence):
    meeting, job = _first(cadence)
    held_in_the_past(mworld, meeting)
    services.minutes_save(meeting=meeting, actor=mworld.rm.user, summary="Draft only")
    _check(tenant_a, job)
    assert MissedCadence.objects.count() == 1
    (mail,) = mails("meetings-missed-cadence:")
    assert "held, minutes not published" in mail.text


def test_a_meeting_never_marked_held_is_missed(tenant_a, mworld, cadence):
    _meeting, job = _first(cadence)
    _check(tenant_a, job)
    assert MissedCadence.objects.count() == 1


def test_the_missed_period_is_recorded_and_alerted_once_when_the_check_runs_again(
    tenant_a, mworld, cadence
):
    _meeting, job = _first(cadence)
    _check(tenant_a, job)
    tasks.missed_cadence_check(DueJob.objects.get(pk=job.pk))
    tasks.missed_cadence_check(DueJob.objects.get(pk=job.pk))
    assert MissedCadence.objects.count() == 1
    assert len(mails("meetings-missed-cadence:")) == 1


def test_a_paused_cadence_promises_nothing(tenant_a, mworld, cadence):
    _meeting, job = _first(cadence)
    services.cadence_pause(cadence=cadence, actor=mworld.rm.user)
    _check(tenant_a, job)
    assert not MissedCadence.objects.exists()


def test_a_period_the_changed_rule_no_longer_has_is_not_checked(tenant_a, mworld, cadence):
    _meeting, job = _first(cadence)
    services.cadence_update(cadence=cadence, actor=mworld.rm.user, week_of_month=3)
    _check(tenant_a, job)
    assert not MissedCadence.objects.filter(period_start=job.payload["period_start"]).exists()
