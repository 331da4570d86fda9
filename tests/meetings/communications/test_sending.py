"""Sending a notice: marked sent at once, one job resolves the audience and queues one email a
contact (once, whatever runs twice), the maintenance window's calendar file, the body rendered
safe, a major incident's updates to the same audience, and the plan's overdue reminders."""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from brm.outbox.models import DueJob, OutboxMessage
from meetings import communications
from meetings.models import CommunicationPlanEntry, Notice, NoticeRecipient, PlanDelivery
from tests.meetings.communications.conftest import maintenance
from tests.meetings.workers import run_due

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def fan_out(tenant, handler=communications.NOTICE_FANOUT):
    return run_due(tenant, timezone.now() + timedelta(seconds=1), handler)


def notice_mails(notice):
    return list(
        OutboxMessage.objects.filter(key__startswith=f"notice-{notice.pk}:").order_by("key")
    )


def test_sending_marks_it_sent_and_leaves_the_emails_to_one_job(cworld, tenant_a):
    notice = maintenance(cworld)
    notice = communications.notice_send(notice=notice, actor=cworld.m.rm.user)
    assert notice.status == Notice.Status.SENT and notice.sent_at is not None
    assert notice_mails(notice) == []  # nothing per contact in the request
    assert DueJob.objects.filter(handler=communications.NOTICE_FANOUT).count() == 1
    fan_out(tenant_a)
    mails = notice_mails(notice)
    assert sorted(m.to[0] for m in mails) == ["bea@finance.example", "sam@sales.example"]
    assert {m.subject for m in mails} == {"[Planned maintenance] Mail server upgrade"}
    assert NoticeRecipient.objects.filter(notice=notice).count() == 2
    notice.refresh_from_db()
    assert notice.recipient_count == 2


def test_sending_twice_is_refused_and_a_second_fanout_queues_nothing_more(cworld, tenant_a):
    notice = maintenance(cworld)
    communications.notice_send(notice=notice, actor=None)
    with pytest.raises(ValidationError, match="sent already"):
        communications.notice_send(notice=notice, actor=None)
    fan_out(tenant_a)
    communications.notice_fanout(notice)  # the job run again (retried, swept)
    assert len(notice_mails(notice)) == 2


def test_every_email_links_to_the_preferences_page(cworld, tenant_a):
    notice = maintenance(cworld, kind="general", window_starts_at=None, window_ends_at=None)
    communications.notice_send(notice=notice, actor=None)
    fan_out(tenant_a)
    link = f"/t/{tenant_a.slug}/portal/communications/preferences/"
    for mail in notice_mails(notice):
        assert link in mail.text and link in mail.html


def test_a_maintenance_email_carries_the_window_as_a_calendar_file(cworld, tenant_a):
    notice = maintenance(cworld)
    communications.notice_send(notice=notice, actor=None)
    fan_out(tenant_a)
    mail = notice_mails(notice)[0]
    (attachment,) = mail.attachments
    assert attachment["filename"] == "maintenance.ics"
    import base64

    calendar = Calendar.from_ical(base64.b64decode(attachment["content"]))
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Mail server upgrade"
    assert event.decoded("DTSTART") == notice.window_starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == notice.window_ends_at.replace(microsecond=0)
    assert str(event["UID"]).startswith(f"notice-{notice.pk}@office-{tenant_a.pk}.")


