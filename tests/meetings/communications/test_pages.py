"""The communications pages: the plan on the customer page and office-wide, composing a notice
with the preview of who receives it and why, sending after a confirmation, the delivery of each
recipient, a major incident's updates; the portal's News from IT and preferences; the queries
each page reads, whatever the rows."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from meetings import communications
from meetings.models import CommunicationPlanEntry, CommunicationPreference, Notice
from tests.factories import ContactFactory
from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries, in_tenant, make_member
from tests.meetings.communications.conftest import maintenance
from tests.meetings.pages import signed_in, url

pytestmark = pytest.mark.django_db


def _sent(cworld, **overrides):
    with in_tenant(cworld.finance.tenant_id):
        notice = maintenance(cworld, **overrides)
        communications.notice_send(notice=notice, actor=None)
        communications.notice_fanout(notice)
        return notice


def test_an_rm_adds_a_plan_entry_from_the_customer_page(client, tenant_a, cworld):
    m = cworld.m
    signed_in(client, m.rm)
    page = client.get(f"/t/{tenant_a.slug}/customers/{cworld.finance.pk}/")
    assert b"Communication plan" in page.content
    answer = client.post(
        url(tenant_a, "plan_entry_create", pk=cworld.finance.pk),
        {
            "topic": "service_report",
            "roles": ["business_manager"],
            "frequency": "monthly",
            "channel": "email",
            "owner": m.rm.pk,
            "next_due": "2027-01-05",
        },
    )
    assert answer.status_code == 302
    entry = in_tenant(tenant_a, lambda: CommunicationPlanEntry.objects.get())
    assert entry.roles == ["business_manager"] and entry.next_due == date(2027, 1, 5)
    page = client.get(f"/t/{tenant_a.slug}/customers/{cworld.finance.pk}/")
    assert b"Service report" in page.content and b"2027-01-05" in page.content


def test_a_plan_entry_without_anyone_to_receive_it_rerenders_with_a_message(
    client, tenant_a, cworld
):
    signed_in(client, cworld.m.rm)
    answer = client.post(
        url(tenant_a, "plan_entry_create", pk=cworld.finance.pk),
        {
            "topic": "service_report",
            "frequency": "monthly",
            "channel": "email",
            "owner": cworld.m.rm.pk,
        },
    )
    assert answer.status_code == 200
    assert "Say to whom" in answer.content.decode()


def test_the_office_plan_shows_what_is_overdue(client, tenant_a, cworld):
    m = cworld.m
    with in_tenant(tenant_a):
        for customer, due in ((cworld.finance, -3), (cworld.sales, 30)):
            communications.plan_entry_create(
                customer=customer,
                actor=None,
                topic="service_report",
                roles=["business_manager"],
                frequency="monthly",
                owner=m.rm,
                next_due=timezone.localdate() + timedelta(days=due),
            )
    signed_in(client, m.rm)
    link = f"/customers/{cworld.sales.pk}/#communications"
    overdue = client.get(url(tenant_a, "communication_plan") + "?state=overdue").content.decode()
    assert f"/customers/{cworld.finance.pk}/#communications" in overdue and link not in overdue
    every = client.get(url(tenant_a, "communication_plan")).content.decode()
    assert link in every


def test_compose_preview_and_send_a_maintenance_to_two_customers(client, tenant_a, cworld):
    signed_in(client, cworld.m.rm)
    answer = client.post(
        url(tenant_a, "notice_create"),
        {
            "kind": "planned_maintenance",
            "subject": "Network upgrade",
            "body": "Short outage. <script>alert(1)</script>",
            "window_starts_at": "2027-03-02T20:00",
            "window_ends_at": "2027-03-02T22:00",
            "customers": [cworld.finance.pk, cworld.sales.pk],
            "resolve": "roles",
            "roles": ["business_manager"],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    notice = in_tenant(tenant_a, lambda: Notice.objects.get(subject="Network upgrade"))
    detail = client.get(answer["Location"]).content.decode()
    assert "Who will receive it, and why" in detail
    assert "bea@finance.example" in detail and "sam@sales.example" in detail
    assert "<script>alert" not in detail and "&lt;script&gt;" in detail
    confirm = client.get(url(tenant_a, "notice_send", pk=notice.pk)).content.decode()
    assert "2 people of 2 customers" in confirm
    assert client.post(url(tenant_a, "notice_send", pk=notice.pk)).status_code == 302
    with in_tenant(tenant_a):
        notice.refresh_from_db()
        assert notice.status == Notice.Status.SENT
        communications.notice_fanout(notice)
    detail = client.get(url(tenant_a, "notice_detail", pk=notice.pk)).content.decode()
    assert "Delivery" in detail and "business manager" in detail
    assert "Handed to a worker" in detail or "Queued" in detail


def test_bad_input_on_compose_rerenders_with_messages(client, tenant_a, cworld):
    signed_in(client, cworld.m.rm)
    answer = client.post(
        url(tenant_a, "notice_create"),
        {
            "kind": "planned_maintenance",
            "subject": "x",
            "body": "y",
            "resolve": "roles",
            "window_starts_at": "9999-01-01T00:00",
            "roles": ["nobody"],
        },
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Choose a date between 2000 and 2199" in text or "not one of the available" in text


def test_an_incident_update_is_added_on_its_page(client, tenant_a, cworld):
    notice = _sent(cworld, kind="major_incident", window_starts_at=None, window_ends_at=None)
    signed_in(client, cworld.m.rm)
    answer = client.post(
        url(tenant_a, "notice_update_add", pk=notice.pk),
        {"stage": "identified", "body": "A **failed** disk."},
    )
    assert answer.status_code == 302
    page = client.get(url(tenant_a, "notice_detail", pk=notice.pk)).content.decode()
    assert "Identified" in page and "<strong>failed</strong>" in page


def test_an_analyst_reads_but_does_not_send(client, tenant_a, cworld):
    with in_tenant(tenant_a):
        notice = maintenance(cworld)
    signed_in(client, make_member(tenant_a, Role.ANALYST))
    assert client.get(url(tenant_a, "notice_detail", pk=notice.pk)).status_code == 200
    assert client.post(url(tenant_a, "notice_send", pk=notice.pk)).status_code == 403


def test_the_customer_reads_the_news_and_its_calendar_file(client, tenant_a, cworld):
    notice = _sent(cworld)
    signed_in(client, cworld.m.business_manager)
    news = client.get(url(tenant_a, "portal_news")).content.decode()
    assert "Mail server upgrade" in news
    page = client.get(url(tenant_a, "portal_notice", pk=notice.pk)).content.decode()
    assert "<strong>upgraded</strong>" in page and "Add to my calendar" in page
    ics = client.get(url(tenant_a, "portal_notice_ics", pk=notice.pk))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_a_purchaser_reads_what_went_to_the_whole_customer_or_their_unit(client, tenant_a, cworld):
    whole = _sent(cworld, subject="To everyone", roles=["all_contacts"])
    other_unit = _sent(
        cworld,
        subject="To Orders only",
        roles=["all_contacts"],
        purchasers_only=True,
        customer_ids=[cworld.sales.pk],
    )
    narrowed = _sent(
        cworld,
        subject="To the units",
        roles=["all_contacts"],
        purchasers_only=True,
        customer_ids=[cworld.finance.pk],
    )
    signed_in(client, cworld.m.purchaser)  # Paul, of Finance's Payroll unit
    news = client.get(url(tenant_a, "portal_news")).content.decode()
    assert "To everyone" in news and "To the units" in news and "To Orders only" not in news
    assert client.get(url(tenant_a, "portal_notice", pk=other_unit.pk)).status_code == 404
    assert client.get(url(tenant_a, "portal_notice", pk=whole.pk)).status_code == 200
    assert client.get(url(tenant_a, "portal_notice", pk=narrowed.pk)).status_code == 200


def test_a_draft_is_not_news(client, tenant_a, cworld):
    with in_tenant(tenant_a):
        draft = maintenance(cworld)
    signed_in(client, cworld.m.business_manager)
    assert client.get(url(tenant_a, "portal_notice", pk=draft.pk)).status_code == 404


def test_a_portal_user_opts_out_of_general_notices_only(client, tenant_a, cworld):
    signed_in(client, cworld.m.business_manager)
    page = client.get(url(tenant_a, "portal_preferences")).content.decode()
    assert "Planned maintenance" in page and "Always sent" in page
    answer = client.post(url(tenant_a, "portal_preferences"), {"newsletters": "on"})
    assert answer.status_code == 302
    preference = in_tenant(tenant_a, lambda: CommunicationPreference.objects.get())
    assert preference.newsletters is True and preference.general is False
    assert preference.contact_id == cworld.m.bea.pk


def test_the_staff_pages_read_a_fixed_number_of_queries(client, tenant_a, cworld):
    m = cworld.m
    signed_in(client, m.rm)

    def counts():
        with in_tenant(tenant_a):
            communications.plan_entry_create(
                customer=cworld.finance,
                actor=None,
                topic="general",
                roles=["all_contacts"],
                frequency="when_it_happens",
                owner=m.rm,
            )
        notice = _sent(cworld, roles=["all_contacts"])
        with in_tenant(tenant_a):
            draft = maintenance(cworld, roles=["all_contacts"])
        return {
            "list": assert_page_queries(client, url(tenant_a, "notice_list"), own=NOTICE_LIST),
            "plan": assert_page_queries(client, url(tenant_a, "communication_plan"), own=PLAN_LIST),
            "sent": assert_page_queries(
                client, url(tenant_a, "notice_detail", pk=notice.pk), own=SENT_PAGE
            ),
            "draft": assert_page_queries(
                client, url(tenant_a, "notice_detail", pk=draft.pk), own=DRAFT_PAGE
            ),
        }

    counts()
    with in_tenant(tenant_a):
        for i in range(8):
            ContactFactory(customer=cworld.sales, name=f"More {i}", email=f"more{i}@s.example")
            communications.plan_entry_create(
                customer=cworld.sales,
                actor=None,
                topic="newsletter",
                roles=["all_contacts"],
                frequency="monthly",
                owner=m.rm,
                next_due=timezone.localdate(),
            )
    counts()


def test_the_portal_pages_read_a_fixed_number_of_queries(client, tenant_a, cworld):
    signed_in(client, cworld.m.business_manager)
    for round_ in range(2):
        notice = _sent(cworld, subject=f"Round {round_}")
        # The portal shell's own query is the scope, which these pages read themselves.
        assert_page_queries(
            client, url(tenant_a, "portal_news"), own=PORTAL_NEWS, shell=PORTAL_SHELL_QUERIES - 1
        )
        assert_page_queries(
            client,
            url(tenant_a, "portal_notice", pk=notice.pk),
            own=PORTAL_NOTICE,
            shell=PORTAL_SHELL_QUERIES - 1,
        )


# The notices: the customers (filter choices), the count, the rows.
NOTICE_LIST = 3
# The plan: the customers and the owners (filter choices), the count, the rows.
PLAN_LIST = 4
# A sent notice: the notice, its updates, the recipients' count and page, their emails'
# status, the summary, the history.
SENT_PAGE = 7
# A draft: the notice, its updates, the audience (customers, one a role), the history.
DRAFT_PAGE = 5
# News from IT: the scope, the count, the rows. A notice: the scope, the notice, the updates.
PORTAL_NEWS = 3
PORTAL_NOTICE = 3
