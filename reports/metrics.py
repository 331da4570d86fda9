"""The office's metrics: what each measures, in what unit, and how it is computed from the areas'
own measures (customers, agreements, meetings, complaints, satisfaction selectors and measures).

Each metric is computed for the current office, on a day (an office date), for a scope: the whole
office, one relationship manager's customers, one division's customers or one customer. A scope
is handed to the areas' measures as a queryset of customers that they use as a subquery, so a
metric costs the same few queries whatever the number of customers.

A metric is a *state* (what the records say now: customers with a designated IT contact) or a
*flow* (what happened in a span: complaints received), computed over the month to the day and
the quarter to the day (reports.models.Window). `exact` says whether a past day can be
recomputed from the records (`reports_rebuild`): a state the records keep no history of can only
be measured as of now, so the daily job's snapshot is the only record of its past.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from agreements import periods
from agreements import selectors as agreements
from complaints import selectors as complaints
from customers import selectors as customers
from customers.models import Customer
from meetings import communication_measures as communications
from meetings import measures as meetings
from satisfaction import measures as satisfaction

from .models import ScopeKind, Window

# Units
COUNT, PERCENT, SCORE, HOURS, PER_CUSTOMER = "count", "percent", "score", "hours", "per_customer"
UNITS = (COUNT, PERCENT, SCORE, HOURS, PER_CUSTOMER)

# How far back the SLA metric looks for the last finished period.
SLA_LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class Scope:
    """Which customers a figure is about: the office (every customer), one RM's (`id` is the
    membership id), one division's (`id` is its name) or one customer (`id` is its id)."""

    kind: str = ScopeKind.OFFICE
    id: str = ""

    def customers_in(self) -> QuerySet[Customer] | None:
        """The scope's customers as a queryset (a subquery for the areas' measures), or None for
        the whole office."""
        if self.kind == ScopeKind.OFFICE:
            return None
        if self.kind == ScopeKind.RM:
            return Customer.objects.filter(relationship_manager_id=int(self.id))
        if self.kind == ScopeKind.DIVISION:
            return Customer.objects.filter(division=self.id)
        if self.kind == ScopeKind.CUSTOMER:
            return Customer.objects.filter(pk=int(self.id))
        raise ValueError(f"Unknown scope {self.kind!r}.")


OFFICE = Scope()


@dataclass(frozen=True)
class Figure:
    """A metric's value (None when there is nothing to measure, or too few answers to show),
    with the number it stands on and, for NPS and CSAT, its 95 % interval."""

    value: float | None
    n: int | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Span:
    """What a metric is computed over: `day` for a state, `start` to `day` (both included) for
    a flow."""

    start: date
    day: date


Compute = Callable[[Span, QuerySet[Customer] | None], Figure]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    definition: str
    compute: Compute
    flow: bool  # counted over a span (month / quarter to date) rather than a state on the day
    exact: bool  # a past day can be recomputed from the records
    higher_is_better: bool | None = True  # None: neither (a count of work, say)

    @property
    def windows(self) -> tuple[str, ...]:
        return (Window.MONTH, Window.QUARTER) if self.flow else (Window.STATE,)


