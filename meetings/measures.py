"""How the office keeps its engagement promises, measured from the meetings' records (the reports
area reads these; the staff pages have their own selectors).

The seed metrics "number of performance reviews held per customer" and "frequency of
communications with the customer", cadence adherence (periods kept of those due), decisions
awaiting approval and their age, and action items from meetings closed on time. Each runs in the
current office in a fixed number of queries, whatever its number of rows.

Periods are calendar months or quarters in the office's time zone (agreements.periods), except
for adherence, whose periods are each cadence's own: from one occurrence date of its rule to the
day before the next (recurrence.period_of).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import Trunc, TruncDate
from django.utils import timezone

from agreements import periods
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Tenant
from customers.models import ActionItem, Customer

from . import recurrence
from .models import Cadence, Decision, Meeting, Minutes

DEFAULT_WINDOW_DAYS = 365


def _zone():
    return Tenant.objects.only("time_zone").get(pk=current_tenant_id()).zone


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _members(ids: Iterable[int]) -> list[Membership]:
    """The members of `ids` by name (one query), as the other areas' by-RM measures list them."""
    members = Membership.objects.filter(pk__in=list(ids)).select_related("user")
    return sorted(members, key=lambda m: ((m.user.get_full_name() or m.user.email).lower(), m.pk))


def _scoped(
    qs: QuerySet, *, relationship_manager=None, customer=None, customers_in=None
) -> QuerySet:
    """Records of one RM's customers, of one customer, or of the customers of `customers_in` (a
    queryset of customers, used as a subquery); every model here has `customer`."""
    if relationship_manager is not None:
        qs = qs.filter(customer__relationship_manager=relationship_manager)
    if customer is not None:
        qs = qs.filter(customer=customer)
    if customers_in is not None:
        qs = qs.filter(customer__in=customers_in.values("pk"))
    return qs


# Meetings held per customer and period ------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCount:
    """How many of something one customer had in one period (a month or a quarter)."""

    customer_id: int
    customer: str
    start: date
    end: date
    count: int


def _held_by_period(
    qs: QuerySet[Meeting], *, period: str, since: date | None, until: date | None, zone
) -> list[PeriodCount]:
    if since is not None:
        qs = qs.filter(starts_at__gte=datetime.combine(since, time(), tzinfo=zone))
    if until is not None:
        qs = qs.filter(
            starts_at__lt=datetime.combine(until + timedelta(days=1), time(), tzinfo=zone)
        )
    rows = (
        qs.annotate(period_start=Trunc("starts_at", period, output_field=DateField(), tzinfo=zone))
        .values("customer_id", "customer__name", "period_start")
        .annotate(n=Count("pk"))
        .order_by("customer__name", "customer_id", "period_start")
    )
    result = []
    for row in rows:
        start, end = periods.period_containing(period, row["period_start"])
        result.append(
            PeriodCount(
                customer_id=row["customer_id"],
                customer=row["customer__name"],
                start=start,
                end=end,
                count=row["n"],
            )
        )
    return result


def reviews_held_by_period(
    *,
    period: str = periods.MONTH,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
    customers_in: QuerySet[Customer] | None = None,
) -> list[PeriodCount]:
    """The seed metric "number of performance reviews held per customer": held meetings of a
    cadence whose minutes are published, per customer and month (or quarter) of their start in
    office time, by customer name then period. Periods without a review are left out.

    `since` and `until` are office dates, both inclusive."""
    qs = Meeting.objects.filter(
        kind=Meeting.Kind.CADENCE,
        status=Meeting.Status.HELD,
        minutes__status=Minutes.Status.PUBLISHED,
    )
    qs = _scoped(
        qs, relationship_manager=relationship_manager, customer=customer, customers_in=customers_in
    )
    return _held_by_period(qs, period=period, since=since, until=until, zone=_zone())


