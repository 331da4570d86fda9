"""The results of the satisfaction surveys (selectors: reads only, in the current office).

Everything is counted in SQL, grouped by the slice asked for (the campaign, a customer, a
relationship manager, a division, a service, a campaign of a trend), so a page reads a fixed
number of queries however many responses there are: at 50,000 responses no answer is loaded
into Python one by one. The counts become figures in satisfaction/stats.py (value, 95 %
interval, n, suppressed below the office's minimum, indicative above a margin of 20 points).

The anonymity mode of a campaign decides what comes with the figures:

* attributed: comments may say who wrote them;
* confidential and anonymous: aggregates only. A comment says neither who nor when, it is shown
  only when the campaign has at least the minimum number of comments, and it names its customer
  only when that customer has at least the minimum number of responses (so a customer of one
  respondent does not give the respondent away). Comments are then in alphabetical order, not
  by time.

The response rate is the number of responses per invitation delivered (status "Delivered": the
mail server took it), held back and failed invitations not counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from brm.tenancy.models import Membership

from . import stats
from .models import (
    Answer,
    Campaign,
    Invitation,
    Question,
    Response,
    SatisfactionSettings,
    Survey,
)
from .stats import Figure

Kind = Question.Kind
# The scored kinds with one figure a slice (a service rating has one per service).
SLICE_KINDS = (Kind.NPS, Kind.CSAT, Kind.EFFORT)
COMMENT_LIMIT = 100

TOP = Q(question__kind=Kind.NPS, value__gte=9) | Q(
    question__kind__in=(Kind.CSAT, Kind.SERVICE_RATING), value__gte=4
)
BOTTOM = Q(question__kind=Kind.NPS, value__lte=6) | Q(
    question__kind__in=(Kind.CSAT, Kind.SERVICE_RATING), value__lte=2
)


def minimum_answers() -> int:
    """The office's minimum number of answers behind a shown figure (the default when the office
    never saved its settings: a read does not make the row)."""
    value = SatisfactionSettings.objects.values_list("minimum_answers", flat=True).first()
    return value or stats.DEFAULT_MINIMUM


@dataclass
class Counts:
    """What SQL counts of one kind in one slice; they add up across slices."""

    n: int = 0
    top: int = 0
    bottom: int = 0
    total: int = 0
    squares: int = 0

    def add(self, other: Counts) -> None:
        self.n += other.n
        self.top += other.top
        self.bottom += other.bottom
        self.total += other.total
        self.squares += other.squares

    @property
    def nps_parts(self) -> tuple[int, int, int]:
        return self.top, self.n - self.top - self.bottom, self.bottom


@dataclass
class Slice:
    """The figures of one slice: its responses, invitations delivered and response rate, NPS,
    CSAT and the effort average."""

    key: Any
    label: str
    minimum: int
    counts: dict[str, Counts] = field(default_factory=dict)
    responses: int = 0
    delivered: int = 0
    when: Any = None  # a trend point's close time

    def _counts(self, kind) -> Counts:
        return self.counts.get(kind) or Counts()

    @property
    def nps(self) -> Figure:
        return stats.nps_figure(*self._counts(Kind.NPS).nps_parts, minimum=self.minimum)

    @property
    def csat(self) -> Figure:
        c = self._counts(Kind.CSAT)
        return stats.csat_figure(c.top, c.n, minimum=self.minimum)

    @property
    def effort(self) -> Figure:
        c = self._counts(Kind.EFFORT)
        return stats.average_figure(
            c.total, c.squares, c.n, scale=Question.SCALES[Kind.EFFORT], minimum=self.minimum
        )

    @property
    def response_rate(self) -> float | None:
        return stats.response_rate(self.responses, self.delivered)

    def as_dict(self) -> dict:
        rate = self.response_rate
        return {
            "label": self.label,
            "responses": self.responses,
            "delivered": self.delivered,
            "response_rate": None if rate is None else round(rate, 1),
            "nps": self.nps.as_dict(),
            "csat": self.csat.as_dict(),
            "effort": self.effort.as_dict(),
        }


@dataclass(frozen=True)
class ServiceRating:
    key: int
    label: str
    rating: Figure  # the 1-5 average
    satisfied: Figure  # the share of 4-5

    def as_dict(self) -> dict:
        return {
            "service": self.key,
            "name": self.label,
            "rating": self.rating.as_dict(),
            "satisfied": self.satisfied.as_dict(),
        }


@dataclass(frozen=True)
class Comment:
    text: str
    question: str
    customer: str | None  # None when naming it would give the respondent away
    who: str | None  # attributed mode only
    submitted_at: Any = None  # attributed mode only


@dataclass
class CampaignResults:
    campaign: Campaign
    minimum: int
    overall: Slice
    account_weighted: Figure
    customers: list[Slice]
    services: list[ServiceRating]
    comments: list[Comment]
    comments_count: int
    comments_withheld: bool
    trend: list[Slice]

    def as_dict(self) -> dict:
        """The figures as the API gives them (the same suppression as the page)."""
        return {
            "campaign": self.campaign.pk,
            "anonymity": self.campaign.anonymity,
            "minimum_answers": self.minimum,
            "overall": self.overall.as_dict(),
            "account_weighted_nps": self.account_weighted.as_dict(),
            "customers": [{"customer": s.key, **s.as_dict()} for s in self.customers],
            "services": [s.as_dict() for s in self.services],
            "comments": [
                {"text": c.text, "question": c.question, "customer": c.customer, "who": c.who}
                for c in self.comments
            ],
            "comments_count": self.comments_count,
            "comments_withheld": self.comments_withheld,
            "trend": [{"campaign": s.key, "closes_at": s.when, **s.as_dict()} for s in self.trend],
        }


# Counting -----------------------------------------------------------------------------------------


def _answer_counts(answers, by: Iterable[str]) -> dict[tuple, dict[str, Counts]]:
    """{slice key: {kind: Counts}} of the scored answers, grouped by `by` (Answer paths)."""
    by = list(by)
    rows = (
        answers.filter(value__isnull=False)
        .values(*by, "question__kind")
        .annotate(
            n=Count("pk"),
            top=Count("pk", filter=TOP),
            bottom=Count("pk", filter=BOTTOM),
            total=Sum("value"),
            squares=Sum(F("value") * F("value")),
        )
        .order_by()
    )
    table: dict[tuple, dict[str, Counts]] = defaultdict(dict)
    for row in rows:
        key = tuple(row[name] for name in by)
        table[key][row["question__kind"]] = Counts(
            n=row["n"],
            top=row["top"],
            bottom=row["bottom"],
            total=row["total"] or 0,
            squares=row["squares"] or 0,
        )
    return table


def _slices(
    campaign_ids: list[int],
    *,
    by: str | None,
    label: str | None,
    minimum: int,
    customer_id: int | None = None,
) -> dict[Any, Slice]:
    """The slices of the campaigns `campaign_ids` grouped by `by`, a path that Response and
    Invitation share ("customer", "customer__division", "customer__relationship_manager",
    "campaign"; None for one slice), of one customer when `customer_id` is given. Three
    queries."""
    keys = [by] if by else []
    labels = [label] if label and label != by else []
    only = {"customer_id": customer_id} if customer_id else {}
    slices: dict[Any, Slice] = {}

    def slice_for(row) -> Slice:
        key = row[by] if by else None
        if key not in slices:
            slices[key] = Slice(
                key=key, label=str(row[label] or "") if label else "", minimum=minimum
            )
        return slices[key]

    def counted(qs) -> list[dict]:
        if not keys:  # one slice: one row, even of zero
            return [qs.aggregate(n=Count("pk"))]
        return list(qs.values(*keys, *labels).annotate(n=Count("pk")).order_by())

    for row in counted(Response.objects.filter(campaign_id__in=campaign_ids, **only)):
        slice_for(row).responses = row["n"]
    delivered = Invitation.objects.filter(
        campaign_id__in=campaign_ids, status=Invitation.Status.SENT, **only
    )
    for row in counted(delivered):
        slice_for(row).delivered = row["n"]
    answers = Answer.objects.filter(
        response__campaign_id__in=campaign_ids,
        question__kind__in=SLICE_KINDS,
        **{f"response__{k}": v for k, v in only.items()},
    )
    paths = [f"response__{by}"] if by else []
    for key, counts in _answer_counts(answers, paths).items():
        row = {by: key[0]} if by else {}
        if label and label not in row:
            row[label] = ""
        slice_for(row).counts = counts
    return slices


def _by_label(slices: dict[Any, Slice]) -> list[Slice]:
    return sorted(slices.values(), key=lambda s: (s.label.casefold(), str(s.key)))


def _account_weighted(customers: Iterable[Slice], minimum: int) -> Figure:
    return stats.account_weighted_nps(
        (s._counts(Kind.NPS).nps_parts for s in customers), minimum=minimum
    )


# The campaign -------------------------------------------------------------------------------------


def campaign_results(campaign: Campaign, *, minimum: int | None = None) -> CampaignResults:
    """Every figure of one campaign, for the page and the API, in a fixed number of queries
    (nine with the office's minimum; thirteen when its line has earlier campaigns)."""
    minimum = minimum if minimum is not None else minimum_answers()
    only = [campaign.pk]
    customers = _by_label(_slices(only, by="customer", label="customer__name", minimum=minimum))
    # The campaign's counts are the sums of its customers' (one pass over the answers, not two).
    overall = _sum(customers, key=campaign.pk, label=campaign.name, minimum=minimum)
    comments, count, withheld = _comments(campaign, customers, minimum)
    return CampaignResults(
        campaign=campaign,
        minimum=minimum,
        overall=overall,
        account_weighted=_account_weighted(customers, minimum),
        customers=customers,
        services=service_ratings(only, minimum=minimum),
        comments=comments,
        comments_count=count,
        comments_withheld=withheld,
        trend=campaign_trend(campaign, minimum=minimum, current=overall),
    )


def _sum(slices: Iterable[Slice], *, key, label: str, minimum: int) -> Slice:
    total = Slice(key=key, label=label, minimum=minimum)
    for part in slices:
        total.responses += part.responses
        total.delivered += part.delivered
        for kind, counts in part.counts.items():
            total.counts.setdefault(kind, Counts()).add(counts)
    return total


def service_ratings(
    campaign_ids: list[int], *, minimum: int, customer_id: int | None = None
) -> list[ServiceRating]:
    """The average rating (1-5) and the share of 4-5 per catalogue service rated; one query."""
    answers = Answer.objects.filter(
        response__campaign_id__in=campaign_ids,
        question__kind=Kind.SERVICE_RATING,
        service__isnull=False,
    )
    if customer_id:
        answers = answers.filter(response__customer_id=customer_id)
    rows = []
    for (pk, name), counts in _answer_counts(answers, ["service", "service__name"]).items():
        c = counts.get(Kind.SERVICE_RATING) or Counts()
        rows.append(
            ServiceRating(
                key=pk,
                label=name,
                rating=stats.average_figure(
                    c.total,
                    c.squares,
                    c.n,
                    scale=Question.SCALES[Kind.SERVICE_RATING],
                    minimum=minimum,
                ),
                satisfied=stats.csat_figure(c.top, c.n, minimum=minimum),
            )
        )
    return sorted(rows, key=lambda r: r.label.casefold())


def _comments(
    campaign: Campaign, customers: list[Slice], minimum: int
) -> tuple[list[Comment], int, bool]:
    """(the comments shown, how many there are, whether they are withheld); two queries."""
    texts = Answer.objects.filter(response__campaign=campaign, question__kind=Kind.TEXT).exclude(
        text=""
    )
    count = texts.count()
    if not count:
        return [], 0, False
    if campaign.shows_individual_responses:
        rows = texts.order_by("-response__submitted_at", "pk").values(
            "text",
            "question__text",
            "response__customer__name",
            "response__invitation__name",
            "response__submitted_at",
        )[:COMMENT_LIMIT]
        return (
            [
                Comment(
                    text=row["text"],
                    question=row["question__text"],
                    customer=row["response__customer__name"],
                    who=row["response__invitation__name"],
                    submitted_at=row["response__submitted_at"],
                )
                for row in rows
            ],
            count,
            False,
        )
    if count < minimum:
        return [], count, True
    named = {s.key for s in customers if s.responses >= minimum}
    rows = texts.order_by("text", "pk").values(
        "text", "question__text", "response__customer", "response__customer__name"
    )[:COMMENT_LIMIT]
    comments = [
        Comment(
            text=row["text"],
            question=row["question__text"],
            customer=row["response__customer__name"]
            if row["response__customer"] in named
            else None,
            who=None,
        )
        for row in rows
    ]
    return comments, count, False


# Trends -------------------------------------------------------------------------------------------


@dataclass
class TrendPoint(Slice):
    """A campaign as a point of a trend (`when`: its close time)."""

    status: str = ""


def campaign_lineage(campaign: Campaign) -> list[int]:
    """The ids of the campaigns of the same line: its repeat chain (`previous`) and the campaigns
    of any version of its survey (the survey's `previous` chain). Two queries."""
    links = list(Campaign.objects.values_list("pk", "previous_id", "survey_id"))
    surveys = list(Survey.objects.values_list("pk", "previous_id"))
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a, b):
        parent[find(a)] = find(b)

    for pk, previous_id, survey_id in links:
        union(("c", pk), ("s", survey_id))
        if previous_id:
            union(("c", pk), ("c", previous_id))
    for pk, previous_id in surveys:
        if previous_id:
            union(("s", pk), ("s", previous_id))
    root = find(("c", campaign.pk))
    return [pk for pk, _previous, _survey in links if find(("c", pk)) == root]


