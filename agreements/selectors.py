"""Reads for Partnership Agreements: lists, one agreement, its history, and the office's measures.

Every read runs in the current tenant. An agreement's state is read off its versions in SQL
(`state`, annotated), so lists can filter and sort by it, and `agreement_state` says the same for
values already in hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from brm.tenancy.models import Membership
from customers.models import Customer

from . import periods
from .models import Agreement, AgreementVersion, Signature, SlaLine, SlaMeasurement

State = Agreement.State
Status = AgreementVersion.Status


def agreement_state(
    *, in_force: bool, in_signature: bool, review_due: date | None, today: date
) -> str:
    """None in force; review overdue (in force past its review date, whatever is in
    signature); in force with a newer version in signature; in force."""
    if not in_force:
        return State.NONE_IN_FORCE
    if review_due is not None and review_due < today:
        return State.REVIEW_OVERDUE
    if in_signature:
        return State.IN_FORCE_NEWER_IN_SIGNATURE
    return State.IN_FORCE


def _versions(status: str):
    return AgreementVersion.objects.filter(agreement_id=OuterRef("pk"), status=status)


def with_state(qs: QuerySet[Agreement], today: date | None = None) -> QuerySet[Agreement]:
    """Annotate: `in_force_number`, `in_signature_number`, `pending_signatures`, `state`."""
    today = today or timezone.localdate()
    pending = (
        Signature.objects.filter(
            version__agreement_id=OuterRef("pk"),
            version__status=Status.IN_SIGNATURE,
            status=Signature.Status.PENDING,
        )
        .order_by()
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        in_force_number=Subquery(_versions(Status.IN_FORCE).values("number")[:1]),
        in_signature_number=Subquery(_versions(Status.IN_SIGNATURE).values("number")[:1]),
        pending_signatures=Coalesce(Subquery(pending, output_field=IntegerField()), 0),
        has_in_signature=Exists(_versions(Status.IN_SIGNATURE)),
        state=Case(
            When(in_force_number__isnull=True, then=Value(State.NONE_IN_FORCE)),
            When(review_due__lt=today, then=Value(State.REVIEW_OVERDUE)),
            When(has_in_signature=True, then=Value(State.IN_FORCE_NEWER_IN_SIGNATURE)),
            default=Value(State.IN_FORCE),
            output_field=CharField(),
        ),
    )


AGREEMENT_ORDERINGS = {
    "customer": ("customer__name", "pk"),
    "-customer": ("-customer__name", "-pk"),
    "version": (F("in_force_number").asc(nulls_first=True), "customer__name", "pk"),
    "-version": (F("in_force_number").desc(nulls_last=True), "customer__name", "pk"),
    "state": ("state", "customer__name", "pk"),
    "-state": ("-state", "customer__name", "pk"),
    "review": (F("review_due").asc(nulls_last=True), "customer__name", "pk"),
    "-review": (F("review_due").desc(nulls_last=True), "customer__name", "pk"),
    "pending": ("pending_signatures", "customer__name", "pk"),
    "-pending": ("-pending_signatures", "customer__name", "pk"),
    "rm": ("customer__relationship_manager__user__full_name", "customer__name", "pk"),
    "-rm": ("-customer__relationship_manager__user__full_name", "customer__name", "pk"),
    "sla": (F("sla_attainment").asc(nulls_last=True), "customer__name", "pk"),
    "-sla": (F("sla_attainment").desc(nulls_last=True), "customer__name", "pk"),
}


def agreement_list(
    *,
    state: str | None = None,
    relationship_manager: Membership | None = None,
    search: str = "",
    ordering: str = "customer",
    today: date | None = None,
) -> QuerySet[Agreement]:
    """The office's agreements with their customer, the version in force, state, review date,
    how many signatures are awaited and the SLA attainment of the last finished month; by
    customer name unless `ordering` says otherwise (a key of AGREEMENT_ORDERINGS; an unknown
    one is the default)."""
    qs = with_state(Agreement.objects.select_related("customer__relationship_manager__user"), today)
    qs = with_sla_attainment(qs, today)
    if state:
        qs = qs.filter(state=state)
    if relationship_manager is not None:
        qs = qs.filter(customer__relationship_manager=relationship_manager)
    if search:
        qs = qs.filter(customer__name__icontains=search)
    return qs.order_by(*AGREEMENT_ORDERINGS.get(ordering, AGREEMENT_ORDERINGS["customer"]))


def agreement_get(*, pk: int) -> Agreement:
    """One agreement of the office, annotated like the list; another office's is a 404."""
    return get_object_or_404(agreement_list(), pk=pk)


def agreement_for_customer(customer: Customer) -> Agreement | None:
    return agreement_list().filter(customer=customer).first()


