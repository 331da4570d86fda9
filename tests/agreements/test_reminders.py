"""Agreement reminders are due jobs that run once, at 09:00 in the office's time zone: the
signers who have not signed (3 days after submission, then weekly, at most 3), and the review
(90, 30 and 7 days before its date, and when overdue, to the IT manager too)."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from agreements import services
from agreements.models import Signature
from agreements.reminders import REVIEW_REMINDER, SIGNATURE_REMINDER
from brm.outbox.models import DueJob, OutboxMessage
from brm.outbox.services import due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from tests.agreements.conftest import sign, sign_all
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)


@pytest.fixture
def submitted(world, draft):
    return services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)


def _jobs(handler):
    return list(DueJob.objects.filter(handler=handler).order_by("due_at"))


def _run_due(tenant, now) -> list[str]:
    """What the beat and a worker do at `now`: dispatch what is due, run each job."""
    due_job_dispatch(now=now)
    with tenant_context(tenant):
        ids = list(
            DueJob.objects.filter(status__in=[DueJob.DISPATCHED]).values_list("pk", flat=True)
        )
    return [due_job_run(tenant_id=tenant.pk, job_id=pk) for pk in ids]


def _reminders():
    return OutboxMessage.objects.filter(key__startswith="agreement-signature-reminder:")


def _local_nine(tenant, day):
    return datetime.combine(day, time(9), tzinfo=tenant.zone)


@pytest.mark.usefixtures("as_tenant_a")
class TestSignatureReminders:
    def test_the_first_reminder_is_due_three_days_after_submission_at_nine_local_time(
        self, tenant_a, submitted
    ):
        (job,) = _jobs(SIGNATURE_REMINDER)
        submitted_day = timezone.localtime(submitted.submitted_at, tenant_a.zone).date()
        assert job.due_at == _local_nine(tenant_a, submitted_day + timedelta(days=3))

    def test_only_the_signers_who_have_not_signed_are_reminded(self, tenant_a, world, submitted):
        for role in ("relationship_manager", "it_manager"):
            signature = Signature.objects.get(version=submitted, role=role)
            sign(signature, signature.membership)
        (job,) = _jobs(SIGNATURE_REMINDER)

        assert _run_due(tenant_a, job.due_at + timedelta(seconds=1)) == ["done"]

        assert sorted(m.to[0] for m in _reminders()) == sorted(
            [world.business_manager.user.email, world.line_manager.user.email]
        )
        assert all(submitted.content_sha256 in m.text for m in _reminders())

    def test_reminders_go_weekly_and_stop_after_three(self, tenant_a, world, submitted):
        now = timezone.now()
        for _ in range(5):
            now += timedelta(days=7)
            _run_due(tenant_a, now)
        jobs = _jobs(SIGNATURE_REMINDER)
        assert [j.payload["n"] for j in jobs] == [1, 2, 3]
        assert [j.due_at - jobs[0].due_at for j in jobs] == [
            timedelta(0),
            timedelta(days=7),
            timedelta(days=14),
        ]
        assert {j.status for j in jobs} == {"done"}
        assert _reminders().count() == 3 * 4

    def test_a_round_that_ended_sends_no_reminder(self, tenant_a, world, submitted):
        services.version_withdraw(version=submitted, actor=world.rm.user, reason="Wrong SLA")
        (job,) = _jobs(SIGNATURE_REMINDER)
        _run_due(tenant_a, job.due_at + timedelta(seconds=1))
        assert _reminders().count() == 0
        assert len(_jobs(SIGNATURE_REMINDER)) == 1

    def test_a_signed_version_sends_no_reminder(self, tenant_a, world, submitted):
        sign_all(submitted, world)
        (job,) = _jobs(SIGNATURE_REMINDER)
        _run_due(tenant_a, job.due_at + timedelta(seconds=1))
        assert _reminders().count() == 0


@pytest.mark.usefixtures("as_tenant_a")
class TestReviewReminders:
    @pytest.fixture
    def in_force(self, world, submitted):
        sign_all(submitted, world)
        submitted.agreement.refresh_from_db()
        return submitted

    def test_the_review_is_reminded_90_30_and_7_days_before_and_the_day_after(
        self, tenant_a, in_force
    ):
        due = in_force.agreement.review_due
        jobs = _jobs(REVIEW_REMINDER)
        assert [j.due_at for j in jobs] == [
            _local_nine(tenant_a, due - timedelta(days=90)),
            _local_nine(tenant_a, due - timedelta(days=30)),
            _local_nine(tenant_a, due - timedelta(days=7)),
            _local_nine(tenant_a, due + timedelta(days=1)),
        ]

    def test_a_reminder_before_the_date_goes_to_the_relationship_manager(
        self, tenant_a, world, in_force
    ):
        first = _jobs(REVIEW_REMINDER)[0]
        _run_due(tenant_a, first.due_at + timedelta(seconds=1))
        (mail,) = OutboxMessage.objects.filter(key__startswith="agreement-review-reminder:")
        assert mail.to == [world.rm.user.email]
        assert "in 90 days" in mail.subject

    def test_an_overdue_review_tells_the_it_manager_too(self, tenant_a, world, in_force):
        last = _jobs(REVIEW_REMINDER)[-1]
        _run_due(tenant_a, last.due_at + timedelta(seconds=1))
        mails = OutboxMessage.objects.filter(key__startswith="agreement-review-reminder:")
        overdue = [m for m in mails if "overdue" in m.subject]
        assert len(mails) == 4  # every reminder was due by then, each once
        (mail,) = overdue
        assert mail.to == [world.rm.user.email, world.it_manager.user.email]

    def test_a_newer_version_in_force_makes_the_old_reminders_do_nothing(
        self, tenant_a, world, in_force
    ):
        old = _jobs(REVIEW_REMINDER)
        agreement = in_force.agreement
        agreement.review_due = agreement.review_due + timedelta(days=200)
        agreement.save(update_fields=["review_due"])
        _run_due(tenant_a, old[0].due_at + timedelta(seconds=1))
        assert not OutboxMessage.objects.filter(key__startswith="agreement-review-reminder:")


@pytest.mark.django_db(transaction=True)
def test_signature_reminders_are_sent_once_with_two_dispatchers_and_workers_racing(
    tenant_a,
    world,
    redis_server,  # noqa: F811
):
    with tenant_context(tenant_a):  # committed: the racing threads have their own connections
        draft = services.agreement_draft_create(customer=world.customer, actor=world.rm.user)
        services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
        (job,) = _jobs(SIGNATURE_REMINDER)
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
        assert _reminders().count() == 4
        assert [j.payload["n"] for j in _jobs(SIGNATURE_REMINDER)] == [1, 2]
        assert DueJob.objects.get(pk=job.pk).status == "done"


@pytest.mark.usefixtures("as_tenant_a")
def test_each_signer_is_asked_once_with_the_link_where_they_sign(tenant_a, world, submitted):
    mails = {
        m.to[0]: m
        for m in OutboxMessage.objects.filter(key__startswith="agreement-signature-requested:")
    }
    assert sorted(mails) == sorted(m.user.email for m in world.signers.values())
    base = f"/t/{tenant_a.slug}/"
    for signature in Signature.objects.filter(version=submitted).select_related("user"):
        text = mails[signature.user.email].text
        where = "agreements" if signature.role in Signature.STAFF_SIDE else "portal/agreement"
        assert f"{base}{where}/signatures/{signature.pk}/sign/" in text
        assert submitted.content_sha256 in text
