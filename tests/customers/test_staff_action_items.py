"""The action items page (mine, overdue, all open, all; by customer; search; sorting) and an
item's page with its comments and "Mark done"."""

import datetime
import re

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from customers.models import ActionItem, ActionItemComment
from tests.factories import ActionItemCommentFactory, ActionItemFactory, CustomerFactory
from tests.kit import assert_audited, in_tenant, make_member, refreshed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def items(tenant_a, rm_a, customer_record):
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example")
    hr = CustomerFactory(name="Human resources", relationship_manager=rm_a)
    make = ActionItemFactory
    return {
        "late": make(
            customer=customer_record,
            title="Send minutes",
            owner_member=rm_a,
            due_date=TODAY - DAY,
        ),
        "soon": make(customer=hr, title="Book review", owner_member=rm_a, due_date=TODAY + DAY),
        "done": make(
            customer=hr,
            title="Archive contract",
            owner_member=rm_a,
            status="done",
            due_date=TODAY - 9 * DAY,
        ),
        "others": make(
            customer=hr,
            title="Answer survey",
            owner_member=other_rm,
            due_date=TODAY - 2 * DAY,
            status="in_progress",
        ),
        "business": make(
            customer=customer_record,
            title="Approve budget",
            owner_contact=customer_record.business_manager,
            due_date=TODAY + 5 * DAY,
        ),
    }


def titles(client, tenant, query=""):
    response = client.get(f"/t/{tenant.slug}/action-items/{query}")
    assert response.status_code == 200
    return re.findall(
        r'<th scope="row" class="fw-normal"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def test_mine_is_the_first_tab_with_my_open_items(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    assert titles(client, tenant_a) == ["Send minutes", "Book review"]
    assert titles(client, tenant_a, "?tab=mine") == ["Send minutes", "Book review"]


def test_overdue_tab_has_open_items_past_their_due_date(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    assert titles(client, tenant_a, "?tab=overdue") == ["Answer survey", "Send minutes"]


def test_all_open_and_all_tabs(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    assert titles(client, tenant_a, "?tab=open") == [
        "Answer survey",
        "Send minutes",
        "Book review",
        "Approve budget",
    ]
    assert "Archive contract" in titles(client, tenant_a, "?tab=all")


def test_filter_by_customer_and_search(client, tenant_a, rm_a, items, customer_record):
    client.force_login(rm_a.user)
    assert titles(client, tenant_a, f"?tab=open&customer={customer_record.pk}") == [
        "Send minutes",
        "Approve budget",
    ]
    assert titles(client, tenant_a, "?tab=all&q=budget") == ["Approve budget"]
    body = client.get(f"/t/{tenant_a.slug}/action-items/?tab=all&q=nothing").content.decode()
    assert "No action item matches these filters." in body


def test_sorting_by_title_customer_and_status(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    assert titles(client, tenant_a, "?tab=open&sort=title") == [
        "Answer survey",
        "Approve budget",
        "Book review",
        "Send minutes",
    ]
    assert titles(client, tenant_a, "?tab=open&sort=-title")[0] == "Send minutes"
    assert titles(client, tenant_a, "?tab=open&sort=customer")[:2] == [
        "Send minutes",
        "Approve budget",
    ]
    assert titles(client, tenant_a, "?tab=open&sort=-status")[0] == "Send minutes"
    assert titles(client, tenant_a, "?tab=open&sort=status")[0] == "Answer survey"


def test_tabs_keep_the_other_filters(client, tenant_a, rm_a, items, customer_record):
    client.force_login(rm_a.user)
    response = client.get(f"/t/{tenant_a.slug}/action-items/?tab=open&q=x&sort=title")
    body = response.content.decode()
    assert "?tab=overdue&amp;q=x&amp;sort=title" in body
    assert 'class="nav-link active" aria-current="page" href="?tab=open&amp;q=x' in body


def test_list_is_paginated(client, tenant_a, rm_a, customer_record):
    for i in range(27):
        ActionItemFactory(customer=customer_record, owner_member=rm_a, title=f"Item {i:02d}")
    client.force_login(rm_a.user)
    assert len(titles(client, tenant_a, "?sort=title")) == 25
    assert titles(client, tenant_a, "?sort=title&page=2") == ["Item 25", "Item 26"]


def test_empty_mine_tab_says_so(client, tenant_a, admin_a, items):
    client.force_login(admin_a.user)
    body = client.get(f"/t/{tenant_a.slug}/action-items/").content.decode()
    assert "You own no open action items." in body


# The item's page ---------------------------------------------------------------------------------


def test_item_page_shows_the_item_and_its_comments(client, tenant_a, rm_a, items):
    ActionItemCommentFactory(
        action_item=items["late"], author=rm_a.user, body="Drafted, waiting for Bea."
    )
    client.force_login(rm_a.user)
    body = client.get(f"/t/{tenant_a.slug}/action-items/{items['late'].pk}/").content.decode()
    assert "Send minutes" in body and "Finance" in body
    assert "overdue" in body
    assert "Drafted, waiting for Bea." in body
    assert "Mark done" in body


def test_comment_is_added_through_the_service(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    path = f"/t/{tenant_a.slug}/action-items/{items['late'].pk}/"
    response = client.post(path, {"body": "Sent to Bea today."})
    assert response.status_code == 302
    assert response.url == f"{path}#comments"
    comment = in_tenant(tenant_a, lambda: ActionItemComment.objects.get())
    assert (comment.body, comment.author, comment.action_item_id) == (
        "Sent to Bea today.",
        rm_a.user,
        items["late"].pk,
    )
    assert "Sent to Bea today." in client.get(path).content.decode()


def test_blank_comment_is_refused_on_the_form(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    response = client.post(f"/t/{tenant_a.slug}/action-items/{items['late'].pk}/", {"body": "  "})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert in_tenant(tenant_a, lambda: not ActionItemComment.objects.exists())


def test_mark_done_closes_the_item_and_records_it(client, tenant_a, rm_a, items):
    client.force_login(rm_a.user)
    path = f"/t/{tenant_a.slug}/action-items/{items['late'].pk}/done/"
    assert "Mark <strong>Send minutes</strong> as done?" in client.get(path).content.decode()
    response = client.post(path, follow=True)
    assert "Send minutes is done." in response.content.decode()
    item = refreshed(items["late"])
    assert_audited(tenant_a, "action_item.updated", obj=item, actor=rm_a.user)
    assert item.status == ActionItem.Status.DONE
    assert item.completed_at is not None
    assert titles(client, tenant_a, "?tab=overdue") == ["Answer survey"]
    # Done already: no button any more.
    body = client.get(f"/t/{tenant_a.slug}/action-items/{item.pk}/").content.decode()
    assert "Mark done" not in body
