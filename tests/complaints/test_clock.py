"""The clock as due jobs: warnings at 75 %, the breach at 100 %, escalation on a breached resolve
target with the new level's own target, due times that move when the clock stops, all in the
office's business hours (across a daylight-saving change and a holiday) and each exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from brm.hours.models import Holiday
from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run, scheduled_work_sweep
from brm.tenancy.context import tenant_context
from complaints import services
from complaints.clock import CLOCK_JOB
from complaints.models import ComplaintEvent, Escalation
from tests.complaints.conftest import local, mails, make_world, receive, refetch, run_due, working
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)

# Friday 26 March 2027, 15:00 CET. The clocks go forward on Sunday the 28th; Monday the 29th is
# Easter Monday, a holiday of the office.
FRIDAY = local(2027, 3, 26, 15)


@pytest.fixture
def easter(world):
    Holiday.objects.create(date=local(2027, 3, 29).date(), name="Easter Monday")


def _jobs(complaint, **filters):
    return list(
        DueJob.objects.filter(handler=CLOCK_JOB, object_id=str(complaint.pk), **filters).order_by(
            "due_at", "pk"
        )
    )


def _events(complaint, kind):
    return list(ComplaintEvent.objects.filter(complaint=complaint, kind=kind))


@pytest.mark.usefixtures("as_tenant_a")
class TestDueTimes:
    def test_a_16_hour_target_from_friday_afternoon_crosses_the_dst_change_and_the_holiday(
        self, world, easter, clock
    ):
        clock.set(FRIDAY)
        complaint = receive(world, severity="critical")
        assert complaint.acknowledge_due_at == local(2027, 3, 26, 17)
        # Friday 2 h, Tuesday 8 h (Monday is a holiday), Wednesday 6 h: 15:00 CEST.
        assert complaint.resolve_due_at == local(2027, 3, 31, 15)
        assert complaint.resolve_due_at.utcoffset() == timedelta(hours=2)

    def test_a_pause_moves_the_due_times_by_the_business_time_it_lasted(self, world, easter, clock):
        clock.set(FRIDAY)
        complaint = working(world, receive(world, severity="critical"))
        clock.set(local(2027, 3, 30, 10))
        services.complaint_wait_on_raiser(complaint=complaint, actor=world.rm, question="Who?")
        clock.set(local(2027, 3, 30, 14))
        services.complaint_message_add(
            complaint=complaint, actor=world.business_manager, body="Everyone"
        )
        complaint = refetch(complaint)
        # 3 h used before the pause; 13 h from Tuesday 14:00: Tuesday 3, Wednesday 8, Thursday 2.
        assert complaint.resolve_due_at == local(2027, 4, 1, 11)
        dues = {j.due_at for j in _jobs(complaint, status="queued", key__contains=":resolve:")}
        # The old jobs (before the pause) wait to find nothing; the new ones: the warning at
        # 12 h (75 % of 16) and the breach.
        assert dues == {
            local(2027, 3, 31, 11),
            local(2027, 3, 31, 15),
            local(2027, 4, 1, 11),
        }

    def test_the_clock_shows_the_time_left_in_business_hours_also_while_paused(
        self, world, easter, clock
    ):
        from complaints.selectors import complaint_clock

        clock.set(FRIDAY)
        complaint = working(world, receive(world, severity="critical"))
        clock.set(local(2027, 3, 30, 10))
        services.complaint_wait_on_raiser(complaint=complaint, actor=world.rm, question="Who?")
        state = complaint_clock(refetch(complaint), now=local(2027, 4, 2, 12))
        assert not state.running and state.resolve.due_at is None
        assert state.resolve.used == timedelta(hours=3)
        assert state.resolve.left == timedelta(hours=13)
        assert state.acknowledge.met_at == FRIDAY


@pytest.mark.usefixtures("as_tenant_a")
class TestMarks:
    def test_the_owner_is_warned_at_75_percent_of_the_time_to_acknowledge_once(
        self, tenant_a, world, clock
    ):
        clock.set(local(2027, 3, 2, 9))
        complaint = receive(world, severity="critical")  # 2 h to acknowledge
        run_due(tenant_a, local(2027, 3, 2, 10, 29))
        assert mails("complaint-warning:") == []
        run_due(tenant_a, local(2027, 3, 2, 10, 31))
        run_due(tenant_a, local(2027, 3, 2, 10, 45))
        (mail,) = mails(f"complaint-warning:{complaint.pk}:acknowledge:")
        assert mail.to == [world.rm.user.email]
        assert refetch(complaint).acknowledge_warned_at == local(2027, 3, 2, 10, 30)

    def test_a_missed_acknowledgement_is_marked_breached_once_and_the_owner_told(
        self, tenant_a, world, clock
    ):
        clock.set(local(2027, 3, 2, 9))
        complaint = receive(world, severity="critical")
        run_due(tenant_a, local(2027, 3, 2, 12))
        run_due(tenant_a, local(2027, 3, 2, 13))
        complaint = refetch(complaint)
        assert complaint.acknowledge_breached and not complaint.resolve_breached
        assert len(_events(complaint, "breached")) == 1
        assert len(mails(f"complaint-breach:{complaint.pk}:acknowledge:")) == 1

    def test_an_acknowledgement_in_time_stops_its_clock(self, tenant_a, world, clock):
        clock.set(local(2027, 3, 2, 9))
        complaint = working(world, receive(world, severity="critical"))
        run_due(tenant_a, local(2027, 3, 2, 12))
        assert not refetch(complaint).acknowledge_breached
        assert mails("complaint-warning:") == []

    def test_a_breached_resolve_target_escalates_one_level_with_a_new_target(
        self, tenant_a, world, clock
    ):
        clock.set(local(2027, 3, 2, 9))
        complaint = working(world, receive(world, severity="critical"))
        run_due(tenant_a, local(2027, 3, 3, 17, 1))  # 16 h: Wednesday 17:00
        complaint = refetch(complaint)
        assert complaint.resolve_breached and complaint.level == 2
        (escalation,) = Escalation.objects.filter(complaint=complaint)
        assert escalation.reason == "breach" and escalation.at == local(2027, 3, 3, 17)
        # Level 2's own 8 hours, from the breach: Thursday 17:00.
        assert complaint.resolve_due_at == local(2027, 3, 4, 17)
        assert complaint.resolve_warned_at is None
        told = sorted(m.to[0] for m in mails(f"complaint-escalated:{escalation.pk}:"))
        assert told == sorted([world.it_manager.user.email, world.second_it_manager.user.email])

    def test_breaches_climb_the_route_to_the_steering_group_and_stop_there(
        self, tenant_a, world, clock
    ):
        clock.set(local(2027, 3, 2, 9))
        complaint = working(world, receive(world, severity="critical"))
        for _ in range(3):
            run_due(tenant_a, local(2027, 3, 20, 9))
        complaint = refetch(complaint)
        assert complaint.level == 3
        assert [e.reason for e in Escalation.objects.filter(complaint=complaint)] == [
            "breach",
            "breach",
        ]
        assert len(_events(complaint, "breached")) == 3
        steering = {m.user.email for m in world.steering}
        told = {m.to[0] for m in mails(f"complaint-breach:{complaint.pk}:resolve:3")}
        assert told == steering
        # Every warning and breach once.
        assert len(_events(complaint, "warned")) == 3  # resolve at levels 1, 2, 3
        warnings = mails(f"complaint-warning:{complaint.pk}:resolve:")
        per_level = {m.key.rsplit(":", 1)[0] for m in warnings}  # one email per person told
        assert len(per_level) == 3 and len(warnings) == len({m.key for m in warnings})

    def test_a_job_whose_time_moved_finds_nothing_to_do(self, tenant_a, world, clock):
        clock.set(local(2027, 3, 2, 9))
        complaint = working(world, receive(world, severity="critical"))
        old = _jobs(complaint, key__contains=":resolve:")
        clock.set(local(2027, 3, 2, 10))
        services.complaint_wait_on_raiser(complaint=complaint, actor=world.rm, question="Who?")
        clock.set(local(2027, 3, 2, 12))
        services.complaint_resume(complaint=complaint, actor=world.rm)
        run_due(tenant_a, old[-1].due_at + timedelta(minutes=1))
        complaint = refetch(complaint)
        assert not complaint.resolve_breached and complaint.level == 1
        assert {j.status for j in _jobs(complaint, pk__in=[j.pk for j in old])} == {"done"}
        run_due(tenant_a, complaint.resolve_due_at + timedelta(minutes=1))
        assert refetch(complaint).resolve_breached

    def test_a_holiday_added_later_moves_the_breach_and_it_still_happens_once(
        self, tenant_a, world, clock
    ):
        clock.set(local(2027, 3, 2, 9))
        complaint = working(world, receive(world, severity="critical"))  # due Wed 3rd, 17:00
        Holiday.objects.create(date=local(2027, 3, 3).date(), name="Office closed")
        run_due(tenant_a, local(2027, 3, 3, 17, 1))
        complaint = refetch(complaint)
        assert not complaint.resolve_breached  # the old job found its time gone
        assert complaint.resolve_due_at == local(2027, 3, 4, 17)
        run_due(tenant_a, local(2027, 3, 4, 17, 1))
        complaint = refetch(complaint)
        assert complaint.resolve_breached and complaint.level == 2
        assert len(_events(complaint, "breached")) == 1

    def test_a_paused_clock_breaches_nothing_and_is_due_again_when_it_runs(
        self, tenant_a, world, clock
    ):
        clock.set(local(2027, 3, 2, 9))
        complaint = working(world, receive(world, severity="critical"))
        services.complaint_wait_on_raiser(complaint=complaint, actor=world.rm, question="Who?")
        run_due(tenant_a, local(2027, 3, 10, 9))
        assert not refetch(complaint).resolve_breached
        clock.set(local(2027, 3, 10, 9))
        services.complaint_resume(complaint=complaint, actor=world.rm)
        assert refetch(complaint).resolve_due_at == local(2027, 3, 11, 17)

    def test_a_resolved_complaint_breaches_nothing(self, tenant_a, world, clock):
        from tests.complaints.conftest import resolve

        clock.set(local(2027, 3, 2, 9))
        complaint = resolve(world, working(world, receive(world, severity="critical")))
        run_due(tenant_a, local(2027, 3, 4, 9))
        assert not refetch(complaint).resolve_breached
        assert mails("complaint-warning:") == []

    def test_a_job_run_again_after_a_worker_restart_acts_once(self, tenant_a, world, clock):
        clock.set(local(2027, 3, 2, 9))
        complaint = receive(world, severity="critical")
        warn = _jobs(complaint, key__contains=":acknowledge:1:warn:")[0]
        later = warn.due_at + timedelta(minutes=1)
        due_job_dispatch(now=later)
        # A worker took the job and died before finishing: it is left in flight.
        DueJob.objects.filter(pk=warn.pk).update(status="running", claimed_at=later)
        assert due_job_run(tenant_id=tenant_a.pk, job_id=warn.pk) == "skipped"
        scheduled_work_sweep(now=later + timedelta(minutes=11))
        assert DueJob.objects.get(pk=warn.pk).status == "queued"
        run_due(tenant_a, later + timedelta(minutes=11))
        assert DueJob.objects.get(pk=warn.pk).status == "done"
        # And a second delivery of the same job does nothing.
        assert due_job_run(tenant_id=tenant_a.pk, job_id=warn.pk) == "skipped"
        assert len(mails(f"complaint-warning:{complaint.pk}:acknowledge:")) == 1
        assert len(_events(complaint, "warned")) == 1


@pytest.mark.django_db(transaction=True)
def test_warnings_breaches_and_escalations_happen_once_with_two_dispatchers_racing(
    tenant_a,
    rm_a,
    customer_record,
    redis_server,  # noqa: F811
    monkeypatch,
):
    from django.utils import timezone

    world = make_world(tenant_a, rm_a, customer_record)
    received = local(2027, 3, 2, 9)
    monkeypatch.setattr(timezone, "now", lambda: received)
    with tenant_context(tenant_a):  # committed: the racing threads have their own connections
        complaints = [receive(world, severity="critical") for _ in range(3)]
    monkeypatch.undo()
    # Two days on: both acknowledge marks, and level 1's resolve marks, are due.
    now = local(2027, 3, 4, 9)
    barrier = threading.Barrier(2)
    errors, results = [], []

    def dispatcher_then_worker():
        try:
            barrier.wait(5)
            for _ in range(4):  # escalations make new jobs, due at once
                due_job_dispatch(now=now)
                with tenant_context(tenant_a):
                    ids = list(
                        DueJob.objects.filter(status="dispatched").values_list("pk", flat=True)
                    )
                for pk in ids:
                    results.append(due_job_run(tenant_id=tenant_a.pk, job_id=pk))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher_then_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert errors == []
    assert "done" in results
    with tenant_context(tenant_a):
        for complaint in complaints:
            complaint = refetch(complaint)
            assert complaint.level == 2 and complaint.acknowledge_breached
            assert Escalation.objects.filter(complaint=complaint).count() == 1
            kinds = list(
                ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True)
            )
            assert kinds.count("breached") == 2  # acknowledge, and resolve at level 1
            assert kinds.count("warned") == 2
            assert kinds.count("escalated") == 1
            keys = list(
                OutboxMessage.objects.filter(key__contains=f":{complaint.pk}:").values_list(
                    "key", flat=True
                )
            )
            assert len(keys) == len(set(keys))
            assert len([k for k in keys if k.startswith("complaint-warning:")]) == 2
        assert not DueJob.objects.filter(status__in=["running", "failed"]).exists()
