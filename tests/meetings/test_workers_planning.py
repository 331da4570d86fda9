"""The daily planning: at 06:00 office time every active cadence gets a job that plans its
occurrences up to the horizon (one a cadence a day), and the agendas of the coming week's
meetings are refreshed; each once, also when the jobs run again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.outbox.models import DueJob
from brm.outbox.services import daily_jobs_schedule
from meetings import services, tasks
from meetings.models import Cadence, Meeting
from tests.factories import ActionItemFactory
from tests.meetings.conftest import monthly_review
from tests.meetings.workers import jobs, local, office_today, run_due

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _plan_day(tenant):
    """Tomorrow's planning job of the office, scheduled by the tick and run at 06:00."""
    tomorrow = timezone.localdate(timezone.now(), tenant.zone) + timedelta(days=1)
    daily_jobs_schedule(now=local(tenant, tomorrow, 0, 5))
    (job,) = jobs(tasks.PLAN)
    assert job.due_at == local(tenant, tomorrow, 6)
    return tomorrow, job


def test_the_daily_job_gives_each_active_cadence_its_planning_job(tenant_a, mworld):
    active = monthly_review(mworld, starts_on=office_today() + timedelta(days=1))
    paused = monthly_review(
        mworld, starts_on=office_today() + timedelta(days=1), name="Initiative review"
    )
    services.cadence_pause(cadence=paused, actor=mworld.rm.user)
    tomorrow, job = _plan_day(tenant_a)

    assert run_due(tenant_a, job.due_at + timedelta(seconds=1), tasks.PLAN) == ["done"]

    planning = jobs(tasks.CADENCE_PLAN)
    assert [j.object_id for j in planning] == [str(active.pk)]
    assert planning[0].key == f"meetings.cadence-plan:{active.pk}:{tomorrow.isoformat()}"


def test_a_planning_job_plans_up_to_the_moved_horizon_once(tenant_a, mworld):
    cadence = monthly_review(mworld, starts_on=office_today() + timedelta(days=1))
    Cadence.objects.filter(pk=cadence.pk).update(planned_until=office_today())
    cadence.meetings.order_by("-starts_at").first().delete()  # as if not planned yet
    before = cadence.meetings.count()
    _tomorrow, job = _plan_day(tenant_a)
    run_due(tenant_a, job.due_at + timedelta(seconds=1), tasks.PLAN)

    (planning,) = jobs(tasks.CADENCE_PLAN)
    assert run_due(tenant_a, timezone.now(), tasks.CADENCE_PLAN) == ["done"]
    assert cadence.meetings.count() == before + 1
    tasks.cadence_plan(DueJob.objects.get(pk=planning.pk))  # run again: nothing more
    assert cadence.meetings.count() == before + 1
    cadence.refresh_from_db()
    assert cadence.planned_until == office_today() + timedelta(days=120)


def test_the_daily_job_refreshes_the_agenda_of_the_coming_week(tenant_a, mworld):
    start = timezone.now() + timedelta(days=3)
    soon = services.meeting_create(
        actor=mworld.rm.user,
        customer=mworld.customer,
        title="Escalation",
        kind="escalation",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        organiser=mworld.rm,
    )
    item = ActionItemFactory(customer=mworld.customer, title="Fix the payroll run")
    assert not soon.agenda_items.filter(title__contains=item.title).exists()

    _tomorrow, job = _plan_day(tenant_a)
    tasks.meetings_plan(job)

    assert soon.agenda_items.filter(title__contains=item.title).exists()
    assert Meeting.objects.get(pk=soon.pk).agenda_refreshed_at is not None
