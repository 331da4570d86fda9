"""The meetings area's own agenda providers: the customer's open and overdue action items and
the decisions awaiting approval. The agreements area registers the SLA results and the review
date (agreements.agenda); later areas register theirs the same way (brm.web.registry)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from customers.models import ActionItem

from .models import Decision


def _owner(item: ActionItem) -> str:
    return str(item.owner_contact or item.owner_member or "")


def open_action_items(meeting) -> list[dict]:
    """One item listing the customer's open action items, overdue first, and one per overdue."""
    today = timezone.localtime(meeting.starts_at, meeting.customer.tenant.zone).date()
    items = list(
        ActionItem.objects.filter(
            customer_id=meeting.customer_id, status__in=ActionItem.OPEN_STATUSES
        ).select_related("owner_contact", "owner_member__user")
    )
    proposals = []
    for item in items:
        overdue = item.due_date is not None and item.due_date < today
        due = date_format(item.due_date, "j M Y") if item.due_date else _("no due date")
        prefix = _("Overdue action") if overdue else _("Open action")
        proposals.append(
            {
                "key": f"action-item:{item.pk}",
                "title": f"{prefix}: {item.title}",
                "notes": _("Owner: %(owner)s. Due: %(due)s. Status: %(status)s.")
                % {
                    "owner": _owner(item) or _("nobody"),
                    "due": due,
                    "status": item.get_status_display(),
                },
                "presenter": _owner(item),
                "audience": "customer",
                "overdue": overdue,
            }
        )
    proposals.sort(key=lambda p: not p.pop("overdue"))
    return proposals


def decisions_awaiting(meeting) -> list[dict]:
    decisions = Decision.objects.filter(
        customer_id=meeting.customer_id, status=Decision.Status.PROPOSED
    ).select_related("accountable_contact", "accountable_member__user")
    return [
        {
            "key": f"decision:{d.pk}",
            "title": _("Decision awaiting approval: %(title)s") % {"title": d.title},
            "notes": _("Accountable: %(name)s, proposed %(day)s.")
            % {"name": d.accountable_name, "day": date_format(d.created_at, "j M Y")},
            "presenter": d.accountable_name,
            "audience": "customer",
        }
        for d in decisions
    ]


def visible_agenda(items, *, contact=None) -> list:
    """The agenda items a reader may see, withdrawn ones left out: everything for staff and for a
    contact who speaks for the customer; for anyone else (a purchaser's contact) only the items
    meant for everyone invited, never the customer's action items or pending decisions."""
    from customers.mandate import speaks_for_customer

    items = [item for item in items if not item.withdrawn]
    if contact is None or speaks_for_customer(contact):
        return items
    return [item for item in items if item.for_everyone]
