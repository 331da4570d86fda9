"""Reads of the complaints area: who sees which complaint, the timeline, the time left to each
target, the office policy, and the measures for the reports area.

`complaints_visible_to(member)` is the one rule of who sees what; every page, the portal, the
API and the services start from it. A complaint about a relationship manager is never shown to
that relationship manager.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.api.models import ApiKey
from brm.db.plans import office_wide
from brm.hours.arithmetic import ZERO, Calendar
from brm.hours.selectors import office_calendar
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Role, Tenant
from customers.selectors import portal_scope

from .clock import ACKNOWLEDGE, BREACH, RESOLVE, business_time_used, mark_due, targets_of
from .models import (
    DEFAULT_POLICY,
    ClockSpan,
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintPolicy,
    Escalation,
    Severity,
)

# Who sees what ---------------------------------------------------------------------------------


def complaints_visible_to(who: Membership | ApiKey | None) -> QuerySet[Complaint]:
    """The complaints `who` may see in the current office.

    Staff (every staff role) see the office's complaints except those about themselves as
    relationship manager; a customer (business manager) sees the customer's; a purchaser those
    of their own unit and those they raised; an API key (made by an admin) the office's. An
    inactive or unlinked member sees none.
    """
    qs = Complaint.objects.all()
    if isinstance(who, ApiKey):
        return qs
    if who is None or not who.is_active:
        return qs.none()
    if who.is_staff_role:
        return qs.exclude(rm_concerned=who)
    scope = portal_scope(who)
    if scope is None:
        return qs.none()
    qs = qs.filter(customer_id=scope.contact.customer_id)
    if scope.whole_customer:
        return qs
    own = Q(raiser_contact=scope.contact)
    if scope.purchaser_id is not None:
        own |= Q(purchaser_id=scope.purchaser_id)
    return qs.filter(own)


def complaints_visible_count(who: Membership | ApiKey | None) -> int:
    """How many complaints `who` sees, as `complaints_visible_to(who).count()`.

    For staff it is the office's less those about them: two index-only counts, where counting
    through the exclusion reads every row of the office's complaints."""
    if isinstance(who, Membership) and who.is_active and who.is_staff_role:
        with office_wide():
            every = Complaint.objects.count()
            return every - Complaint.objects.filter(rm_concerned=who).count()
    return complaints_visible_to(who).count()


def complaint_visible_to(complaint: Complaint, who: Membership | ApiKey | None) -> bool:
    return complaints_visible_to(who).filter(pk=complaint.pk).exists()


def attachment_readable_by(attachment: ComplaintAttachment, membership: Membership | None) -> bool:
    """Whether the serving view may hand this file to `membership`: one who sees the complaint,
    and for a file of an internal note only staff."""
    if membership is None or not membership.is_active:
        return False
    if attachment.internal and not membership.is_staff_role:
        return False
    return complaints_visible_to(membership).filter(pk=attachment.complaint_id).exists()


def complaint_list(who: Membership | ApiKey) -> QuerySet[Complaint]:
    """The visible complaints with what a list shows (one query)."""
    return complaints_visible_to(who).select_related(
        "customer", "purchaser", "category", "owner__user", "raiser_contact", "service"
    )


def category_list(*, offered_only: bool = False) -> QuerySet[ComplaintCategory]:
    qs = ComplaintCategory.objects.order_by("position", "name")
    return qs.filter(is_active=True) if offered_only else qs


def complaint_get(who: Membership | ApiKey, pk) -> Complaint:
    """One complaint `who` may see, with what its page shows; Complaint.DoesNotExist for one
    that does not exist, is another office's or is not theirs to see (a view answers 404 for
    all three alike)."""
    return complaint_list(who).select_related("rm_concerned").get(pk=pk)