def meetings_held_by_period(
    *,
    period: str = periods.MONTH,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
    customers_in: QuerySet[Customer] | None = None,
) -> list[PeriodCount]:
    """The meetings' share of "frequency of communications with the customer": every held
    meeting (cadence or one-off, minutes or not) per customer and period, in the shape of
    reviews_held_by_period. The reports area adds the other channels with combine_counts."""
    qs = Meeting.objects.filter(status=Meeting.Status.HELD)
    qs = _scoped(
        qs, relationship_manager=relationship_manager, customer=customer, customers_in=customers_in
    )
    return _held_by_period(qs, period=period, since=since, until=until, zone=_zone())


def combine_counts(*series: Iterable[PeriodCount]) -> list[PeriodCount]:
    """Several per-customer-and-period counts added into one (held meetings and, once the
    communications area sends them, notices), by customer name then period."""
    totals: dict[tuple[int, date, date], int] = defaultdict(int)
    names: dict[int, str] = {}
    for rows in series:
        for row in rows:
            totals[row.customer_id, row.start, row.end] += row.count
            names[row.customer_id] = row.customer
    result = [
        PeriodCount(customer_id=c, customer=names[c], start=s, end=e, count=n)
        for (c, s, e), n in totals.items()
    ]
    return sorted(result, key=lambda r: (r.customer.lower(), r.customer_id, r.start, r.end))


# Cadence adherence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adherence:
    """Cadence periods kept (a held meeting with published minutes) of those due (finished)."""

    due: int
    kept: int

    @property
    def missed(self) -> int:
        return self.due - self.kept

    @property
    def percent(self) -> float | None:
        return _percent(self.kept, self.due)

    def __add__(self, other: Adherence) -> Adherence:
        return Adherence(due=self.due + other.due, kept=self.kept + other.kept)


NO_PERIODS = Adherence(due=0, kept=0)


@dataclass(frozen=True)
class CadenceAdherence:
    cadence_id: int
    customer_id: int
    customer: str
    relationship_manager_id: int
    adherence: Adherence


def _cadence_periods(rule, starts_on: date, since: date, today: date) -> list[tuple[date, date]]:
    """The cadence's periods that start on or after `since` and have ended before `today`."""
    days = recurrence.occurrence_dates(rule, start=starts_on, until=today)
    if not days:
        return []
    following = recurrence.next_date_after(rule, start=starts_on, after=days[-1])
    ends = [d - timedelta(days=1) for d in days[1:]]
    ends.append(following - timedelta(days=1) if following else days[-1])
    return [(s, e) for s, e in zip(days, ends, strict=True) if s >= since and e < today]


def cadence_adherence_rows(
    *,
    since: date | None = None,
    today: date | None = None,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
) -> list[CadenceAdherence]:
    """Per active cadence: the periods due since `since` (default a year back) and those kept.

    A period is due once it has ended; it is kept when a held meeting of the cadence with
    published minutes belongs to it (by its occurrence date, which a moved meeting keeps, else
    by its start in office time). A cancelled or unheld occurrence keeps nothing. A paused
    cadence promises nothing and is left out. Two queries whatever the number of cadences."""
    zone = _zone()
    today = today or timezone.localdate(timezone.now(), zone)
    since = since or today - timedelta(days=DEFAULT_WINDOW_DAYS)
    cadences = _scoped(
        Cadence.objects.filter(status=Cadence.Status.ACTIVE, starts_on__lt=today),
        relationship_manager=relationship_manager,
        customer=customer,
    )
    rows = list(
        cadences.values(
            "pk",
            "customer_id",
            "customer__name",
            "customer__relationship_manager_id",
            *Cadence.RULE_FIELDS,
        ).order_by("customer__name", "customer_id", "name", "pk")
    )
    held: dict[int, list[date]] = defaultdict(list)
    for cadence_id, occurrence_date, starts_at in Meeting.objects.filter(
        Q(occurrence_date__gte=since)
        | Q(starts_at__gte=datetime.combine(since, time(), tzinfo=zone)),
        cadence__in=cadences,
        status=Meeting.Status.HELD,
        minutes__status=Minutes.Status.PUBLISHED,
    ).values_list("cadence_id", "occurrence_date", "starts_at"):
        held[cadence_id].append(occurrence_date or timezone.localtime(starts_at, zone).date())
    result = []
    for row in rows:
        rule = recurrence.Rule(
            frequency=row["frequency"],
            interval=row["interval"] or 1,
            month_day=row["month_day"],
            weekday=row["weekday"],
            week_of_month=row["week_of_month"],
            starts_on=row["starts_on"],
        )
        spans = _cadence_periods(rule, row["starts_on"], since, today)
        starts = [s for s, _e in spans]
        kept = set()
        for day in held.get(row["pk"], ()):
            i = bisect.bisect_right(starts, day) - 1
            if i >= 0 and day <= spans[i][1]:
                kept.add(i)
        result.append(
            CadenceAdherence(
                cadence_id=row["pk"],
                customer_id=row["customer_id"],
                customer=row["customer__name"],
                relationship_manager_id=row["customer__relationship_manager_id"],
                adherence=Adherence(due=len(spans), kept=len(kept)),
            )
        )
    return result