def version_history(agreement: Agreement) -> QuerySet[AgreementVersion]:
    """Every version of the agreement, newest first, with its signatures."""
    return (
        AgreementVersion.objects.filter(agreement=agreement)
        .prefetch_related("signatures__membership__user")
        .order_by("-number")
    )


def version_get(*, pk: int) -> AgreementVersion:
    return get_object_or_404(AgreementVersion.objects.select_related("agreement__customer"), pk=pk)


# What the portal shows: a customer (who holds the mandate) every version that left the office's
# drafts; a purchaser the version in force alone.
PORTAL_CUSTOMER_STATUSES = (
    Status.IN_SIGNATURE,
    Status.IN_FORCE,
    Status.SUPERSEDED,
    Status.WITHDRAWN,
)


def portal_version_list(
    *, agreement: Agreement, whole_customer: bool
) -> QuerySet[AgreementVersion]:
    """The versions a portal user of the agreement's customer may read, newest first."""
    statuses = PORTAL_CUSTOMER_STATUSES if whole_customer else (Status.IN_FORCE,)
    return (
        AgreementVersion.objects.filter(agreement=agreement, status__in=statuses)
        .select_related("agreement__customer")
        .prefetch_related("signatures__membership__user")
        .order_by("-number")
    )


def signatures_awaited(version: AgreementVersion) -> QuerySet[Signature]:
    pending = Signature.objects.filter(version=version, status=Signature.Status.PENDING)
    return pending.select_related("membership__user")


# Measures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Active customers with a signed agreement in force: count, of how many, and the %."""

    customers: int
    with_agreement_in_force: int

    @property
    def percent(self) -> float | None:
        if not self.customers:
            return None
        return round(100 * self.with_agreement_in_force / self.customers, 1)


def _in_force_exists():
    return Exists(
        AgreementVersion.objects.filter(
            agreement__customer_id=OuterRef("pk"), status=Status.IN_FORCE
        )
    )


def agreement_coverage(
    *,
    relationship_manager: Membership | None = None,
    customers_in: QuerySet[Customer] | None = None,
) -> Coverage:
    """Customers with a signed, current written agreement (a seed metric), of the office's
    active customers, one RM's or those of `customers_in` (a queryset of customers, used as a
    subquery). Prospects and dormant customers are not counted."""
    customers = Customer.objects.filter(status=Customer.Status.ACTIVE)
    if relationship_manager is not None:
        customers = customers.filter(relationship_manager=relationship_manager)
    if customers_in is not None:
        customers = customers.filter(pk__in=customers_in.values("pk"))
    figures = customers.aggregate(
        customers=Count("pk"), with_agreement_in_force=Count("pk", filter=Q(_in_force_exists()))
    )
    return Coverage(**figures)


def agreement_coverage_by_rm() -> list[tuple[Membership, Coverage]]:
    """The coverage per relationship manager of the office's active customers, by name."""
    rows = (
        Customer.objects.filter(status=Customer.Status.ACTIVE)
        .annotate(in_force=_in_force_exists())
        .values("relationship_manager")
        .annotate(
            customers=Count("pk"), with_agreement_in_force=Count("pk", filter=Q(in_force=True))
        )
        .order_by()
    )
    figures = {row["relationship_manager"]: row for row in rows}
    members = Membership.objects.filter(pk__in=figures).select_related("user")
    result = [
        (
            member,
            Coverage(
                customers=figures[member.pk]["customers"],
                with_agreement_in_force=figures[member.pk]["with_agreement_in_force"],
            ),
        )
        for member in members
    ]
    return sorted(result, key=lambda pair: (pair[0].user.get_full_name().lower(), pair[0].pk))


def agreements_overdue_for_review(
    *, relationship_manager: Membership | None = None, today: date | None = None
) -> QuerySet[Agreement]:
    """Agreements in force whose review date has passed, the longest overdue first."""
    return agreement_list(
        state=State.REVIEW_OVERDUE, relationship_manager=relationship_manager, today=today
    ).order_by(F("review_due").asc(), "pk")


# Who may read which version (the PDF downloads) ------------------------------------------------


def portal_readable_versions(*, scope, membership: Membership) -> QuerySet[AgreementVersion]:
    """The versions of their customer's agreement a portal user may read.

    A customer (who holds the mandate) reads the versions in force and superseded, and the one
    in signature that names them (awaiting their signature, or signed by them while the others
    sign); a purchaser only the version in force. Never a draft, a withdrawn version, or another
    customer's. `scope` is customers.selectors.portal_scope's.
    """
    versions = AgreementVersion.objects.filter(
        agreement__customer_id=scope.contact.customer_id
    ).select_related("agreement__customer")
    if not scope.whole_customer:
        return versions.filter(status=Status.IN_FORCE)
    awaiting = Exists(
        Signature.objects.filter(
            version_id=OuterRef("pk"),
            membership=membership,
            status__in=[Signature.Status.PENDING, Signature.Status.SIGNED],
        )
    )
    return versions.filter(
        Q(status__in=[Status.IN_FORCE, Status.SUPERSEDED]) | Q(awaiting, status=Status.IN_SIGNATURE)
    )