def customers_in_escalation(customer_ids: list[int]) -> dict[int, str]:
    """{customer_id: reason} of the customers with an open complaint escalated to level 2 or 3:
    the quiet period in which the satisfaction area surveys none of their contacts (registered
    in apps.py as brm.web.registry.survey_quiet_periods). One query. A complaint about the
    relationship manager is not named: that RM may read the reason on a campaign's page."""
    open_escalated = (
        Complaint.objects.filter(
            customer_id__in=customer_ids, level__gte=2, status__in=Complaint.OPEN_STATUSES
        )
        .order_by("customer_id", "-level", "received_at", "pk")
        .values_list("customer_id", "reference", "level", "about_rm")
    )
    reasons: dict[int, str] = {}
    for customer_id, reference, level, about_rm in open_escalated:
        if customer_id in reasons:
            continue
        if about_rm:
            reasons[customer_id] = _(
                "A complaint of this customer is escalated to level %(level)s."
            ) % {"level": level}
        else:
            reasons[customer_id] = _("Complaint %(reference)s is escalated to level %(level)s.") % {
                "reference": reference,
                "level": level,
            }
    return reasons


def level_people(complaint: Complaint, level: int | None = None) -> list[Membership]:
    """Who stands at a level of the complaint's route (its own level by default): 1 the
    customer's relationship manager, 2 the IT managers, 3 the steering group; active members
    only, and never the relationship manager a complaint is about."""
    level = level or complaint.level
    if level == 1:
        rm = complaint.customer.relationship_manager
        people = [rm] if rm is not None and rm.is_active else []
    else:
        role = Role.IT_MANAGER if level == 2 else Role.STEERING
        people = list(
            Membership.objects.filter(role=role, is_active=True)
            .select_related("user")
            .order_by("pk")
        )
    return [m for m in people if m.pk != complaint.rm_concerned_id]


def complaint_route(complaint: Complaint) -> list[tuple[int, list[Membership]]]:
    """The route as the raiser follows it: each level from the one it started at, with the
    people there (a complaint about the RM has no level 1). Two queries."""
    first = 2 if complaint.about_rm else 1
    return [(level, level_people(complaint, level)) for level in range(first, 4)]


# The policy ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyValues:
    """The office's targets for one severity, in business hours."""

    severity: str
    acknowledge_hours: Decimal
    resolve_hours: Decimal
    level_2_resolve_hours: Decimal
    level_3_resolve_hours: Decimal
    is_default: bool = False

    def resolve_hours_at(self, level: int) -> Decimal:
        return {1: self.resolve_hours, 2: self.level_2_resolve_hours}.get(
            level, self.level_3_resolve_hours
        )


def _default(severity: str) -> PolicyValues:
    values = DEFAULT_POLICY[severity]
    return PolicyValues(
        severity=severity,
        acknowledge_hours=values["ack"],
        resolve_hours=values["resolve"],
        level_2_resolve_hours=values["l2"],
        level_3_resolve_hours=values["l3"],
        is_default=True,
    )


def complaint_policy() -> dict[str, PolicyValues]:
    """The office's policy per severity (most severe first): its own rows, the defaults for the
    severities it never set. One query."""
    rows = {row.severity: row for row in ComplaintPolicy.objects.all()}
    policy = {}
    for severity in Severity.values:
        row = rows.get(severity)
        policy[severity] = (
            PolicyValues(
                severity=severity,
                acknowledge_hours=row.acknowledge_hours,
                resolve_hours=row.resolve_hours,
                level_2_resolve_hours=row.level_2_resolve_hours,
                level_3_resolve_hours=row.level_3_resolve_hours,
            )
            if row
            else _default(severity)
        )
    return policy


