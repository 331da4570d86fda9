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
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from brm.tenancy.models import Membership
from customers.models import Customer

from .models import Agreement, AgreementVersion, Signature

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
}


def agreement_list(
    *,
    state: str | None = None,
    relationship_manager: Membership | None = None,
    search: str = "",
    ordering: str = "customer",
    today: date | None = None,
) -> QuerySet[Agreement]:
    """The office's agreements with their customer, the version in force, state, review date
    and how many signatures are awaited; by customer name unless `ordering` says otherwise
    (a key of AGREEMENT_ORDERINGS; an unknown one is the default)."""
    qs = with_state(Agreement.objects.select_related("customer__relationship_manager__user"), today)
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


def agreement_coverage(*, relationship_manager: Membership | None = None) -> Coverage:
    """Customers with a signed, current written agreement (a seed metric), of the office's
    active customers or one RM's. Prospects and dormant customers are not counted."""
    customers = Customer.objects.filter(status=Customer.Status.ACTIVE)
    if relationship_manager is not None:
        customers = customers.filter(relationship_manager=relationship_manager)
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