# The SLA appendix --------------------------------------------------------------------------------

MET = Q(line__direction=SlaLine.Direction.AT_LEAST, actual_value__gte=F("line__target_value")) | Q(
    line__direction=SlaLine.Direction.AT_MOST, actual_value__lte=F("line__target_value")
)


def _percent(met: int, measured: int) -> float | None:
    return round(100 * met / measured, 1) if measured else None


@dataclass(frozen=True)
class PeriodAttainment:
    """SLA lines met of those measured in one period: "% of IT services where the required
    service level matches the provided service level"."""

    start: date
    end: date
    measured: int
    met: int

    @property
    def percent(self) -> float | None:
        return _percent(self.met, self.measured)


def sla_lines(version: AgreementVersion) -> QuerySet[SlaLine]:
    """The version's SLA and OLA lines, in position order, with service and owner."""
    return (
        SlaLine.objects.filter(version=version)
        .select_related("service", "owner__user")
        .order_by("position", "pk")
    )


def sla_measurement_get(*, agreement: Agreement, pk: int) -> SlaMeasurement:
    """A measurement of this agreement; another agreement's or office's is a 404."""
    return get_object_or_404(
        SlaMeasurement.objects.select_related("line__service"), agreement=agreement, pk=pk
    )


@dataclass(frozen=True)
class SlaCell:
    period: tuple[date, date]
    measurement: SlaMeasurement | None

    @property
    def met(self) -> bool | None:
        """Met, not met, or None when missing (derived: actual against the measured line)."""
        if self.measurement is None:
            return None
        return self.measurement.target_met

    @property
    def state(self) -> str:
        return {True: "met", False: "not_met", None: "missing"}[self.met]


@dataclass(frozen=True)
class SlaTableRow:
    line: SlaLine
    cells: list[SlaCell]


@dataclass(frozen=True)
class SlaTable:
    """The lines measured by one kind of period (month or quarter) against recent periods."""

    kind: str
    periods: list[tuple[date, date]]
    rows: list[SlaTableRow]

    @property
    def labels(self) -> list[str]:
        return [periods.period_label(self.kind, start) for start, _end in self.periods]

    @property
    def attainment(self) -> list[PeriodAttainment]:
        result = []
        for i, (start, end) in enumerate(self.periods):
            cells = [row.cells[i] for row in self.rows]
            measured = [c for c in cells if c.measurement is not None]
            met = sum(1 for c in measured if c.met)
            result.append(PeriodAttainment(start=start, end=end, measured=len(measured), met=met))
        return result


# How many finished periods the appendix shows, by default and at most.
SLA_TABLE_PERIODS = {periods.MONTH: 6, periods.QUARTER: 4}
SLA_TABLE_MAX_PERIODS = 24


def version_in_force(agreement: Agreement) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(agreement=agreement, status=Status.IN_FORCE).first()


def sla_measurement_table(
    agreement: Agreement,
    *,
    version: AgreementVersion | None,
    count: int | None = None,
    today: date | None = None,
) -> list[SlaTable]:
    """The appendix of the version in force, a table per kind of period: its lines by the last
    finished periods, each cell met, not met or missing. Two queries whatever the size."""
    if version is None:
        return []
    today = today or timezone.localdate()
    lines = list(sla_lines(version))
    tables = []
    wanted: dict[str, list[tuple[date, date]]] = {}
    for kind in (periods.MONTH, periods.QUARTER):
        if any(line.period == kind for line in lines):
            n = min(count or SLA_TABLE_PERIODS[kind], SLA_TABLE_MAX_PERIODS)
            wanted[kind] = periods.recent_periods(kind, today, n)
    if not wanted:
        return []
    earliest = min(p[0][0] for p in wanted.values())
    found = {
        (m.line_key, m.period_start): m
        for m in SlaMeasurement.objects.filter(
            agreement=agreement,
            line_key__in=[line.key for line in lines],
            period_start__gte=earliest,
        ).select_related("line")
    }
    for kind, kind_periods in wanted.items():
        rows = [
            SlaTableRow(
                line=line,
                cells=[
                    SlaCell(period=p, measurement=found.get((line.key, p[0]))) for p in kind_periods
                ],
            )
            for line in lines
            if line.period == kind
        ]
        tables.append(SlaTable(kind=kind, periods=kind_periods, rows=rows))
    return tables


