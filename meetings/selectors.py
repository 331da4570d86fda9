"""Reads of the meetings area for the staff pages: the meetings list (mine, upcoming, held, by
customer), missed cadences, cadences with their next occurrence, the decision log, and the
cadence adherence of a customer (held with published minutes / due).

Every read runs inside the request's tenant (the scoped managers), in a number of queries that
does not grow with the rows shown: the pages' query counts are pinned in tests.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from brm.tenancy.models import STAFF_ROLES, Membership, Role
from customers.models import Contact, Customer

from .models import Cadence, Decision, Meeting, Minutes, MissedCadence

MEETING_ORDERINGS = {
    "starts": ("starts_at", "pk"),
    "customer": ("customer__name", "starts_at", "pk"),
    "title": ("title", "starts_at", "pk"),
    "status": ("status", "starts_at", "pk"),
    "organiser": ("organiser__user__full_name", "starts_at", "pk"),
}
MEETING_VIEWS = ("upcoming", "mine", "held", "all", "missed")
CADENCE_ORDERINGS = {
    "customer": ("customer__name", "name", "pk"),
    "name": ("name", "pk"),
    "type": ("meeting_type", "customer__name", "pk"),
    "next": ("next_starts_at", "customer__name", "pk"),
    "status": ("status", "customer__name", "pk"),
}
DECISION_ORDERINGS = {
    "created": ("created_at", "pk"),
    "title": ("title", "pk"),
    "customer": ("customer__name", "-created_at", "pk"),
    "status": ("status", "-created_at", "pk"),
    "kind": ("kind", "-created_at", "pk"),
}


def _ordered(queryset, orderings: dict, ordering: str):
    descending = ordering.startswith("-")
    fields = orderings[ordering.lstrip("-")]
    if descending:
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return queryset.order_by(*fields)


def _day_bounds(zone, date_from: date | None, date_to: date | None) -> Q:
    """Meetings starting on or after `date_from` and on or before `date_to`, office days."""
    q = Q()
    if date_from:
        q &= Q(starts_at__gte=datetime.combine(date_from, datetime.min.time(), tzinfo=zone))
    if date_to:
        q &= Q(starts_at__lt=datetime.combine(date_to, datetime.max.time(), tzinfo=zone))
    return q


def meeting_list(
    *,
    view: str = "upcoming",
    membership: Membership | None = None,
    customer: Customer | None = None,
    status: str = "",
    organiser: Membership | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
    ordering: str = "starts",
    zone=None,
    now: datetime | None = None,
) -> QuerySet[Meeting]:
    """Meetings of a tab: upcoming (planned, not yet started), mine (organised by or inviting
    the member), held, or all; then the filters."""
    now = now or timezone.now()
    meetings = Meeting.objects.select_related("customer", "organiser__user", "cadence")
    if view == "upcoming":
        meetings = meetings.filter(status=Meeting.Status.PLANNED, ends_at__gte=now)
    elif view == "held":
        meetings = meetings.filter(status=Meeting.Status.HELD)
    elif view == "mine" and membership is not None:
        meetings = meetings.filter(
            Q(organiser=membership)
            | Q(attendees__member=membership, attendees__removed_at__isnull=True)
        ).distinct()
    if customer is not None:
        meetings = meetings.filter(customer=customer)
    if status:
        meetings = meetings.filter(status=status)
    if organiser is not None:
        meetings = meetings.filter(organiser=organiser)
    if zone is not None:
        meetings = meetings.filter(_day_bounds(zone, date_from, date_to))
    if search:
        meetings = meetings.filter(Q(title__icontains=search) | Q(customer__name__icontains=search))
    if view == "held" and ordering == "starts":
        ordering = "-starts"
    return _ordered(meetings, MEETING_ORDERINGS, ordering)


def missed_cadence_list(
    *,
    customer: Customer | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
) -> QuerySet[MissedCadence]:
    missed = MissedCadence.objects.select_related("cadence", "customer", "cadence__organiser__user")
    if customer is not None:
        missed = missed.filter(customer=customer)
    if date_from:
        missed = missed.filter(period_end__gte=date_from)
    if date_to:
        missed = missed.filter(period_start__lte=date_to)
    if search:
        missed = missed.filter(
            Q(cadence__name__icontains=search) | Q(customer__name__icontains=search)
        )
    return missed.order_by("-period_start", "pk")


def meeting_get(*, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related(
            "customer", "organiser__user", "cadence", "minutes", "minutes__published_by"
        ),
        pk=pk,
    )


def meeting_attendees(meeting: Meeting) -> list:
    """Everyone invited, as invited (removed ones last), with their contact or staff member."""
    return sorted(
        meeting.attendees.select_related("contact", "member__user"),
        key=lambda a: (a.removed_at is not None, a.pk),
    )


def minutes_of(meeting: Meeting) -> Minutes | None:
    try:
        return meeting.minutes
    except Minutes.DoesNotExist:
        return None


def _next_starts(now: datetime):
    return Subquery(
        Meeting.objects.filter(
            cadence=OuterRef("pk"), status=Meeting.Status.PLANNED, starts_at__gt=now
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def cadence_list(
    *,
    customer: Customer | None = None,
    status: str = "",
    meeting_type: str = "",
    search: str = "",
    ordering: str = "customer",
    now: datetime | None = None,
) -> QuerySet[Cadence]:
    """Cadences with their next planned occurrence (`next_starts_at`)."""
    now = now or timezone.now()
    cadences = Cadence.objects.select_related("customer", "organiser__user").annotate(
        next_starts_at=_next_starts(now)
    )
    if customer is not None:
        cadences = cadences.filter(customer=customer)
    if status:
        cadences = cadences.filter(status=status)
    if meeting_type:
        cadences = cadences.filter(meeting_type=meeting_type)
    if search:
        cadences = cadences.filter(Q(name__icontains=search) | Q(customer__name__icontains=search))
    return _ordered(cadences, CADENCE_ORDERINGS, ordering)


def cadence_get(*, pk: int, now: datetime | None = None) -> Cadence:
    now = now or timezone.now()
    return get_object_or_404(
        Cadence.objects.select_related("customer", "organiser__user").annotate(
            next_starts_at=_next_starts(now)
        ),
        pk=pk,
    )


def decision_list(
    *,
    customer: Customer | None = None,
    status: str = "",
    kind: str = "",
    search: str = "",
    ordering: str = "-created",
) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related(
        "customer", "meeting", "accountable_contact", "accountable_member__user"
    )
    if customer is not None:
        decisions = decisions.filter(customer=customer)
    if status:
        decisions = decisions.filter(status=status)
    if kind:
        decisions = decisions.filter(kind=kind)
    if search:
        decisions = decisions.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return _ordered(decisions, DECISION_ORDERINGS, ordering)


def decision_get(*, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related(
            "customer", "meeting", "accountable_contact", "accountable_member__user", "decided_by"
        ),
        pk=pk,
    )


# Choices -----------------------------------------------------------------------------------------


def organiser_choices() -> QuerySet[Membership]:
    """Staff who may organise a meeting: every writing staff role (not analysts)."""
    return (
        Membership.objects.filter(is_active=True, role__in=STAFF_ROLES)
        .exclude(role=Role.ANALYST)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def staff_attendee_choices() -> QuerySet[Membership]:
    return (
        Membership.objects.filter(is_active=True, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def it_decider_choices() -> QuerySet[Membership]:
    """Who is accountable for an IT decision: the office's IT managers and steering members."""
    return (
        Membership.objects.filter(is_active=True, role__in=[Role.IT_MANAGER, Role.STEERING])
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def business_decider_choices(customer: Customer) -> QuerySet[Contact]:
    """Who is accountable for a business decision: the customer's contacts with the budget
    mandate (authority "decides"); a purchaser never is."""
    return Contact.objects.filter(customer=customer, authority=Contact.Authority.DECIDES).order_by(
        "name", "pk"
    )


# The customer page -------------------------------------------------------------------------------


def cadence_adherence(*, customer: Customer, since: date, now: datetime | None = None) -> dict:
    """How the customer's cadences were kept since `since`: of the occurrences due (a cadence
    meeting whose date came, cancelled ones included), how many were held with published
    minutes. {"due", "kept", "percent" (None when nothing was due)}; one query."""
    now = now or timezone.now()
    counts = Meeting.objects.filter(
        customer=customer,
        cadence__isnull=False,
        occurrence_date__isnull=False,
        occurrence_date__gte=since,
        starts_at__lte=now,
    ).aggregate(
        due=Count("pk"),
        kept=Count(
            "pk",
            filter=Q(status=Meeting.Status.HELD, minutes__status=Minutes.Status.PUBLISHED),
        ),
    )
    due, kept = counts["due"], counts["kept"]
    return {"due": due, "kept": kept, "percent": round(100 * kept / due) if due else None}


def next_meeting(customer: Customer, now: datetime | None = None) -> Meeting | None:
    now = now or timezone.now()
    return (
        Meeting.objects.filter(customer=customer, status=Meeting.Status.PLANNED, starts_at__gt=now)
        .select_related("organiser__user")
        .order_by("starts_at", "pk")
        .first()
    )


def last_review(customer: Customer) -> Meeting | None:
    """The latest meeting held with published minutes."""
    return (
        Meeting.objects.filter(
            customer=customer,
            status=Meeting.Status.HELD,
            minutes__status=Minutes.Status.PUBLISHED,
        )
        .order_by("-starts_at", "-pk")
        .first()
    )


def recent_missed(customer: Customer, since: date, limit: int = 5) -> list[MissedCadence]:
    return list(
        MissedCadence.objects.filter(customer=customer, period_end__gte=since)
        .select_related("cadence")
        .order_by("-period_start", "pk")[:limit]
    )


# A relationship manager's working day ------------------------------------------------------------


def upcoming_meetings_of_rm(
    member: Membership, *, until: datetime, now: datetime | None = None
) -> QuerySet[Meeting]:
    """Planned meetings not yet over that start before `until`, with one of the member's
    customers, organised by the member or inviting them; the soonest first."""
    now = now or timezone.now()
    invited = Meeting.objects.filter(
        pk=OuterRef("pk"), attendees__member=member, attendees__removed_at__isnull=True
    )
    return (
        meeting_list(view="upcoming", now=now)
        .filter(starts_at__lt=until)
        .filter(Q(customer__relationship_manager=member) | Q(organiser=member) | Exists(invited))
        .order_by("starts_at", "pk")
    )


def next_meeting_by_customer(customer_ids, now: datetime | None = None) -> dict[int, Meeting]:
    """{customer_id: the next planned meeting} of the given customers (one query)."""
    now = now or timezone.now()
    first = (
        Meeting.objects.filter(
            customer_id=OuterRef("customer_id"), status=Meeting.Status.PLANNED, ends_at__gte=now
        )
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    meetings = Meeting.objects.filter(customer_id__in=list(customer_ids), pk=Subquery(first)).only(
        "pk", "customer_id", "title", "starts_at"
    )
    return {meeting.customer_id: meeting for meeting in meetings}


def missed_cadences_of_rm(member: Membership, *, since: date) -> QuerySet[MissedCadence]:
    """Cadence periods without a meeting, of the member's customers, ended on or after
    `since`; the latest first."""
    return missed_cadence_list(date_from=since).filter(customer__relationship_manager=member)