# Several metrics read the same measure (the complaints' for seven of them): while the snapshots of
# a day are written, each measure is read once per scope and span (see shared_reads).
_reads: ContextVar[dict | None] = ContextVar("reports_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within the block, a measure read for one scope and span is read once and reused by the
    metrics built on it (the records do not change while a day's snapshots are written)."""
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def _shared(name: str, span: Span, c, read: Callable[[], object]):
    memo = _reads.get()
    if memo is None:
        return read()
    key = (name, span, None if c is None else str(c.query))
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _pct(part: int, whole: int) -> Figure:
    return Figure(value=round(100 * part / whole, 1) if whole else None, n=whole)


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _active_customers(customers_in) -> int:
    qs = Customer.objects.filter(status=Customer.Status.ACTIVE)
    if customers_in is not None:
        qs = qs.filter(pk__in=customers_in.values("pk"))
    return qs.count()


def _per_customer(count: int, customers_in) -> Figure:
    active = _active_customers(customers_in)
    return Figure(value=round(count / active, 2) if active else None, n=active)


# Customers: designated IT contact ----------------------------------------------------------------


def _coverage(span: Span, c) -> customers.Coverage:
    return _shared("coverage", span, c, lambda: customers.coverage(customers_in=c))


def _customers_it(span: Span, c) -> Figure:
    cov = _coverage(span, c)
    return Figure(value=cov.customers_with_rm, n=cov.customers)


def _customers_it_pct(span: Span, c) -> Figure:
    cov = _coverage(span, c)
    return _pct(cov.customers_with_rm, cov.customers)


def _purchasers_it(span: Span, c) -> Figure:
    cov = _coverage(span, c)
    return Figure(value=cov.purchasers_with_it_contact, n=cov.purchasers)


def _purchasers_it_pct(span: Span, c) -> Figure:
    cov = _coverage(span, c)
    return _pct(cov.purchasers_with_it_contact, cov.purchasers)


# Agreements and SLA -------------------------------------------------------------------------------


def _agreement_coverage(span: Span, c) -> agreements.Coverage:
    return _shared(
        "agreement_coverage", span, c, lambda: agreements.agreement_coverage(customers_in=c)
    )


def _agreements(span: Span, c) -> Figure:
    cov = _agreement_coverage(span, c)
    return Figure(value=cov.with_agreement_in_force, n=cov.customers)


def _agreements_pct(span: Span, c) -> Figure:
    cov = _agreement_coverage(span, c)
    return _pct(cov.with_agreement_in_force, cov.customers)


def _sla_met(span: Span, c) -> Figure:
    rows = agreements.sla_attainment_by_period(
        since=span.day - timedelta(days=SLA_LOOKBACK_DAYS), until=span.day, customers_in=c
    )
    if not rows:
        return Figure(value=None, n=0)
    last_end = max(r.end for r in rows)
    latest = [r for r in rows if r.end == last_end]  # a month and a quarter ending together
    return _pct(sum(r.met for r in latest), sum(r.measured for r in latest))


# Satisfaction (satisfaction's periods exclude `until`) ------------------------------------------


def _sat_span(span: Span) -> dict:
    return {"since": span.start, "until": span.day + timedelta(days=1)}


def _satisfied(span: Span, c) -> Figure:
    share = satisfaction.satisfied_customers(**_sat_span(span), customers_in=c)
    return _pct(share.part, share.whole)


def _figure(kind: str) -> Compute:
    def compute(span: Span, c) -> Figure:
        figures = _shared(
            "nps_and_csat",
            span,
            c,
            lambda: satisfaction.nps_and_csat(**_sat_span(span), customers_in=c),
        )
        figure = figures[kind]
        shown = figure.shown
        return Figure(
            value=figure.value if shown else None,
            n=figure.n,
            low=figure.low if shown else None,
            high=figure.high if shown else None,
        )

    return compute


def _response_rate(span: Span, c) -> Figure:
    share = satisfaction.response_rate(**_sat_span(span), customers_in=c)
    return _pct(share.part, share.whole)


def _surveys(span: Span, c) -> Figure:
    return Figure(value=satisfaction.surveys_closed(**_sat_span(span), customers_in=c))


def _channel(channel: str) -> Compute:
    def compute(span: Span, c) -> Figure:
        counts = _shared(
            "feedback_channels",
            span,
            c,
            lambda: satisfaction.feedback_channels(**_sat_span(span), customers_in=c),
        )
        return Figure(value=counts.get(channel, 0), n=sum(counts.values()))

    return compute


# Complaints ---------------------------------------------------------------------------------------


def _complaints(read: Callable[[complaints.ComplaintMeasures], float | None]) -> Compute:
    def compute(span: Span, c) -> Figure:
        measures = _shared(
            "complaints",
            span,
            c,
            lambda: complaints.complaint_measures(start=span.start, end=span.day, customers_in=c),
        )
        return Figure(value=read(measures), n=measures.count)

    return compute


# Engagement: reviews, communications, decisions, action items -------------------------------------


def _reviews(span: Span, c) -> int:
    def read() -> int:
        rows = meetings.reviews_held_by_period(since=span.start, until=span.day, customers_in=c)
        return sum(r.count for r in rows)

    return _shared("reviews", span, c, read)


def _communications(span: Span, c) -> int:
    held = meetings.meetings_held_by_period(since=span.start, until=span.day, customers_in=c)
    sent = communications.communications_by_period(since=span.start, until=span.day, customers_in=c)
    return sum(r.count for r in meetings.combine_counts(held, sent))


def _decisions(span: Span, c) -> Figure:
    return Figure(
        value=meetings.decisions_approved(since=span.start, until=span.day, customers_in=c)
    )


def _actions_on_time(span: Span, c) -> Figure:
    on_time = meetings.meeting_actions_on_time(since=span.start, until=span.day, customers_in=c)
    return _pct(on_time.on_time, on_time.closed)


def _m(key, label, unit, definition, compute, *, flow, exact, higher_is_better=True) -> Metric:
    return Metric(key, label, unit, definition, compute, flow, exact, higher_is_better)


METRICS: tuple[Metric, ...] = (
    _m(
        "customers_it_contact",
        "Customers with a designated IT contact",
        COUNT,
        "Customers not dormant whose relationship manager is an active member (n: customers).",
        _customers_it,
        flow=False,
        exact=False,
    ),
    _m(
        "customers_it_contact_pct",
        "Customers with a designated IT contact (%)",
        PERCENT,
        "The same as a share of the customers not dormant.",
        _customers_it_pct,
        flow=False,
        exact=False,
    ),
    _m(
        "purchasers_it_contact",
        "Purchasers with a designated IT contact",
        COUNT,
        "Purchasers of customers not dormant with an active IT contact (n: purchasers).",
        _purchasers_it,
        flow=False,
        exact=False,
    ),
    _m(
        "purchasers_it_contact_pct",
        "Purchasers with a designated IT contact (%)",
        PERCENT,
        "The same as a share of those purchasers.",
        _purchasers_it_pct,
        flow=False,
        exact=False,
    ),
    _m(
        "agreements_in_force",
        "Customers with a signed agreement in force",
        COUNT,
        "Active customers whose agreement has a version in force (n: active customers).",
        _agreements,
        flow=False,
        exact=False,
    ),
    _m(
        "agreements_in_force_pct",
        "Customers with a signed agreement in force (%)",
        PERCENT,
        "The same as a share of the active customers.",
        _agreements_pct,
        flow=False,
        exact=False,
    ),
    _m(
        "sla_lines_met_pct",
        "SLA lines met (%)",
        PERCENT,
        "Of the SLA measurements of the last period (month or quarter) ended by the day, those "
        "met (n: lines measured).",
        _sla_met,
        flow=False,
        exact=True,
    ),
    _m(
        "satisfied_customers_pct",
        "Satisfied customers (%)",
        PERCENT,
        "Of the customers who answered in campaigns closed in the window, those satisfied "
        "(satisfaction.measures; n: customers with answers).",
        _satisfied,
        flow=True,
        exact=True,
    ),
    _m(
        "nps",
        "NPS",
        SCORE,
        "Net promoter score of the campaigns closed in the window, with n and 95 % interval; "
        "none below the office's minimum of answers.",
        _figure("nps"),
        flow=True,
        exact=True,
    ),
    _m(
        "csat",
        "CSAT (%)",
        PERCENT,
        "Share of CSAT answers of 4 or 5 in the campaigns closed in the window, with n and "
        "95 % interval; none below the office's minimum of answers.",
        _figure("csat"),
        flow=True,
        exact=True,
    ),
    _m(
        "response_rate_pct",
        "Survey response rate (%)",
        PERCENT,
        "Responses per invitation delivered, of the campaigns closed in the window "
        "(n: invitations delivered).",
        _response_rate,
        flow=True,
        exact=True,
    ),
    _m(
        "surveys_closed",
        "Surveys",
        COUNT,
        "Campaigns closed in the window (for a scope: those that invited one of its customers).",
        _surveys,
        flow=True,
        exact=True,
        higher_is_better=None,
    ),
    _m(
        "feedback_link",
        "Feedback by survey link",
        COUNT,
        "Responses given through the survey link, campaigns closed in the window "
        "(n: all responses).",
        _channel("link"),
        flow=True,
        exact=True,
        higher_is_better=None,
    ),
    _m(
        "feedback_portal",
        "Feedback in the portal",
        COUNT,
        "Responses given in the portal, campaigns closed in the window (n: all responses).",
        _channel("portal"),
        flow=True,
        exact=True,
        higher_is_better=None,
    ),
    _m(
        "complaints_received",
        "Complaints received",
        COUNT,
        "Complaints received in the window.",
        _complaints(lambda m: m.count),
        flow=True,
        exact=True,
        higher_is_better=False,
    ),
    _m(
        "complaints_acknowledge_hours",
        "Time to acknowledge (median, business hours)",
        HOURS,
        "Median business time to acknowledge, of the complaints received in the window "
        "(n: complaints received).",
        _complaints(lambda m: _hours(m.acknowledge_median)),
        flow=True,
        exact=True,
        higher_is_better=False,
    ),
    _m(
        "complaints_resolve_hours",
        "Time to resolve (median, business hours)",
        HOURS,
        "Median business time to resolve, of the complaints received in the window.",
        _complaints(lambda m: _hours(m.resolve_median)),
        flow=True,
        exact=True,
        higher_is_better=False,
    ),
    _m(
        "complaints_acknowledged_in_target_pct",
        "Acknowledged within target (%)",
        PERCENT,
        "Of the complaints received in the window and acknowledged, those within target.",
        _complaints(lambda m: m.acknowledged_within_target_pct),
        flow=True,
        exact=True,
    ),
    _m(
        "complaints_resolved_in_target_pct",
        "Resolved within target (%)",
        PERCENT,
        "Of the complaints received in the window and resolved, those within target.",
        _complaints(lambda m: m.resolved_within_target_pct),
        flow=True,
        exact=True,
    ),
    _m(
        "escalations_level_2",
        "Escalations to the IT manager",
        COUNT,
        "Escalations to level 2 made in the window.",
        _complaints(lambda m: m.escalations_per_level.get(2, 0)),
        flow=True,
        exact=True,
        higher_is_better=False,
    ),
    _m(
        "escalations_level_3",
        "Escalations to the steering group",
        COUNT,
        "Escalations to level 3 made in the window.",
        _complaints(lambda m: m.escalations_per_level.get(3, 0)),
        flow=True,
        exact=True,
        higher_is_better=False,
    ),
    _m(
        "reviews_held",
        "Performance reviews held",
        COUNT,
        "Held cadence meetings with published minutes that started in the window.",
        lambda span, c: Figure(value=_reviews(span, c)),
        flow=True,
        exact=True,
    ),
    _m(
        "reviews_per_customer",
        "Performance reviews per customer",
        PER_CUSTOMER,
        "Reviews held in the window per active customer (n: active customers, as of now).",
        lambda span, c: _per_customer(_reviews(span, c), c),
        flow=True,
        exact=False,
    ),
    _m(
        "communications",
        "Communications",
        COUNT,
        "Held meetings, sent notices received by a customer and plan deliveries recorded by "
        "hand, in the window.",
        lambda span, c: Figure(value=_communications(span, c)),
        flow=True,
        exact=True,
    ),
    _m(
        "communications_per_customer",
        "Communications per customer",
        PER_CUSTOMER,
        "Communications in the window per active customer (n: active customers, as of now).",
        lambda span, c: _per_customer(_communications(span, c), c),
        flow=True,
        exact=False,
    ),
    _m(
        "decisions_approved",
        "Decisions approved",
        COUNT,
        "Decisions approved by their accountable person in the window.",
        _decisions,
        flow=True,
        exact=True,
    ),
    _m(
        "meeting_actions_on_time_pct",
        "Action items closed on time (%)",
        PERCENT,
        "Of the action items from meetings done in the window (with a due date), those done "
        "by their due date (n: closed).",
        _actions_on_time,
        flow=True,
        exact=True,
    ),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
CHOICES: list[tuple[str, str]] = [(m.key, m.label) for m in METRICS]


def metric_get(key: str) -> Metric:
    try:
        return BY_KEY[key]
    except KeyError:
        raise LookupError(f"No metric is named {key!r}.") from None


def window_start(window: str, day: date) -> date:
    """The first day a figure of this window covers: the day itself for a state, the first of
    the month or the quarter for a flow."""
    if window == Window.STATE:
        return day
    kind = periods.MONTH if window == Window.MONTH else periods.QUARTER
    return periods.period_containing(kind, day)[0]


def metric_value(
    metric: Metric | str, *, day: date, scope: Scope = OFFICE, window: str | None = None
) -> Figure:
    """The metric of the current office for `scope` on `day` (a flow: over `window`, by
    default the month to the day)."""
    if isinstance(metric, str):
        metric = metric_get(metric)
    window = window or metric.windows[0]
    if window not in metric.windows:
        raise ValueError(f"{metric.key} has no {window} window.")
    span = Span(start=window_start(window, day), day=day)
    return metric.compute(span, scope.customers_in())
