"""The satisfaction measures the reports area reads (each in the current office, a fixed number
of queries whatever the rows). Periods are office dates (`since` included, `until` excluded),
turned into times in the office's time zone; a campaign counts for the period it closed in.

* **% satisfied customers**: of the customers with answers, those satisfied. A customer is
  satisfied when at least 80 % of its CSAT answers are 4 or 5; a customer with NPS answers but
  none to CSAT, when its NPS is above 0. The customer's own answers decide, however few (this is
  a count of customers for the office, never shown per customer).
* **NPS and CSAT** with their n, interval and suppression (satisfaction.stats).
* **Response rate**: responses per invitation delivered.
* **Number of surveys**: campaigns closed in the period.
* **Feedback channels**: responses by where they were given, the survey link or the portal.
* **Follow-ups closed in time**: survey follow-up action items (source "survey") due in the
  period, and of them those done on or before their due date (office time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Tenant
from customers.models import ActionItem, Customer

from . import stats
from .models import Answer, Campaign, Invitation, Question, Response
from .results import BOTTOM, TOP, minimum_answers
from .stats import Figure

Kind = Question.Kind
SATISFIED_CSAT_SHARE = 0.8


def _zone():
    return Tenant.objects.only("time_zone").get(pk=current_tenant_id()).zone


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _closed_in(since: date | None, until: date | None, zone, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}status": Campaign.Status.CLOSED})
    if since is not None:
        q &= Q(**{f"{prefix}closed_at__gte": datetime.combine(since, time(), tzinfo=zone)})
    if until is not None:
        q &= Q(**{f"{prefix}closed_at__lt": datetime.combine(until, time(), tzinfo=zone)})
    return q


def _scoped(qs, path: str, relationship_manager, customer, customers_in=None):
    if relationship_manager is not None:
        qs = qs.filter(**{f"{path}relationship_manager": relationship_manager})
    if customer is not None:
        qs = qs.filter(**{path.rstrip("_") or "customer": customer})
    if customers_in is not None:  # a queryset of customers (a division's...): a subquery
        qs = qs.filter(**{f"{path.rstrip('_')}__in": customers_in.values("pk")})
    return qs


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return _percent(self.part, self.whole)


def satisfied_customers(
    *,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
    customers_in=None,
) -> Share:
    """Customers satisfied (part) of the customers with answers (whole); two queries.
    `customers_in`, here and below: only the customers of that queryset (a subquery)."""
    answers = _scoped(
        Answer.objects.filter(
            _closed_in(since, until, _zone(), "response__campaign__"),
            question__kind__in=(Kind.NPS, Kind.CSAT),
            value__isnull=False,
        ),
        "response__customer__",
        relationship_manager,
        None,
        customers_in,
    )
    rows = (
        answers.values("response__customer", "question__kind")
        .annotate(n=Count("pk"), top=Count("pk", filter=TOP), bottom=Count("pk", filter=BOTTOM))
        .order_by()
    )
    per_customer: dict[int, dict[str, dict]] = {}
    for row in rows:
        per_customer.setdefault(row["response__customer"], {})[row["question__kind"]] = row
    satisfied = 0
    for kinds in per_customer.values():
        if Kind.CSAT in kinds:
            c = kinds[Kind.CSAT]
            satisfied += c["top"] >= SATISFIED_CSAT_SHARE * c["n"]
        else:
            c = kinds[Kind.NPS]
            satisfied += c["top"] > c["bottom"]
    return Share(part=satisfied, whole=len(per_customer))


def nps_and_csat(
    *,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
    customers_in=None,
) -> dict[str, Figure]:
    """{"nps": Figure, "csat": Figure} of the campaigns closed in the period (of the office, one
    RM's customers or one customer), held to the office's minimum; three queries."""
    minimum = minimum_answers()
    answers = _scoped(
        Answer.objects.filter(
            _closed_in(since, until, _zone(), "response__campaign__"),
            question__kind__in=(Kind.NPS, Kind.CSAT),
            value__isnull=False,
        ),
        "response__customer__",
        relationship_manager,
        customer,
        customers_in,
    )
    counts = {
        row["question__kind"]: row
        for row in answers.values("question__kind")
        .annotate(n=Count("pk"), top=Count("pk", filter=TOP), bottom=Count("pk", filter=BOTTOM))
        .order_by()
    }
    nps = counts.get(Kind.NPS, {"n": 0, "top": 0, "bottom": 0})
    csat = counts.get(Kind.CSAT, {"n": 0, "top": 0})
    return {
        "nps": stats.nps_figure(
            nps["top"], nps["n"] - nps["top"] - nps["bottom"], nps["bottom"], minimum=minimum
        ),
        "csat": stats.csat_figure(csat["top"], csat["n"], minimum=minimum),
    }


def response_rate(
    *,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
    customer: Customer | None = None,
    customers_in=None,
) -> Share:
    """Responses (part) per invitation delivered (whole) of the campaigns closed in the
    period; three queries."""
    closed = _closed_in(since, until, _zone(), "campaign__")
    responses = _scoped(
        Response.objects.filter(closed), "customer__", relationship_manager, customer, customers_in
    ).count()
    delivered = _scoped(
        Invitation.objects.filter(closed, status=Invitation.Status.SENT),
        "customer__",
        relationship_manager,
        customer,
        customers_in,
    ).count()
    return Share(part=responses, whole=delivered)


def surveys_closed(
    *, since: date | None = None, until: date | None = None, customers_in=None
) -> int:
    """The number of surveys: campaigns closed in the period (with `customers_in`: those that
    invited one of its customers); two queries."""
    campaigns = Campaign.objects.filter(_closed_in(since, until, _zone()))
    if customers_in is not None:
        invited = Invitation.objects.filter(
            campaign=OuterRef("pk"), customer__in=customers_in.values("pk")
        )
        campaigns = campaigns.filter(Exists(invited))
    return campaigns.count()


def feedback_channels(
    *, since: date | None = None, until: date | None = None, customers_in=None
) -> dict[str, int]:
    """Responses of the campaigns closed in the period by channel ("link", "portal"; every
    channel present, zero or not); two queries."""
    counts = dict.fromkeys(Response.Channel.values, 0)
    responses = Response.objects.filter(_closed_in(since, until, _zone(), "campaign__"))
    rows = (
        _scoped(responses, "customer__", None, None, customers_in)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["channel"]] = row["n"]
    return counts


def follow_ups_closed_in_time(
    *,
    since: date | None = None,
    until: date | None = None,
    relationship_manager: Membership | None = None,
) -> Share:
    """Survey follow-ups due in the period (whole) and those done by their due date (part);
    two queries. A cancelled follow-up counts as not done in time."""
    zone = _zone()
    items = ActionItem.objects.filter(source=ActionItem.Source.SURVEY, due_date__isnull=False)
    if since is not None:
        items = items.filter(due_date__gte=since)
    if until is not None:
        items = items.filter(due_date__lt=until)
    items = _scoped(items, "customer__", relationship_manager, None)
    totals = items.annotate(completed_on=TruncDate("completed_at", tzinfo=zone)).aggregate(
        due=Count("pk"),
        in_time=Count(
            "pk",
            filter=Q(status=ActionItem.Status.DONE, completed_on__lte=F("due_date")),
        ),
    )
    return Share(part=totals["in_time"], whole=totals["due"])