def sla_attainment_by_period(
    *,
    agreement: Agreement | None = None,
    relationship_manager: Membership | None = None,
    since: date | None = None,
    until: date | None = None,
    customers_in: QuerySet[Customer] | None = None,
) -> list[PeriodAttainment]:
    """The seed measure "% of SLA lines met per period", of the office, one RM's customers,
    the customers of `customers_in` (a queryset, used as a subquery) or one agreement, oldest
    period first; `until`: periods ended by then. A month and a quarter ending together are two
    periods."""
    qs = SlaMeasurement.objects.all()
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    if relationship_manager is not None:
        qs = qs.filter(agreement__customer__relationship_manager=relationship_manager)
    if customers_in is not None:
        qs = qs.filter(agreement__customer__in=customers_in.values("pk"))
    if since is not None:
        qs = qs.filter(period_start__gte=since)
    if until is not None:
        qs = qs.filter(period_end__lte=until)
    rows = (
        qs.values("period_start", "period_end")
        .annotate(measured=Count("pk"), met=Count("pk", filter=MET))
        .order_by("period_start", "period_end")
    )
    return [
        PeriodAttainment(
            start=r["period_start"], end=r["period_end"], measured=r["measured"], met=r["met"]
        )
        for r in rows
    ]


def sla_attainment_by_rm(
    *, since: date | None = None
) -> list[tuple[Membership, list[PeriodAttainment]]]:
    """The same measure per relationship manager (of their customers' agreements), by name."""
    qs = SlaMeasurement.objects.all()
    if since is not None:
        qs = qs.filter(period_start__gte=since)
    rows = (
        qs.values("agreement__customer__relationship_manager", "period_start", "period_end")
        .annotate(measured=Count("pk"), met=Count("pk", filter=MET))
        .order_by("period_start", "period_end")
    )
    by_rm: dict[int, list[PeriodAttainment]] = {}
    for r in rows:
        by_rm.setdefault(r["agreement__customer__relationship_manager"], []).append(
            PeriodAttainment(
                start=r["period_start"], end=r["period_end"], measured=r["measured"], met=r["met"]
            )
        )
    members = Membership.objects.filter(pk__in=by_rm).select_related("user")
    result = [(member, by_rm[member.pk]) for member in members]
    return sorted(result, key=lambda pair: (pair[0].user.get_full_name().lower(), pair[0].pk))


def last_finished_month_end(today: date | None = None) -> date:
    return periods.last_finished(periods.MONTH, today or timezone.localdate())[1]


def with_sla_attainment(qs: QuerySet[Agreement], today: date | None = None) -> QuerySet[Agreement]:
    """Annotate agreements with the attainment of the last finished period (the last calendar
    month; a quarter counts in the month it ends): `sla_measured`, `sla_met` and
    `sla_attainment` (% of the measured lines met, None when nothing was measured)."""
    end = last_finished_month_end(today)

    def counted(extra: Q | None = None):
        return Coalesce(
            Subquery(
                SlaMeasurement.objects.filter(
                    Q(agreement_id=OuterRef("pk"), period_end=end) & (extra or Q())
                )
                .order_by()
                .values("agreement_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return qs.annotate(sla_measured=counted(), sla_met=counted(MET)).annotate(
        sla_attainment=Cast(F("sla_met"), FloatField()) * 100 / NullIf(F("sla_measured"), 0)
    )


# A relationship manager's working day ------------------------------------------------------------


def versions_awaiting_signature(*, relationship_manager: Membership) -> QuerySet[AgreementVersion]:
    """Versions in signature of the member's customers' agreements, the longest waiting first,
    with `pending` (signatures awaited) and `mine_pending` (whether the member's is one)."""
    pending = Signature.objects.filter(version_id=OuterRef("pk"), status=Signature.Status.PENDING)
    return (
        AgreementVersion.objects.filter(
            status=Status.IN_SIGNATURE,
            agreement__customer__relationship_manager=relationship_manager,
        )
        .select_related("agreement__customer")
        .annotate(
            pending=Coalesce(
                Subquery(
                    pending.order_by().values("version_id").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            mine_pending=Exists(pending.filter(membership=relationship_manager)),
        )
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def agreements_due_for_review(
    *, relationship_manager: Membership, by: date, today: date | None = None
) -> QuerySet[Agreement]:
    """Agreements of the member's customers in force whose review falls due by `by`, overdue
    included, the earliest first."""
    return (
        agreement_list(relationship_manager=relationship_manager, today=today)
        .filter(in_force_number__isnull=False, review_due__lte=by)
        .order_by(F("review_due").asc(), "pk")
    )
