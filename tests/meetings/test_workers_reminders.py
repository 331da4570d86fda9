"""The agenda reminder: N days before each planned meeting (office setting, default 2), at
09:00 office time, one email to each attendee with the agenda; a moved meeting is reminded once,
at its new time; a cancelled one not at all; each reminder once, also with dispatchers racing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from brm.outbox.models import DueJob
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from meetings import notifications, services, tasks
from meetings.notifications import REMINDER
from tests.meetings.conftest import monthly_review
from tests.meetings.workers import jobs, local, mails, office_today, one_off, run_due
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)


def _in_days(tenant, days, hour=10):
    return local(tenant, timezone.localdate(timezone.now(), tenant.zone) + timedelta(days), hour)


def _later_meeting(world):
    cadence = monthly_review(world, starts_on=office_today() + timedelta(days=1))
    return cadence.meetings.order_by("starts_at")[1]  # weeks ahead: its reminder is not due yet


@pytest.mark.usefixtures("as_tenant_a")
class TestWhen:
    def test_the_reminder_is_due_at_nine_office_time_two_days_before(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        day = timezone.localtime(meeting.starts_at, tenant_a.zone).date()
        assert job.due_at == local(tenant_a, day - timedelta(days=2), 9)
        assert job.status == DueJob.QUEUED

    def test_the_office_chooses_how_many_days_before(self, tenant_a, mworld):
        services.meeting_settings_update(actor=mworld.rm.user, reminder_days_before=5)
        meeting = one_off(mworld, starts_at=_in_days(tenant_a, 20))
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        assert job.due_at == local(tenant_a, office_today() + timedelta(days=15), 9)

    def test_nothing_is_sent_before_the_day(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        run_due(tenant_a, job.due_at - timedelta(minutes=1), REMINDER)
        job.refresh_from_db()
        assert job.status == DueJob.QUEUED
        assert mails(f"meetings-reminder:{meeting.pk}:") == []

    def test_each_attendee_gets_one_email_on_the_day(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        assert "done" in run_due(tenant_a, job.due_at + timedelta(seconds=1), REMINDER)
        job.refresh_from_db()
        assert job.status == DueJob.DONE
        sent = mails(f"meetings-reminder:{meeting.pk}:")
        assert sorted(m.to[0] for m in sent) == sorted([mworld.bea.email, mworld.rm.user.email])

    def test_running_the_job_again_sends_nothing_more(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        run_due(tenant_a, job.due_at + timedelta(seconds=1), REMINDER)
        tasks.meeting_reminder(DueJob.objects.get(pk=job.pk))  # a re-run of the handler
        assert len(mails(f"meetings-reminder:{meeting.pk}:")) == 2

    def test_a_meeting_planned_inside_the_reminder_window_is_reminded_at_once(
        self, tenant_a, mworld
    ):
        meeting = one_off(mworld, starts_at=_in_days(tenant_a, 1))
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        assert job.status == DueJob.DISPATCHED and job.due_at <= timezone.now()


@pytest.mark.usefixtures("as_tenant_a")
class TestMovedAndCancelled:
    def test_a_moved_meeting_is_reminded_once_at_its_new_time(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (old,) = jobs(REMINDER, object_id=str(meeting.pk))
        services.meeting_update(
            meeting=meeting,
            actor=mworld.rm.user,
            starts_at=meeting.starts_at + timedelta(days=3, hours=4),
            ends_at=meeting.ends_at + timedelta(days=3, hours=4),
        )
        old.refresh_from_db()
        assert old.status == DueJob.Status.CANCELLED
        (new,) = jobs(REMINDER, object_id=str(meeting.pk), status=DueJob.QUEUED)
        new_day = timezone.localtime(meeting.starts_at, tenant_a.zone).date()
        assert new.due_at == local(tenant_a, new_day - timedelta(days=2), 9)

        run_due(tenant_a, new.due_at + timedelta(days=1), REMINDER)

        sent = mails(f"meetings-reminder:{meeting.pk}:")
        assert len(sent) == 2
        assert all("14:00–15:00" in m.text for m in sent)

    def test_the_old_job_of_a_moved_meeting_sends_nothing_even_if_it_runs(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (old,) = jobs(REMINDER, object_id=str(meeting.pk))
        services.meeting_update(
            meeting=meeting,
            actor=mworld.rm.user,
            starts_at=meeting.starts_at + timedelta(hours=1),
            ends_at=meeting.ends_at + timedelta(hours=1),
        )
        assert notifications.meeting_reminder_send(meeting, **old.payload) == 0

    def test_a_change_of_place_keeps_one_reminder_at_the_same_time(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        services.meeting_update(meeting=meeting, actor=mworld.rm.user, location="Room 2")
        live = [j for j in jobs(REMINDER, object_id=str(meeting.pk)) if j.status == DueJob.QUEUED]
        assert [j.due_at for j in live] == [job.due_at]
        run_due(tenant_a, meeting.starts_at, REMINDER)
        sent = [tuple(m.to) for m in mails(f"meetings-reminder:{meeting.pk}:")]
        readers = meeting.attendees.exclude(email="").count()
        assert len(sent) == len(set(sent)) == readers  # once each, not once per job

    def test_a_cancelled_meeting_is_not_reminded(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        services.meeting_cancel(meeting=meeting, actor=mworld.rm.user, reason="Holiday")
        assert {j.status for j in jobs(REMINDER, object_id=str(meeting.pk))} == {"cancelled"}
        run_due(tenant_a, meeting.starts_at, REMINDER)
        assert mails(f"meetings-reminder:{meeting.pk}:") == []


@pytest.mark.usefixtures("as_tenant_a")
class TestContent:
    def test_the_reminder_lists_the_agenda_in_office_time_with_the_place(self, tenant_a, mworld):
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        run_due(tenant_a, job.due_at + timedelta(seconds=1), REMINDER)
        (mail,) = [
            m for m in mails(f"meetings-reminder:{meeting.pk}:") if m.to == [mworld.bea.email]
        ]
        assert mail.subject.startswith("Agenda: Monthly service review on ")
        assert "10:00–11:00 (Europe/Amsterdam)" in mail.text
        for title in ("Welcome", "Service levels", "Any other business"):
            assert title in mail.text and title in mail.html
        assert "Hello Bea Budget," in mail.text

    def test_a_business_attendee_with_a_login_gets_the_portal_link_staff_the_staff_page(
        self, tenant_a, mworld
    ):
        meeting = one_off(
            mworld, starts_at=_in_days(tenant_a, 10), contacts=[mworld.bea, mworld.carl]
        )
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
        run_due(tenant_a, job.due_at + timedelta(seconds=1), REMINDER)
        by_address = {m.to[0]: m for m in mails(f"meetings-reminder:{meeting.pk}:")}
        portal = f"/t/{tenant_a.slug}/portal/meetings/{meeting.pk}/"
        assert portal in by_address[mworld.bea.email].text
        assert portal in by_address[mworld.bea.email].html
        staff = by_address[mworld.rm.user.email].text
        assert f"/meetings/{meeting.pk}/" in staff and "/portal/" not in staff
        assert "/meetings/" not in by_address[mworld.carl.email].text  # no login, no link
        assert "Room 4.12" in by_address[mworld.carl.email].text


@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_sent_once_with_two_dispatchers_and_workers_racing(
    tenant_a,
    mworld,
    redis_server,  # noqa: F811
):
    with tenant_context(tenant_a):  # committed: the racing threads have their own connections
        meeting = _later_meeting(mworld)
        (job,) = jobs(REMINDER, object_id=str(meeting.pk))
    now = job.due_at + timedelta(seconds=1)
    barrier = threading.Barrier(2)
    errors, results = [], []

    def dispatcher_then_worker():
        try:
            barrier.wait(5)
            due_job_dispatch(now=now)
            results.append(due_job_run(tenant_id=tenant_a.pk, job_id=job.pk))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher_then_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert sorted(results) == ["done", "skipped"]
    with tenant_context(tenant_a):
        assert len(mails(f"meetings-reminder:{meeting.pk}:")) == 2
        assert DueJob.objects.get(pk=job.pk).status == "done"