def cadence_adherence(**filters) -> Adherence:
    """The office's cadence adherence (or one RM's, one customer's: same keywords as
    cadence_adherence_rows): periods kept of periods due, over every active cadence."""
    return sum((r.adherence for r in cadence_adherence_rows(**filters)), NO_PERIODS)


def cadence_adherence_by_customer(**filters) -> list[tuple[int, str, Adherence]]:
    """(customer id, name, adherence) for each customer with an active cadence, by name."""
    totals: dict[tuple[int, str], Adherence] = {}
    for r in cadence_adherence_rows(**filters):
        key = (r.customer_id, r.customer)
        totals[key] = totals.get(key, NO_PERIODS) + r.adherence
    return [(c, name, a) for (c, name), a in totals.items()]


def cadence_adherence_by_rm(
    *, since: date | None = None, today: date | None = None
) -> list[tuple[Membership, Adherence]]:
    """Adherence per relationship manager, over the cadences of their customers, by name."""
    totals: dict[int, Adherence] = {}
    for r in cadence_adherence_rows(since=since, today=today):
        rm = r.relationship_manager_id
        totals[rm] = totals.get(rm, NO_PERIODS) + r.adherence
    return [(m, totals[m.pk]) for m in _members(totals)]


# Decisions awaiting approval ----------------------------------------------------------------------


@dataclass(frozen=True)
class AwaitingDecision:
    pk: int
    title: str
    customer_id: int
    customer: str
    kind: str
    accountable: str
    created_at: datetime
    age_days: int


@dataclass(frozen=True)
class DecisionBacklog:
    """Decisions awaiting approval: how many, and how long they have waited (whole days)."""

    count: int
    oldest_days: int | None
    average_days: float | None


def _backlog(ages: list[int]) -> DecisionBacklog:
    if not ages:
        return DecisionBacklog(count=0, oldest_days=None, average_days=None)
    return DecisionBacklog(
        count=len(ages), oldest_days=max(ages), average_days=round(sum(ages) / len(ages), 1)
    )


def decisions_awaiting(
    *,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
    now: datetime | None = None,
) -> list[AwaitingDecision]:
    """Decisions still awaiting their accountable person, oldest first, with their age."""
    now = now or timezone.now()
    qs = _scoped(
        Decision.objects.filter(status=Decision.Status.PROPOSED),
        relationship_manager=relationship_manager,
        customer=customer,
    ).select_related("customer", "accountable_contact", "accountable_member__user")
    return [
        AwaitingDecision(
            pk=d.pk,
            title=d.title,
            customer_id=d.customer_id,
            customer=d.customer.name,
            kind=d.kind,
            accountable=d.accountable_name,
            created_at=d.created_at,
            age_days=max(0, (now - d.created_at).days),
        )
        for d in qs.order_by("created_at", "pk")
    ]