# The timeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a complaint's timeline: an event (`event`) or a message (`message`, with its
    attachments prefetched as `message.attachments.all()`)."""

    at: datetime
    kind: str  # an event's kind, "message" or "note"
    event: ComplaintEvent | None = None
    message: ComplaintMessage | None = None


def complaint_timeline(complaint: Complaint, *, for_raiser: bool = False) -> list[TimelineEntry]:
    """Events and messages in time order. `for_raiser`: what the raiser's side may see (no
    internal notes, no staff-only events or files). Three queries."""
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")
    files = ComplaintAttachment.objects.order_by("created_at", "pk")
    messages = ComplaintMessage.objects.filter(complaint=complaint)
    if for_raiser:
        events = events.filter(internal=False)
        messages = messages.filter(internal=False)
        files = files.filter(internal=False)
    messages = messages.prefetch_related(Prefetch("attachments", queryset=files))
    entries = [TimelineEntry(at=e.at, kind=e.kind, event=e) for e in events]
    entries += [
        TimelineEntry(at=m.created_at, kind="note" if m.internal else "message", message=m)
        for m in messages
    ]
    return sorted(entries, key=lambda entry: entry.at)


def complaint_messages_for_raiser(complaint: Complaint) -> QuerySet[ComplaintMessage]:
    """The thread as the raiser's side reads it: internal notes are never in it."""
    return ComplaintMessage.objects.filter(complaint=complaint, internal=False).order_by(
        "created_at", "pk"
    )


# The clock as a page shows it ------------------------------------------------------------------


@dataclass(frozen=True)
class TargetState:
    """One target now: its business hours, the business time used and left (negative once
    past), when it falls due if the clock runs, and whether it was met, warned or breached."""

    name: str
    hours: timedelta
    used: timedelta
    left: timedelta
    due_at: datetime | None
    running: bool
    met_at: datetime | None
    breached: bool


@dataclass(frozen=True)
class ClockState:
    acknowledge: TargetState
    resolve: TargetState
    running: bool


def _state(complaint, spans, cal, now) -> ClockState:
    targets = targets_of(complaint)
    running = bool(spans) and spans[-1][1] is None
    states = {}
    for name, target in targets.items():
        until = target.done_at or now
        used = business_time_used(spans, target.started_at, until, cal)
        breached = (
            complaint.acknowledge_breached
            if name == ACKNOWLEDGE
            else complaint.resolve_target_breached_at is not None
        )
        states[name] = TargetState(
            name=name,
            hours=target.hours,
            used=used,
            left=target.hours - used,
            due_at=mark_due(target, BREACH, spans, cal),
            running=running and target.done_at is None,
            met_at=target.done_at,
            breached=breached,
        )
    return ClockState(acknowledge=states[ACKNOWLEDGE], resolve=states[RESOLVE], running=running)


def complaint_clock(
    complaint: Complaint, *, cal: Calendar | None = None, now: datetime | None = None
) -> ClockState:
    """The time left to each target in business time (one query, two more without `cal`)."""
    cal = cal or office_calendar()
    spans = list(
        ClockSpan.objects.filter(complaint=complaint)
        .order_by("started_at", "pk")
        .values_list("started_at", "ended_at")
    )
    return _state(complaint, spans, cal, now or timezone.now())


def complaint_clocks(
    complaints, *, cal: Calendar | None = None, now: datetime | None = None
) -> dict[int, ClockState]:
    """The clocks of a page of complaints, by id: one query for all their spans."""
    complaints = list(complaints)
    cal = cal or office_calendar()
    now = now or timezone.now()
    spans = _spans_by_complaint([c.pk for c in complaints])
    return {c.pk: _state(c, spans.get(c.pk, []), cal, now) for c in complaints}


def _spans_by_complaint(ids) -> dict[int, list]:
    spans: dict[int, list] = defaultdict(list)
    rows = (
        ClockSpan.objects.filter(complaint_id__in=ids)
        .order_by("complaint_id", "started_at", "pk")
        .values_list("complaint_id", "started_at", "ended_at")
    )
    for complaint_id, start, end in rows:
        spans[complaint_id].append((start, end))
    return spans


# Measures for the reports area -----------------------------------------------------------------