def campaign_trend(
    campaign: Campaign, *, minimum: int, current: Slice | None = None
) -> list[TrendPoint]:
    """The campaign's line (campaign_lineage) as a trend: its closed campaigns and itself, by
    close time; six queries. `current`, the campaign's own counts when the caller has them, is
    not counted again."""
    line = campaign_lineage(campaign)
    if current is None:
        closed_or_this = Q(pk__in=line) & (Q(status=Campaign.Status.CLOSED) | Q(pk=campaign.pk))
        return trend(closed_or_this, minimum=minimum)
    others = Q(pk__in=[pk for pk in line if pk != campaign.pk], status=Campaign.Status.CLOSED)
    point = TrendPoint(
        key=campaign.pk,
        label=campaign.name,
        minimum=minimum,
        when=campaign.closes_at,
        status=campaign.status,
        counts=current.counts,
        responses=current.responses,
        delivered=current.delivered,
    )
    return sorted([*trend(others, minimum=minimum), point], key=lambda p: (p.when, p.key))


def trend(campaigns: Q, *, minimum: int, customer_id: int | None = None) -> list[TrendPoint]:
    """One point per campaign of `campaigns` (a filter of Campaign), by close time, of one
    customer when `customer_id` is given; four queries."""
    meta = list(Campaign.objects.filter(campaigns).values("pk", "name", "closes_at", "status"))
    slices = _slices(
        [row["pk"] for row in meta],
        by="campaign",
        label="campaign__name",
        minimum=minimum,
        customer_id=customer_id,
    )
    points = []
    for row in meta:
        point = TrendPoint(
            key=row["pk"],
            label=row["name"],
            minimum=minimum,
            when=row["closes_at"],
            status=row["status"],
        )
        found = slices.get(row["pk"])
        if found is not None:
            point.counts = found.counts
            point.responses = found.responses
            point.delivered = found.delivered
        points.append(point)
    return sorted(points, key=lambda p: (p.when, p.key))


