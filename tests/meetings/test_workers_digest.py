"""The daily digest: each owner of open action items due within 3 days or overdue gets one email
a day at most (staff at their login's address, business contacts at theirs); nothing to say,
no email. It is a daily job: one a day per office, also with ticks and dispatchers racing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from brm.outbox.services import daily_jobs_schedule, due_job_dispatch, due_job_run
from brm.tenancy.context import tenant_context
from customers.models import ActionItem
from meetings.notifications import action_digest_send
from meetings.tasks import DIGEST
from tests.factories import ActionItemFactory
from tests.kit import in_tenant
from tests.meetings.workers import jobs, local, mails, office_today
from tests.outbox.conftest import redis_server  # noqa: F401 (a private broker for the race)


def _today(tenant):
    return timezone.localdate(timezone.now(), tenant.zone)


def _item(world, *, days, **fields):
    if "owner_member" not in fields and "owner_contact" not in fields:
        fields["owner_member"] = world.rm
    return ActionItemFactory(
        customer=world.customer, due_date=office_today() + timedelta(days), **fields
    )


@pytest.mark.usefixtures("as_tenant_a")
class TestDigest:
    def test_one_email_lists_all_of_a_persons_items_overdue_and_due_soon(self, tenant_a, mworld):
        late = _item(mworld, days=-2, title="Send the SLA report")
        soon = _item(mworld, days=3, title="Book the review room")
        _item(mworld, days=4, title="Later than three days")

        assert action_digest_send(_today(tenant_a)) == 1

        (mail,) = mails("meetings-digest:")
        assert mail.to == [mworld.rm.user.email]
        assert mail.subject == "Your action items: 1 overdue, 1 due soon"
        assert late.title in mail.text and soon.title in mail.text
        assert "Later than three days" not in mail.text
        assert (
            mail.text.index("Overdue") < mail.text.index(late.title) < mail.text.index(soon.title)
        )

    def test_a_business_contact_gets_theirs_at_their_address(self, tenant_a, mworld):
        _item(mworld, days=1, owner_contact=mworld.carl)
        action_digest_send(_today(tenant_a))
        (mail,) = mails("meetings-digest:")
        assert mail.to == [mworld.carl.email]
        assert "Hello Carl Clerk," in mail.text

    def test_one_email_a_person_a_day_however_often_it_runs(self, tenant_a, mworld):
        _item(mworld, days=0)
        _item(mworld, days=1, owner_contact=mworld.bea)
        today = _today(tenant_a)
        action_digest_send(today)
        action_digest_send(today)
        assert sorted(m.to[0] for m in mails("meetings-digest:")) == sorted(
            [mworld.rm.user.email, mworld.bea.email]
        )
        action_digest_send(today + timedelta(days=1))
        assert len(mails("meetings-digest:")) == 4

    def test_nothing_due_means_no_email(self, tenant_a, mworld):
        _item(mworld, days=10)
        done = _item(mworld, days=-1)
        ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)
        _item(mworld, days=-1, owner_member=None)  # nobody owns it: nobody to tell

        assert action_digest_send(_today(tenant_a)) == 0
        assert mails("meetings-digest:") == []

    def test_the_daily_job_runs_at_seven_office_time(self, tenant_a, mworld):
        tomorrow = _today(tenant_a) + timedelta(days=1)
        daily_jobs_schedule(now=local(tenant_a, tomorrow, 0, 30))
        (job,) = jobs(DIGEST)
        assert job.due_at == local(tenant_a, tomorrow, 7)
        assert job.key == f"daily:{DIGEST}:{tomorrow.isoformat()}"


@pytest.mark.django_db(transaction=True)
def test_the_digest_is_sent_once_with_two_ticks_dispatchers_and_workers_racing(
    tenant_a,
    mworld,
    redis_server,  # noqa: F811
):
    with in_tenant(tenant_a):
        _item(mworld, days=1)
        _item(mworld, days=2, owner_contact=mworld.bea)
    now = local(tenant_a, _today(tenant_a) + timedelta(days=1), 7, 1)
    barrier = threading.Barrier(2)
    errors, results = [], []

    def beat_dispatcher_and_worker():
        try:
            barrier.wait(5)
            daily_jobs_schedule(now=now)
            due_job_dispatch(now=now)
            with tenant_context(tenant_a):
                ids = [j.pk for j in jobs(DIGEST)]
            results.extend(due_job_run(tenant_id=tenant_a.pk, job_id=pk) for pk in ids)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat_dispatcher_and_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert results.count("done") == 1
    with tenant_context(tenant_a):
        assert len(jobs(DIGEST)) == 1
        assert sorted(m.to[0] for m in mails("meetings-digest:")) == sorted(
            [mworld.rm.user.email, mworld.bea.email]
        )


@pytest.mark.usefixtures("as_tenant_a")
def test_each_item_links_to_where_its_owner_reads_it(tenant_a, mworld):
    staff_item = _item(mworld, days=1)
    portal_item = _item(mworld, days=1, owner_contact=mworld.bea)
    no_login_item = _item(mworld, days=1, owner_contact=mworld.carl)
    action_digest_send(_today(tenant_a))
    by_address = {m.to[0]: m for m in mails("meetings-digest:")}
    base = f"/t/{tenant_a.slug}/"
    assert f"{base}action-items/{staff_item.pk}/" in by_address[mworld.rm.user.email].text
    bea = by_address[mworld.bea.email]
    assert f"{base}portal/action-items/{portal_item.pk}/" in bea.text
    assert f"{base}portal/action-items/{portal_item.pk}/" in bea.html
    carl = by_address[mworld.carl.email].text
    assert no_login_item.title in carl and "/action-items/" not in carl