def percentile(values: list[timedelta], p: float) -> timedelta | None:
    """The nearest-rank percentile (p in 0..100): the smallest value with at least p % of the
    values at or below it; None for no values. The median is percentile 50."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class ComplaintMeasures:
    """The complaints received in a period, measured (business times in business hours)."""

    start: date
    end: date
    count: int = 0
    per_customer: list[tuple[int, str, int]] = field(default_factory=list)
    acknowledge_median: timedelta | None = None
    acknowledge_p90: timedelta | None = None
    resolve_median: timedelta | None = None
    resolve_p90: timedelta | None = None
    acknowledged_within_target_pct: float | None = None
    resolved_within_target_pct: float | None = None
    escalations_per_level: dict[int, int] = field(default_factory=dict)
    escalations_per_reason: dict[str, int] = field(default_factory=dict)
    reopen_rate_pct: float | None = None
    closed_confirmed: int = 0
    closed_deemed_accepted: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_root_cause: list[tuple[str, int]] = field(default_factory=list)
    by_severity: dict[str, int] = field(default_factory=dict)
    average_rating: float | None = None


def _period_bounds(start: date, end: date, zone) -> tuple[datetime, datetime]:
    begin = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    finish = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return begin, finish


def complaint_measures(
    *,
    start: date,
    end: date,
    customer=None,
    customers_in=None,
    cal: Calendar | None = None,
) -> ComplaintMeasures:
    """Measures of the complaints received from `start` to `end` (office dates, both
    included), of one customer or the office: counts per customer, median and 90th percentile
    business time to acknowledge and to resolve (over the clock's running spans), % within
    target, escalations per level (those made in the period), reopen rate, confirmed versus
    deemed accepted, by category, root cause and severity.

    Four queries whatever the number of complaints (two more without `cal`).
    """
    cal = cal or office_calendar()
    begin, finish = _period_bounds(start, end, cal.zone)
    complaints = Complaint.objects.filter(received_at__gte=begin, received_at__lt=finish)
    escalations = Escalation.objects.filter(at__gte=begin, at__lt=finish)
    if customer is not None:
        complaints = complaints.filter(customer=customer)
        escalations = escalations.filter(complaint__customer=customer)
    if customers_in is not None:  # a queryset of customers (an RM's, a division's): a subquery
        complaints = complaints.filter(customer__in=customers_in.values("pk"))
        escalations = escalations.filter(complaint__customer__in=customers_in.values("pk"))
    rows = list(
        complaints.values(
            "pk",
            "customer_id",
            "severity",
            "status",
            "category__name",
            "root_cause_category",
            "received_at",
            "acknowledged_at",
            "resolved_at",
            "acknowledge_breached",
            "resolve_breached",
            "reopen_count",
            "rating",
        )
    )
    measures = ComplaintMeasures(start=start, end=end, count=len(rows))
    measures.per_customer = [
        (row["customer_id"], row["customer__name"], row["n"])
        for row in complaints.values("customer_id", "customer__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "customer__name")
    ]
    for row in escalations.values("to_level", "reason").annotate(n=Count("pk")):
        level_count = measures.escalations_per_level.get(row["to_level"], 0)
        measures.escalations_per_level[row["to_level"]] = level_count + row["n"]
        reason_count = measures.escalations_per_reason.get(row["reason"], 0)
        measures.escalations_per_reason[row["reason"]] = reason_count + row["n"]
    if not rows:
        return measures
    spans = _spans_by_complaint([row["pk"] for row in rows])

    to_acknowledge, to_resolve = [], []
    acknowledged = acknowledged_in_time = resolved = resolved_in_time = ever_resolved = 0
    reopened = 0
    ratings = []
    for row in rows:
        mine = spans.get(row["pk"], [])
        if row["acknowledged_at"]:
            acknowledged += 1
            acknowledged_in_time += not row["acknowledge_breached"]
            to_acknowledge.append(
                business_time_used(mine, row["received_at"], row["acknowledged_at"], cal)
            )
        if row["resolved_at"]:
            resolved += 1
            resolved_in_time += not row["resolve_breached"]
            to_resolve.append(business_time_used(mine, row["received_at"], row["resolved_at"], cal))
        if row["resolved_at"] or row["reopen_count"]:
            ever_resolved += 1
            reopened += bool(row["reopen_count"])
        if row["rating"]:
            ratings.append(row["rating"])
    measures.acknowledge_median = percentile(to_acknowledge, 50)
    measures.acknowledge_p90 = percentile(to_acknowledge, 90)
    measures.resolve_median = percentile(to_resolve, 50)
    measures.resolve_p90 = percentile(to_resolve, 90)
    measures.acknowledged_within_target_pct = _pct(acknowledged_in_time, acknowledged)
    measures.resolved_within_target_pct = _pct(resolved_in_time, resolved)
    measures.reopen_rate_pct = _pct(reopened, ever_resolved)
    statuses = Counter(row["status"] for row in rows)
    measures.closed_confirmed = statuses[Complaint.Status.CLOSED_CONFIRMED]
    measures.closed_deemed_accepted = statuses[Complaint.Status.CLOSED_DEEMED_ACCEPTED]
    measures.by_category = sorted(
        Counter(row["category__name"] or "" for row in rows).items(), key=lambda kv: (-kv[1], kv[0])
    )
    measures.by_root_cause = sorted(
        Counter(row["root_cause_category"] for row in rows if row["root_cause_category"]).items(),
        key=lambda kv: (-kv[1], kv[0]),
    )
    measures.by_severity = dict(Counter(row["severity"] for row in rows))
    measures.average_rating = round(sum(ratings) / len(ratings), 2) if ratings else None
    return measures


def _office_zone():
    return Tenant.objects.get(pk=current_tenant_id()).zone


def complaints_per_customer(*, start: date, end: date) -> list[tuple[int, str, int]]:
    """The number of complaints received per customer from `start` to `end` (office dates),
    most first (the seed metric). Two queries."""
    begin, finish = _period_bounds(start, end, _office_zone())
    return [
        (row["customer_id"], row["customer__name"], row["n"])
        for row in Complaint.objects.filter(received_at__gte=begin, received_at__lt=finish)
        .values("customer_id", "customer__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "customer__name")
    ]


def complaint_trend(*, start: date, end: date, customer=None) -> list[tuple[date, int]]:
    """Complaints received per month (in the office's zone) from `start` to `end`, months
    without one left out. Two queries."""
    zone = _office_zone()
    begin, finish = _period_bounds(start, end, zone)
    qs = Complaint.objects.filter(received_at__gte=begin, received_at__lt=finish)
    if customer is not None:
        qs = qs.filter(customer=customer)
    return [
        (row["month"].astimezone(zone).date(), row["n"])
        for row in qs.annotate(month=TruncMonth("received_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]


def business_time_to(complaint: Complaint, until: datetime, *, cal: Calendar) -> timedelta:
    """The business time the complaint's clock ran from receipt to `until`."""
    spans = list(
        ClockSpan.objects.filter(complaint=complaint).values_list("started_at", "ended_at")
    )
    return business_time_used(spans, complaint.received_at, until, cal) if spans else ZERO


# A relationship manager's working day ------------------------------------------------------------


def complaints_near_or_past_target(who: Membership) -> QuerySet[Complaint]:
    """Open complaints of `who`'s customers, as `who` sees them (never those about them), whose
    target in force is nearly reached (a quarter of its business time left: the clock's warning)
    or past: the acknowledge target until acknowledged, then the resolve target. Annotated
    `past_target`; the ones past first, then by the resolve due time."""
    acknowledging = Q(acknowledged_at__isnull=True)
    past = (acknowledging & Q(acknowledge_breached=True)) | Q(
        resolve_target_breached_at__isnull=False
    )
    near = (acknowledging & Q(acknowledge_warned_at__isnull=False)) | Q(
        resolve_warned_at__isnull=False
    )
    return (
        complaint_list(who)
        .filter(customer__relationship_manager=who, status__in=Complaint.OPEN_STATUSES)
        .filter(past | near)
        .annotate(past_target=ExpressionWrapper(past, output_field=BooleanField()))
        .order_by("-past_target", "resolve_due_at", "pk")
    )