# The office -------------------------------------------------------------------------------------

OVERVIEW_MONTHS = (3, 6, 12, 24, 0)  # 0: every closed campaign


@dataclass
class Overview:
    minimum: int
    months: int
    overall: Slice
    account_weighted: Figure
    trend: list[TrendPoint]
    relationship_managers: list[Slice]
    divisions: list[Slice]
    services: list[ServiceRating]


def office_overview(*, months: int = 12, minimum: int | None = None) -> Overview:
    """The campaigns closed in the last `months` (0: all): their trend, the figures of them all
    (and account-weighted), per relationship manager (the customers' RM now), per division and
    per service; sixteen queries however many campaigns and responses."""
    minimum = minimum if minimum is not None else minimum_answers()
    closed = Q(status=Campaign.Status.CLOSED)
    if months:
        closed &= Q(closed_at__gte=timezone.now() - timedelta(days=round(months * 365 / 12)))
    points = trend(closed, minimum=minimum)
    ids = [p.key for p in points]
    overall = _sum(points, key=None, label="", minimum=minimum)
    customers = _slices(ids, by="customer", label="customer__name", minimum=minimum)
    rms = _slices(ids, by="customer__relationship_manager", label=None, minimum=minimum)
    members = {
        m.pk: m
        for m in Membership.objects.filter(pk__in=[k for k in rms if k]).select_related("user")
    }
    for key, found in rms.items():
        found.label = str(members[key].user) if key in members else ""
    divisions = _slices(ids, by="customer__division", label=None, minimum=minimum)
    for key, found in divisions.items():
        found.label = key or ""
    return Overview(
        minimum=minimum,
        months=months,
        overall=overall,
        account_weighted=_account_weighted(customers.values(), minimum),
        trend=points,
        relationship_managers=_by_label(rms),
        divisions=_by_label(divisions),
        services=service_ratings(ids, minimum=minimum),
    )


