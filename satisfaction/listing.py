"""The reads of the satisfaction staff pages: the surveys and campaigns lists (search, filters,
sorting), a campaign's progress (invitations by delivery status, answers, the response rate per
customer) and the customer page's panel. Each is a fixed number of queries, however many rows.

The response rate is answers / invitations delivered (an invitation held back or not yet sent
is not counted), as the results define it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import Customer

from .models import Campaign, Invitation, Question, Response, Survey

SURVEY_ORDERINGS = {
    "name": ("name", "-version", "pk"),
    "-name": ("-name", "-version", "-pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "version": ("version", "name", "pk"),
    "-version": ("-version", "name", "pk"),
}
SURVEY_DEFAULT_ORDERING = "name"

CAMPAIGN_ORDERINGS = {
    "opens": ("opens_at", "pk"),
    "-opens": ("-opens_at", "-pk"),
    "closes": ("closes_at", "pk"),
    "-closes": ("-closes_at", "-pk"),
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "status": ("status", "-opens_at", "-pk"),
    "-status": ("-status", "-opens_at", "-pk"),
}
CAMPAIGN_DEFAULT_ORDERING = "-opens"

Delivery = Invitation.Status


def count_of(model, *, link: str, **filters):
    """A correlated count (one subquery per row, no join that multiplies the rows)."""
    counted = (
        model.objects.filter(**{link: OuterRef("pk")}, **filters)
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def survey_page_list(*, filters: dict | None = None, ordering: str = SURVEY_DEFAULT_ORDERING):
    filters = filters or {}
    surveys = Survey.objects.annotate(
        question_count=count_of(Question, link="survey"),
        campaign_count=count_of(Campaign, link="survey"),
    )
    if filters.get("q"):
        surveys = surveys.filter(name__icontains=filters["q"])
    if filters.get("state") == "frozen":
        surveys = surveys.filter(frozen_at__isnull=False)
    elif filters.get("state") == "editable":
        surveys = surveys.filter(frozen_at__isnull=True)
    return surveys.order_by(*SURVEY_ORDERINGS.get(ordering, SURVEY_ORDERINGS["name"]))


def campaign_page_list(
    *, filters: dict | None = None, ordering: str = CAMPAIGN_DEFAULT_ORDERING
) -> QuerySet[Campaign]:
    filters = filters or {}
    campaigns = Campaign.objects.select_related("survey").annotate(
        invited=count_of(Invitation, link="campaign", status__in=_INVITED),
        delivered=count_of(Invitation, link="campaign", status=Delivery.SENT),
        answered=count_of(Response, link="campaign"),
    )
    if filters.get("status"):
        campaigns = campaigns.filter(status=filters["status"])
    if filters.get("q"):
        campaigns = campaigns.filter(
            Q(name__icontains=filters["q"]) | Q(survey__name__icontains=filters["q"])
        )
    if filters.get("survey"):
        campaigns = campaigns.filter(survey=filters["survey"])
    return campaigns.order_by(*CAMPAIGN_ORDERINGS.get(ordering, CAMPAIGN_ORDERINGS["-opens"]))


_INVITED = [Delivery.PENDING, Delivery.QUEUED, Delivery.SENT, Delivery.FAILED]


def rate(answered: int, delivered: int) -> float | None:
    """Answers per delivered invitation, in percent (None with nothing delivered)."""
    return round(100 * answered / delivered, 1) if delivered else None


@dataclass
class CustomerProgress:
    customer_id: int
    name: str
    invited: int = 0
    delivered: int = 0
    held_back: int = 0
    answered: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.answered, self.delivered)


def campaign_progress(campaign: Campaign) -> dict:
    """Invitations by delivery status, answers, and per customer: invited, delivered, held
    back, answered and the response rate. Two queries."""
    by_status = dict.fromkeys(Delivery.values, 0)
    per_customer: dict[int, CustomerProgress] = {}
    rows = (
        Invitation.objects.filter(campaign=campaign)
        .order_by()
        .values("customer_id", "customer__name", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_status[row["status"]] += row["n"]
        line = per_customer.setdefault(
            row["customer_id"], CustomerProgress(row["customer_id"], row["customer__name"])
        )
        if row["status"] == Delivery.HELD_BACK:
            line.held_back += row["n"]
        else:
            line.invited += row["n"]
        if row["status"] == Delivery.SENT:
            line.delivered += row["n"]
    answers = (
        Response.objects.filter(campaign=campaign)
        .order_by()
        .values("customer_id", "customer__name")
        .annotate(n=Count("pk"))
    )
    answered = 0
    for row in answers:
        answered += row["n"]
        line = per_customer.setdefault(
            row["customer_id"], CustomerProgress(row["customer_id"], row["customer__name"])
        )
        line.answered = row["n"]
    delivered = by_status[Delivery.SENT]
    return {
        "by_status": [(Delivery(s).label, s, n) for s, n in by_status.items()],
        "invited": sum(n for s, n in by_status.items() if s != Delivery.HELD_BACK),
        "delivered": delivered,
        "held_back": by_status[Delivery.HELD_BACK],
        "answered": answered,
        "rate": rate(answered, delivered),
        "customers": sorted(per_customer.values(), key=lambda c: (c.name, c.customer_id)),
    }


def customer_panel(customer: Customer, *, limit: int = 3) -> dict:
    """The customer's latest campaigns (those that invited its contacts) with its invitations
    delivered, its answers and its response rate. Two queries."""
    invited = (
        Invitation.objects.filter(customer=customer)
        .exclude(status=Delivery.HELD_BACK)
        .order_by()
        .values("campaign_id")
        .annotate(invited=Count("pk"), delivered=Count("pk", filter=Q(status=Delivery.SENT)))
    )
    counts = {row["campaign_id"]: row for row in invited}
    campaigns = (
        list(
            Campaign.objects.filter(pk__in=list(counts))
            .annotate(answered=count_of(Response, link="campaign", customer=customer))
            .order_by("-opens_at", "-pk")
        )
        if counts
        else []
    )
    for campaign in campaigns:
        campaign.invited = counts[campaign.pk]["invited"]
        campaign.delivered = counts[campaign.pk]["delivered"]
        campaign.rate = rate(campaign.answered, campaign.delivered)
    delivered = sum(c.delivered for c in campaigns)
    answered = sum(c.answered for c in campaigns)
    return {
        "campaigns": campaigns[:limit],
        "campaign_total": len(campaigns),
        "delivered": delivered,
        "answered": answered,
        "rate": rate(answered, delivered),
    }


def campaigns_closing_for_rm(member, *, until, now=None) -> QuerySet[Campaign]:
    """Open campaigns that invited one of the member's customers and close by `until`, the
    soonest first, with how many of those customers' invitations are answered and delivered."""
    now = now or timezone.now()
    theirs = {"customer__relationship_manager": member}
    invited_theirs = Invitation.objects.filter(campaign_id=OuterRef("pk"), **theirs)
    return (
        Campaign.objects.filter(
            status=Campaign.Status.OPEN, closes_at__gte=now, closes_at__lte=until
        )
        .filter(Exists(invited_theirs))
        .annotate(
            delivered=count_of(Invitation, link="campaign", status=Delivery.SENT, **theirs),
            answered=count_of(Invitation, link="campaign", answered_at__isnull=False, **theirs),
        )
        .order_by("closes_at", "pk")
    )
