"""The relationship manager's home: their working day on the staff home page.

Each panel reads one area through its selectors: a count and the first few rows, so the page
costs the same number of queries whatever the number of customers and records. The core's
staff_home view asks `brm.web.registry.staff_home_providers` first; this module registers there
(reports/apps.py) for relationship managers. Other roles keep the office overview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import selectors as agreement_selectors
from complaints import selectors as complaint_selectors
from customers import selectors as customer_selectors
from customers.models import ActionItem
from meetings import selectors as meeting_selectors
from satisfaction import listing as satisfaction_listing

ROWS = 5  # the rows a panel shows; its link leads to the rest
DUE_SOON_DAYS = 7
MEETING_DAYS = 14
MISSED_SINCE_DAYS = 90
REVIEW_DAYS = 30
CLOSING_DAYS = 7


@dataclass
class HomePanel:
    key: str
    heading: object
    count: int
    rows: list
    empty: object
    more_url: str = ""
    more_label: object = ""
    extra: dict = field(default_factory=dict)


def _url(request, name: str, query: dict | None = None, **kwargs) -> str:
    url = reverse(name, kwargs={"tenant_slug": request.tenant.slug, **kwargs})
    return f"{url}?{urlencode(query)}" if query else url


def _panel(key, queryset, **values) -> HomePanel:
    # Two queries a panel, however many records: the count, and the first rows.
    return HomePanel(key=key, count=queryset.count(), rows=list(queryset[:ROWS]), **values)


def _customers(request, member) -> HomePanel:
    panel = _panel(
        "customers",
        customer_selectors.customer_list(relationship_manager=member),
        heading=_("My customers"),
        empty=_("No customers assigned to you"),
        more_url=_url(request, "customers:customer_mine"),
        more_label=_("All my customers"),
    )
    ids = [customer.pk for customer in panel.rows]
    open_items = customer_selectors.open_action_item_counts(ids) if ids else {}
    next_meetings = meeting_selectors.next_meeting_by_customer(ids) if ids else {}
    panel.rows = [
        {
            "customer": customer,
            "open_items": open_items.get(customer.pk, 0),
            "next_meeting": next_meetings.get(customer.pk),
        }
        for customer in panel.rows
    ]
    return panel


def build_home(request) -> list[HomePanel]:
    member = request.membership
    today = timezone.localdate()
    now = timezone.now()
    items = customer_selectors.action_items_of_rm(member)
    mine_items = _url(request, "customers:action_item_list", {"tab": "mine"})
    agreements_of_rm = _url(
        request, "agreements:agreement_list", {"relationship_manager": member.pk}
    )
    return [
        _customers(request, member),
        _panel(
            "overdue",
            items.filter(due_date__lt=today),
            heading=_("Overdue action items"),
            empty=_("Nothing overdue"),
            more_url=mine_items,
            more_label=_("My open action items"),
        ),
        _panel(
            "due_soon",
            items.filter(due_date__gte=today, due_date__lte=today + timedelta(DUE_SOON_DAYS)),
            heading=_("Action items due in %(days)s days") % {"days": DUE_SOON_DAYS},
            empty=_("Nothing due this week"),
            more_url=mine_items,
            more_label=_("My open action items"),
        ),
        _panel(
            "meetings",
            meeting_selectors.upcoming_meetings_of_rm(
                member, until=now + timedelta(MEETING_DAYS), now=now
            ),
            heading=_("Meetings in the next %(days)s days") % {"days": MEETING_DAYS},
            empty=_("No meetings planned"),
            more_url=_url(request, "meetings:meeting_list", {"view": "mine"}),
            more_label=_("My meetings"),
        ),
        _panel(
            "missed",
            meeting_selectors.missed_cadences_of_rm(
                member, since=today - timedelta(MISSED_SINCE_DAYS)
            ),
            heading=_("Missed cadences"),
            empty=_("No cadence missed in the last %(days)s days") % {"days": MISSED_SINCE_DAYS},
            more_url=_url(request, "meetings:meeting_list", {"view": "missed"}),
            more_label=_("All missed cadences"),
        ),
        _panel(
            "complaints",
            complaint_selectors.complaints_near_or_past_target(member),
            heading=_("Complaints near or past a target"),
            empty=_("No complaint near a target"),
            more_url=_url(
                request, "complaints:complaint_list", {"status": "open", "breached": "yes"}
            ),
            more_label=_("Open complaints past a target"),
        ),
        _panel(
            "signatures",
            agreement_selectors.versions_awaiting_signature(relationship_manager=member),
            heading=_("Agreements awaiting signatures"),
            empty=_("No agreement awaiting a signature"),
            more_url=agreements_of_rm,
            more_label=_("My customers' agreements"),
        ),
        _panel(
            "reviews",
            agreement_selectors.agreements_due_for_review(
                relationship_manager=member, by=today + timedelta(REVIEW_DAYS), today=today
            ),
            heading=_("Agreements due for review in %(days)s days") % {"days": REVIEW_DAYS},
            empty=_("No review due"),
            more_url=_url(
                request,
                "agreements:agreement_list",
                {"relationship_manager": member.pk, "state": "review_overdue"},
            ),
            more_label=_("Reviews overdue"),
        ),
        _panel(
            "campaigns",
            satisfaction_listing.campaigns_closing_for_rm(
                member, until=now + timedelta(CLOSING_DAYS), now=now
            ),
            heading=_("Surveys closing in %(days)s days") % {"days": CLOSING_DAYS},
            empty=_("No survey closing"),
            more_url=_url(request, "satisfaction:campaign_list", {"status": "open"}),
            more_label=_("Open campaigns"),
        ),
        _panel(
            "follow_ups",
            customer_selectors.action_items_of_rm(
                member,
                due_by=today + timedelta(DUE_SOON_DAYS),
                source=ActionItem.Source.SURVEY,
            ),
            heading=_("Survey follow-ups due"),
            empty=_("No follow-up due"),
            more_url=mine_items,
            more_label=_("My open action items"),
        ),
    ]


def rm_home(request):
    return render(
        request,
        "reports/rm_home.html",
        {"panels": build_home(request), "today": timezone.localdate()},
    )