# A customer ---------------------------------------------------------------------------------------


def customer_trend(customer, *, minimum: int | None = None) -> list[TrendPoint]:
    """One customer's figures per closed campaign that invited it (for the customer page),
    by close time; five queries with the minimum."""
    minimum = minimum if minimum is not None else minimum_answers()
    invited = Invitation.objects.filter(customer=customer).values("campaign_id")
    return trend(
        Q(status=Campaign.Status.CLOSED, pk__in=invited),
        minimum=minimum,
        customer_id=customer.pk,
    )


# The portal ---------------------------------------------------------------------------------------

PORTAL_CAMPAIGNS = 12


@dataclass
class PublishedResult:
    """A published campaign as the portal shows it: the office-wide figures, the customer's own
    (each held to the minimum like any figure) and the "you said, we did" summary."""

    campaign: dict
    office: Slice
    own: Slice


def published_results(customer_id: int, *, minimum: int | None = None) -> list[PublishedResult]:
    """The published campaigns that invited the customer, newest first (the last twelve), with
    the office's and the customer's figures; eight queries. Never an unpublished campaign and
    never another customer's figures: `own` is counted with the customer's id alone."""
    minimum = minimum if minimum is not None else minimum_answers()
    invited = Invitation.objects.filter(customer_id=customer_id).values("campaign_id")
    campaigns = list(
        Campaign.objects.filter(
            status=Campaign.Status.CLOSED, published_at__isnull=False, pk__in=invited
        )
        .order_by("-closes_at", "-pk")
        .values("pk", "name", "summary", "opens_at", "closes_at", "published_at")[:PORTAL_CAMPAIGNS]
    )
    ids = [c["pk"] for c in campaigns]
    office = _slices(ids, by="campaign", label="campaign__name", minimum=minimum)
    own = _slices(
        ids, by="campaign", label="campaign__name", minimum=minimum, customer_id=customer_id
    )
    return [
        PublishedResult(
            campaign=c,
            office=office.get(c["pk"]) or Slice(key=c["pk"], label=c["name"], minimum=minimum),
            own=own.get(c["pk"]) or Slice(key=c["pk"], label=c["name"], minimum=minimum),
        )
        for c in campaigns
    ]