def decisions_awaiting_summary(
    *, relationship_manager: Membership | None = None, now: datetime | None = None
) -> DecisionBacklog:
    """The office's (or one RM's) decisions awaiting approval: count, oldest and average age."""
    now = now or timezone.now()
    qs = _scoped(
        Decision.objects.filter(status=Decision.Status.PROPOSED),
        relationship_manager=relationship_manager,
    )
    return _backlog([max(0, (now - c).days) for c in qs.values_list("created_at", flat=True)])


def decisions_awaiting_by_rm(
    *, now: datetime | None = None
) -> list[tuple[Membership, DecisionBacklog]]:
    """The same per relationship manager of the decisions' customers, by name."""
    now = now or timezone.now()
    ages: dict[int, list[int]] = defaultdict(list)
    for rm, created_at in Decision.objects.filter(status=Decision.Status.PROPOSED).values_list(
        "customer__relationship_manager_id", "created_at"
    ):
        ages[rm].append(max(0, (now - created_at).days))
    return [(m, _backlog(ages[m.pk])) for m in _members(ages)]


# Action items from meetings closed on time --------------------------------------------------------


@dataclass(frozen=True)
class OnTime:
    """Action items from meetings that were done (those with a due date), and those done by
    their due date (the day of completion in office time, at the latest the due date)."""

    closed: int
    on_time: int

    @property
    def late(self) -> int:
        return self.closed - self.on_time

    @property
    def percent(self) -> float | None:
        return _percent(self.on_time, self.closed)


def _meeting_actions_closed(
    since: date | None, zone, until: date | None = None
) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(
        meeting_link__isnull=False,
        status=ActionItem.Status.DONE,
        due_date__isnull=False,
        completed_at__isnull=False,
    )
    if since is not None:
        qs = qs.filter(completed_at__gte=datetime.combine(since, time(), tzinfo=zone))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time(), tzinfo=zone)
        qs = qs.filter(completed_at__lt=end)
    return qs.annotate(completed_on=TruncDate("completed_at", tzinfo=zone))


ON_TIME = Q(completed_on__lte=F("due_date"))


def meeting_actions_on_time(
    *,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
    customers_in: QuerySet[Customer] | None = None,
) -> OnTime:
    """Action items agreed in meetings and closed (from `since` to `until`, office dates, both
    included): how many, and how many on time. Of the office, one RM's customers, one customer
    or those of `customers_in`; one query."""
    qs = _scoped(
        _meeting_actions_closed(since, _zone(), until),
        relationship_manager=relationship_manager,
        customer=customer,
        customers_in=customers_in,
    )
    totals = qs.aggregate(closed=Count("pk"), on_time=Count("pk", filter=ON_TIME))
    return OnTime(closed=totals["closed"], on_time=totals["on_time"])


def meeting_actions_on_time_by_rm(*, since: date | None = None) -> list[tuple[Membership, OnTime]]:
    """The same per relationship manager of the items' customers, by name."""
    rows = {
        row["customer__relationship_manager"]: OnTime(closed=row["closed"], on_time=row["on_time"])
        for row in _meeting_actions_closed(since, _zone())
        .values("customer__relationship_manager")
        .annotate(closed=Count("pk"), on_time=Count("pk", filter=ON_TIME))
        .order_by()
    }
    return [(m, rows[m.pk]) for m in _members(rows)]


# Decisions approved -------------------------------------------------------------------------------


def decisions_approved(
    *,
    since: date | None = None,
    until: date | None = None,
    customers_in: QuerySet[Customer] | None = None,
) -> int:
    """Decisions approved by their accountable person from `since` to `until` (office dates,
    both included, by the day of approval in office time), of the office or the customers of
    `customers_in`; one query (two with the office's time zone)."""
    zone = _zone()
    qs = Decision.objects.filter(status=Decision.Status.APPROVED, decided_at__isnull=False)
    if since is not None:
        qs = qs.filter(decided_at__gte=datetime.combine(since, time(), tzinfo=zone))
    if until is not None:
        qs = qs.filter(
            decided_at__lt=datetime.combine(until + timedelta(days=1), time(), tzinfo=zone)
        )
    return _scoped(qs, customers_in=customers_in).count()
