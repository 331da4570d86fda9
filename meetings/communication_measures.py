"""Measures of communications, for the reports area (each in the current office, a fixed number
of queries whatever the rows; dates are the office's):

* `communications_by_period`: notices received (a sent notice addressed to the customer) and
  plan deliveries recorded by hand, per customer and month or quarter, in the shape of
  `meetings.measures.meetings_held_by_period`, so `combine_counts` adds held meetings for the
  seed's "frequency of communications with the customer";
* `plan_adherence`: of the plan entries' due dates that have passed, how many were delivered on
  or before the date (a delivery of a notice counts on its day);
* `major_incidents_by_customer`: sent major incidents addressed to each customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Trunc
from django.utils import timezone

from agreements import periods
from customers.models import Customer

from .communication_models import (
    CommunicationPlanEntry,
    Notice,
    NoticeAudience,
    PlanDelivery,
    Topic,
)
from .measures import PeriodCount, combine_counts


def _zone():
    from brm.tenancy.context import current_tenant_id
    from brm.tenancy.models import Tenant

    return Tenant.objects.only("time_zone").get(pk=current_tenant_id()).zone


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _counts(rows, period: str) -> list[PeriodCount]:
    result = []
    for customer_id, name, start_day, n in rows:
        start, end = periods.period_containing(period, start_day)
        result.append(PeriodCount(customer_id, name, start, end, n))
    return result


def communications_by_period(
    *,
    period: str = periods.MONTH,
    since: date | None = None,
    until: date | None = None,
    customer: Customer | None = None,
    customers_in=None,
) -> list[PeriodCount]:
    """Notices received and deliveries recorded without a notice, per customer and period
    (`customers_in`: only the customers of that queryset, a subquery)."""
    zone = _zone()
    audience = NoticeAudience.objects.filter(notice__status=Notice.Status.SENT)
    if customer is not None:
        audience = audience.filter(customer=customer)
    if customers_in is not None:
        audience = audience.filter(customer__in=customers_in.values("pk"))
    if since is not None:
        audience = audience.filter(notice__sent_at__gte=datetime.combine(since, time(), zone))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time(), zone)
        audience = audience.filter(notice__sent_at__lt=end)
    notices = (
        audience.annotate(
            start=Trunc("notice__sent_at", period, output_field=DateField(), tzinfo=zone)
        )
        .values_list("customer_id", "customer__name", "start")
        .annotate(n=Count("pk"))
        .order_by("customer__name", "customer_id", "start")
    )
    deliveries = PlanDelivery.objects.filter(notice__isnull=True)
    if customer is not None:
        deliveries = deliveries.filter(customer=customer)
    if customers_in is not None:
        deliveries = deliveries.filter(customer__in=customers_in.values("pk"))
    if since is not None:
        deliveries = deliveries.filter(delivered_on__gte=since)
    if until is not None:
        deliveries = deliveries.filter(delivered_on__lte=until)
    by_hand = (
        deliveries.annotate(start=Trunc("delivered_on", period, output_field=DateField()))
        .values_list("customer_id", "customer__name", "start")
        .annotate(n=Count("pk"))
        .order_by("customer__name", "customer_id", "start")
    )
    return combine_counts(_counts(notices, period), _counts(by_hand, period))


@dataclass(frozen=True)
class PlanAdherence:
    """Plan due dates passed (`due`) and those delivered on or before the date (`on_time`)."""

    due: int
    on_time: int

    @property
    def late_or_missing(self) -> int:
        return self.due - self.on_time

    @property
    def percent(self) -> float | None:
        return _percent(self.on_time, self.due)


def plan_adherence(
    *, since: date | None = None, today: date | None = None, customer: Customer | None = None
) -> PlanAdherence:
    """Of the due dates passed since `since` (default: the last 365 days): the deliveries made
    for a due date (on time or late) and the entries still overdue, and how many of those
    deliveries were on time. Two queries."""
    today = today or timezone.localdate(timezone.now(), _zone())
    since = since or today - timedelta(days=365)
    deliveries = PlanDelivery.objects.filter(due_on__gte=since, due_on__lt=today)
    overdue = CommunicationPlanEntry.objects.filter(next_due__gte=since, next_due__lt=today)
    if customer is not None:
        deliveries = deliveries.filter(customer=customer)
        overdue = overdue.filter(customer=customer)
    counted = deliveries.aggregate(
        due=Count("pk"), on_time=Count("pk", filter=Q(delivered_on__lte=F("due_on")))
    )
    return PlanAdherence(due=counted["due"] + overdue.count(), on_time=counted["on_time"])


@dataclass(frozen=True)
class IncidentCount:
    customer_id: int
    customer: str
    count: int


def major_incidents_by_customer(
    *, since: date | None = None, until: date | None = None
) -> list[IncidentCount]:
    """Sent major incidents addressed to each customer (those with none are left out)."""
    zone = _zone()
    audience = NoticeAudience.objects.filter(
        notice__status=Notice.Status.SENT, notice__kind=Topic.MAJOR_INCIDENT
    )
    if since is not None:
        audience = audience.filter(notice__sent_at__gte=datetime.combine(since, time(), zone))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time(), zone)
        audience = audience.filter(notice__sent_at__lt=end)
    rows = (
        audience.values_list("customer_id", "customer__name")
        .annotate(n=Count("pk"))
        .order_by("customer__name", "customer_id")
    )
    return [IncidentCount(c, name, n) for c, name, n in rows]
