"""Reads of the communication plan and the notices, for the staff pages and the portal.

Each reads a fixed number of queries whatever the rows: a page of recipients finds the status
of its emails in one query by their outbox keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brm.outbox.models import OutboxMessage
from customers.models import Customer
from customers.selectors import PortalScope

from .communication_models import (
    CommunicationPlanEntry,
    Notice,
    NoticeAudience,
    NoticeRecipient,
    NoticeUpdate,
)
from .communications import notice_key

DUE_SOON_DAYS = 14
PLAN_ORDERINGS = {
    "customer": ("customer__name", "pk"),
    "topic": ("topic", "pk"),
    "next_due": ("next_due", "pk"),
    "owner": ("owner__user__email", "pk"),
}
NOTICE_ORDERINGS = {
    "subject": ("subject", "pk"),
    "kind": ("kind", "pk"),
    "status": ("status", "pk"),
    "created": ("created_at", "pk"),
    "sent": ("sent_at", "pk"),
}


def _order(allowed: dict, ordering: str) -> list[str]:
    key = ordering.lstrip("-")
    fields = allowed.get(key) or next(iter(allowed.values()))
    return [f"-{f}" for f in fields] if ordering.startswith("-") else list(fields)


def plan_entry_list(
    *,
    customer: Customer | None = None,
    owner=None,
    topic: str = "",
    state: str = "",
    today: date,
    ordering: str = "next_due",
) -> QuerySet[CommunicationPlanEntry]:
    """The office's plan: all, `due` (within two weeks) or `overdue` (due before today)."""
    entries = CommunicationPlanEntry.objects.select_related("customer", "owner__user")
    if customer is not None:
        entries = entries.filter(customer=customer)
    if owner is not None:
        entries = entries.filter(owner=owner)
    if topic:
        entries = entries.filter(topic=topic)
    if state == "overdue":
        entries = entries.filter(next_due__lt=today)
    elif state == "due":
        entries = entries.filter(
            next_due__gte=today, next_due__lte=today + timedelta(DUE_SOON_DAYS)
        )
    return entries.order_by(*_order(PLAN_ORDERINGS, ordering))


def plan_entry_get(*, pk: int) -> CommunicationPlanEntry:
    entry = (
        CommunicationPlanEntry.objects.select_related("customer", "owner__user")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404(_("Not found."))
    return entry


def customer_plan(customer: Customer) -> list[CommunicationPlanEntry]:
    return list(
        CommunicationPlanEntry.objects.filter(customer=customer)
        .select_related("owner__user")
        .order_by("topic", "pk")
    )


def notice_list(
    *,
    customer: Customer | None = None,
    kind: str = "",
    status: str = "",
    search: str = "",
    sent_after: date | None = None,
    sent_before: date | None = None,
    ordering: str = "-created",
) -> QuerySet[Notice]:
    notices = Notice.objects.select_related("service")
    if customer is not None:
        notices = notices.filter(
            Q(Exists(NoticeAudience.objects.filter(notice=OuterRef("pk"), customer=customer)))
            | Q(customer_ids__contains=[customer.pk])
        )
    if kind:
        notices = notices.filter(kind=kind)
    if status:
        notices = notices.filter(status=status)
    if search:
        notices = notices.filter(Q(subject__icontains=search) | Q(body__icontains=search))
    if sent_after:
        notices = notices.filter(sent_at__date__gte=sent_after)
    if sent_before:
        notices = notices.filter(sent_at__date__lt=sent_before)
    return notices.order_by(*_order(NOTICE_ORDERINGS, ordering))


def notice_get(*, pk: int) -> Notice:
    notice = Notice.objects.select_related("service", "sent_by__user").filter(pk=pk).first()
    if notice is None:
        raise Http404(_("Not found."))
    return notice


def notice_updates(notice: Notice) -> list[NoticeUpdate]:
    return list(notice.updates.select_related("created_by__user").order_by("created_at", "pk"))


def notice_recipients(notice: Notice) -> QuerySet[NoticeRecipient]:
    return (
        NoticeRecipient.objects.filter(notice=notice)
        .select_related("customer")
        .order_by("customer__name", "contact__name", "pk")
    )


@dataclass
class Delivery:
    recipient: NoticeRecipient
    status: str
    status_label: str
    sent_at: object
    error: str


def deliveries(notice: Notice, recipients) -> list[Delivery]:
    """The email status of each recipient on a page, read in one query by outbox key."""
    rows = list(recipients)
    keys = {notice_key(notice.pk, r.contact_id): r for r in rows}
    found = {
        key: (status, sent_at, error)
        for key, status, sent_at, error in OutboxMessage.objects.filter(
            key__in=list(keys)
        ).values_list("key", "status", "sent_at", "last_error")
    }
    labels = dict(OutboxMessage.Status.choices)
    result = []
    for key, recipient in keys.items():
        status, sent_at, error = found.get(key, ("", None, ""))
        label = labels.get(status, _("Not queued yet"))
        result.append(Delivery(recipient, status, label, sent_at, error))
    return result


def delivery_summary(notice: Notice) -> dict[str, int]:
    """How many of the notice's emails are in each state (one query)."""
    from django.db.models import Count

    rows = (
        OutboxMessage.objects.filter(key__startswith=f"notice-{notice.pk}:")
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


# --- the portal ------------------------------------------------------------------------------


def portal_notice_list(scope: PortalScope) -> QuerySet[Notice]:
    """What the portal user's customer was sent: a customer reads every notice addressed to
    their customer; a purchaser those to the whole customer and those sent to their unit."""
    customer_id = scope.contact.customer_id
    addressed = NoticeAudience.objects.filter(notice=OuterRef("pk"), customer_id=customer_id)
    notices = Notice.objects.filter(status=Notice.Status.SENT)
    if scope.whole_customer:
        notices = notices.filter(Exists(addressed))
    else:
        to_unit = NoticeRecipient.objects.filter(
            notice=OuterRef("pk"), purchaser_id=scope.contact.purchaser_id
        )
        notices = notices.filter(
            Exists(addressed.filter(whole_customer=True))
            | (Exists(to_unit) if scope.contact.purchaser_id else Q(pk__in=[]))
        )
    return notices.order_by("-sent_at", "-pk")
