"""The reads of the complaints pages' lists: filters, search and sorting over what the member
may see (`selectors.complaint_list`), the steering group's level-3 list, and the customer
page's panel. Each is one query for the page's rows; the time left to each target comes from
`selectors.complaint_clocks` (one more query for the page)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When

from brm.tenancy.models import Membership

from . import selectors
from .models import MAX_LEVEL, Complaint, Severity

SEVERITY_RANK = Case(
    *[When(severity=s, then=Value(i)) for i, s in enumerate(Severity.values)],
    output_field=IntegerField(),
)

ORDERINGS = {
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
    "reference": ("reference", "pk"),
    "-reference": ("-reference", "-pk"),
    "severity": ("severity_rank", "-received_at", "-pk"),
    "-severity": ("-severity_rank", "-received_at", "-pk"),
    "status": ("status", "-received_at", "-pk"),
    "-status": ("-status", "-received_at", "-pk"),
    "level": ("level", "-received_at", "-pk"),
    "-level": ("-level", "-received_at", "-pk"),
    "customer": ("customer__name", "-received_at", "-pk"),
    "-customer": ("-customer__name", "-received_at", "-pk"),
    "resolve_due": ("resolve_due_at", "pk"),
    "-resolve_due": ("-resolve_due_at", "-pk"),
}
DEFAULT_ORDERING = "-received"


def complaint_page_list(
    who: Membership, *, filters: dict | None = None, ordering: str = DEFAULT_ORDERING
) -> QuerySet[Complaint]:
    """The complaints `who` sees, filtered (status — "open" for every open status —, severity,
    level, breached, customer, owner, category, `q` on reference or subject) and sorted."""
    filters = filters or {}
    qs = selectors.complaint_list(who).annotate(severity_rank=SEVERITY_RANK)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=Complaint.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("severity"):
        qs = qs.filter(severity=filters["severity"])
    if filters.get("level"):
        qs = qs.filter(level=int(filters["level"]))
    breached = Q(acknowledge_breached=True) | Q(resolve_breached=True)
    if filters.get("breached") == "yes":
        qs = qs.filter(breached)
    elif filters.get("breached") == "no":
        qs = qs.exclude(breached)
    for name in ("customer", "owner", "category"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(reference__icontains=q) | Q(subject__icontains=q))
    return qs.order_by(*ORDERINGS.get(ordering, ORDERINGS[DEFAULT_ORDERING]))


def steering_list(who: Membership) -> QuerySet[Complaint]:
    """The complaints at the steering group's level, open ones first, the oldest first."""
    return (
        selectors.complaint_list(who)
        .filter(level=MAX_LEVEL)
        .annotate(
            closed_rank=Case(
                When(status__in=Complaint.OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed_rank", "received_at", "pk")
    )


def customer_panel(who: Membership, customer) -> dict:
    """A customer's complaints as the member sees them: open, breached and the latest (two
    queries)."""
    mine = selectors.complaints_visible_to(who).filter(customer=customer)
    counts = mine.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=Complaint.OPEN_STATUSES)),
        breached=Count(
            "pk",
            filter=Q(status__in=Complaint.OPEN_STATUSES)
            & (Q(acknowledge_breached=True) | Q(resolve_breached=True)),
        ),
        latest=Max("received_at"),
    )
    latest = list(mine.order_by("-received_at", "-pk")[:3])
    return {**counts, "latest_complaints": latest}