def test_only_a_maintenance_has_a_calendar_file(cworld):
    notice = maintenance(cworld, kind="general", window_starts_at=None, window_ends_at=None)
    with pytest.raises(ValidationError):
        communications.notice_ics(notice)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_the_body_is_rendered_and_a_script_never_survives():
    html = communications.body_html(
        "**Bold** and [a link](https://status.example)\n\n"
        "<script>alert(1)</script>\n\n[bad](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
        '<a href="javascript:alert(2)" onclick="alert(3)">raw</a>'
    )
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://status.example" rel="noopener noreferrer nofollow">' in html
    found = elements(html)
    assert set(found.tags) <= communications.ALLOWED_TAGS
    assert "script" not in found.tags and "img" not in found.tags
    assert all(not name.startswith("on") for name, _value in found.attributes)
    hrefs = [value for name, value in found.attributes if name == "href"]
    assert hrefs == ["https://status.example"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the text it is


def test_a_dangerous_tag_through_markdown_is_stripped_by_the_sanitiser():
    # Raw HTML is off in the renderer; the sanitiser is the second gate for what it lets by.
    import nh3

    dirty = '<p onclick="x()">a<script>alert(1)</script><a href="javascript:x()">b</a></p>'
    clean = nh3.clean(
        dirty,
        tags=communications.ALLOWED_TAGS,
        attributes=communications.ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    )
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean


def test_a_major_incident_and_its_updates_go_to_the_same_audience(cworld, tenant_a):
    notice = maintenance(
        cworld,
        kind="major_incident",
        window_starts_at=None,
        window_ends_at=None,
        subject="Mail is down",
    )
    communications.notice_send(notice=notice, actor=None)
    fan_out(tenant_a)
    update = communications.notice_update_add(
        notice=notice, stage="identified", body="A failed disk.", actor=None
    )
    fan_out(tenant_a, communications.UPDATE_FANOUT)
    mails = list(OutboxMessage.objects.filter(key__startswith=f"notice-update-{update.pk}:"))
    assert sorted(m.to[0] for m in mails) == ["bea@finance.example", "sam@sales.example"]
    assert {m.subject for m in mails} == {"[Identified] Mail is down"}
    communications.notice_update_add(notice=notice, stage="resolved", body="Back.", actor=None)
    with pytest.raises(ValidationError, match="resolved"):
        communications.notice_update_add(notice=notice, stage="identified", body="x", actor=None)


def test_updates_are_for_a_sent_major_incident(cworld):
    notice = maintenance(cworld)
    with pytest.raises(ValidationError, match="Only a major incident"):
        communications.notice_update_add(notice=notice, stage="identified", body="x", actor=None)


def test_a_sent_notice_delivers_the_plan_entries_of_its_kind(cworld, tenant_a):
    m = cworld.m
    entry = communications.plan_entry_create(
        customer=cworld.finance,
        actor=None,
        topic="planned_maintenance",
        roles=["portal_users"],
        frequency="monthly",
        owner=m.rm,
        next_due=date.today() + timedelta(days=3),
    )
    notice = maintenance(cworld)
    communications.notice_send(notice=notice, actor=None)
    fan_out(tenant_a)
    delivery = PlanDelivery.objects.get(entry=entry)
    assert delivery.notice == notice and delivery.on_time
    entry.refresh_from_db()
    assert entry.next_due > date.today() + timedelta(days=20)


def test_an_overdue_plan_entry_reminds_its_owner_once(cworld):
    m = cworld.m
    today = date.today()
    entry = communications.plan_entry_create(
        customer=cworld.finance,
        actor=None,
        topic="service_report",
        roles=["business_manager"],
        frequency="monthly",
        owner=m.rm,
        next_due=today - timedelta(days=2),
    )
    assert communications.plan_overdue_remind(today) == 1
    assert communications.plan_overdue_remind(today + timedelta(days=1)) == 0
    (mail,) = OutboxMessage.objects.filter(key__startswith=f"comm-plan-overdue:{entry.pk}:")
    assert mail.to == [m.rm.user.email]
    assert "Finance" in mail.text and "Service report" in mail.text
    # Delivered late, then overdue again: a new due date reminds again.
    communications.plan_entry_deliver(entry=entry, actor=None)
    entry.refresh_from_db()
    assert entry.next_due > today
    assert PlanDelivery.objects.get(entry=entry).on_time is False


def test_a_plan_entry_says_to_whom(cworld):
    with pytest.raises(ValidationError, match="to whom"):
        communications.plan_entry_create(
            customer=cworld.finance,
            actor=None,
            topic="newsletter",
            roles=[],
            frequency="monthly",
            owner=cworld.m.rm,
        )
    with pytest.raises(ValidationError, match="Unknown id"):
        communications.plan_entry_create(
            customer=cworld.finance,
            actor=None,
            topic="newsletter",
            contact_ids=[cworld.sam.pk],
            frequency="monthly",
            owner=cworld.m.rm,
        )
    assert CommunicationPlanEntry.objects.count() == 0
