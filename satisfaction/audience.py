"""Who a campaign reaches, and who the office's fatigue rules hold back and why.

The audience is a role (business managers, counterparts, contacts with the budget mandate,
purchasers' contacts, all contacts) of a scope of customers (all active ones, one relationship
manager's, a division's, chosen ones). Each contact found is then either invited or held back
by the first rule that applies, in this order:

1. no email address;
2. opted out of surveys (SurveyOptOut, whatever the case of the address);
3. the customer is in a quiet period (brm.web.registry.survey_quiet_periods: the complaints
   area answers for a complaint escalated to level 2 or 3; this module never imports it);
4. the customer took part in M campaigns this quarter already (office quarters);
5. the contact was invited K times in the 12 months before the campaign opens;
6. the contact was invited less than G days before it opens.

"Invited" counts the invitations that went out (queued to the outbox or delivered), at their
delivery time or, before delivery, when they were queued; held-back and failed ones do not
count. The rules read in a fixed number of queries whatever the size of the audience (one per
kind of fact, for every contact at once), so opening a campaign to 20,000 contacts costs what
opening one to 20 does. `audience_decisions` is what opening a campaign records;
`audience_preview` the same decisions for the staff page, writing nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Tenant
from brm.web.registry import survey_quiet_periods
from customers.models import Contact, Customer, Purchaser

from .models import Campaign, Invitation, SatisfactionSettings, SurveyOptOut
from .selectors import settings_for_office

# The invitations that count for the fatigue rules: they went out.
WENT_OUT = (Invitation.Status.QUEUED, Invitation.Status.SENT)
YEAR = timedelta(days=365)


@dataclass
class AudienceRow:
    """One contact of the audience: invited (`held_back_rule` empty) or held back, and why."""

    contact: Contact
    customer: Customer
    name: str
    email: str
    held_back_rule: str = ""
    detail: str = ""

    @property
    def is_held_back(self) -> bool:
        return bool(self.held_back_rule)

    @property
    def rule_label(self) -> str:
        return Invitation.Rule(self.held_back_rule).label if self.held_back_rule else ""

    held_back_label = rule_label


def audience_customers(campaign: Campaign):
    """The customers of the campaign's scope (a queryset)."""
    scope = Campaign.AudienceScope
    if campaign.audience_scope == scope.CHOSEN:
        if campaign.pk is None:
            return Customer.objects.none()
        # Chosen by name: whatever their status, staff picked them.
        return Customer.objects.filter(pk__in=campaign.customers.values("pk"))
    active = Customer.objects.filter(status=Customer.Status.ACTIVE)
    if campaign.audience_scope == scope.RELATIONSHIP_MANAGER:
        return active.filter(relationship_manager_id=campaign.relationship_manager_id)
    if campaign.audience_scope == scope.DIVISION:
        return active.filter(division__iexact=campaign.division.strip())
    return active


def audience_contacts(campaign: Campaign, customers):
    """The contacts of the campaign's role among `customers` (a queryset, one row a contact)."""
    role = Campaign.AudienceRole
    contacts = Contact.objects.filter(customer__in=customers.values("pk"))
    if campaign.audience_role == role.BUSINESS_MANAGERS:
        contacts = contacts.filter(pk__in=customers.values("business_manager_id"))
    elif campaign.audience_role == role.COUNTERPARTS:
        contacts = contacts.filter(pk__in=customers.values("counterpart_id"))
    elif campaign.audience_role == role.MANDATE:
        # customers.mandate.holds_budget_mandate, as a filter.
        contacts = contacts.filter(authority=Contact.Authority.DECIDES)
    elif campaign.audience_role == role.PURCHASER_CONTACTS:
        managers = Purchaser.objects.filter(customer__in=customers.values("pk")).values(
            "manager_id"
        )
        contacts = contacts.filter(Q(purchaser__isnull=False) | Q(pk__in=managers))
    return contacts.only("pk", "name", "email", "customer_id").order_by("customer_id", "name", "pk")


def _quarter_start(moment: datetime, zone) -> datetime:
    local = timezone.localtime(moment, zone)
    month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_quarter(start: datetime) -> datetime:
    month, year = start.month + 3, start.year
    if month > 12:
        month, year = month - 12, year + 1
    return start.replace(year=year, month=month)


class _Facts:
    """Everything the rules need about an audience, each read once for all its contacts."""

    def __init__(self, campaign: Campaign, contacts, customer_ids: list[int], at: datetime):
        office = Tenant.objects.get(pk=current_tenant_id())
        self.zone = office.zone
        self.language = office.language
        self.rules: SatisfactionSettings = settings_for_office()
        self.at = at
        addresses = contacts.exclude(email="").annotate(address=Lower("email")).values("address")
        self.opted_out = dict(
            SurveyOptOut.objects.annotate(address=Lower("email"))
            .filter(address__in=addresses)
            .values_list("address", "created_at")
        )
        self.quiet = survey_quiet_periods.reasons(customer_ids)
        # The contact's invitations that went out in the 12 months before `at`.
        went_out = (
            Invitation.objects.filter(status__in=WENT_OUT, contact__in=contacts.values("pk"))
            .exclude(campaign=campaign)
            .annotate(when=Coalesce("sent_at", "created_at"))
            .filter(when__gt=at - YEAR, when__lte=at)
        )
        self.history = {
            row["contact_id"]: (row["n"], row["last"])
            for row in went_out.values("contact_id")
            .annotate(n=Count("pk"), last=Max("when"))
            .order_by()
        }
        # Campaigns each customer took part in this quarter (an invitation went out).
        start = _quarter_start(at, self.zone)
        self.quarter = (start, _next_quarter(start))
        self.campaigns_this_quarter = dict(
            Invitation.objects.filter(status__in=WENT_OUT, customer_id__in=customer_ids)
            .exclude(campaign=campaign)
            .annotate(when=Coalesce("sent_at", "created_at"))
            .filter(when__gte=self.quarter[0], when__lt=self.quarter[1])
            .values("customer_id")
            .annotate(n=Count("campaign_id", distinct=True))
            .order_by()
            .values_list("customer_id", "n")
        )

    def day(self, moment: datetime) -> str:
        return date_format(timezone.localtime(moment, self.zone), "j F Y")


def _decide(contact: Contact, customer: Customer, facts: _Facts) -> tuple[str, str]:
    """(rule, detail) of the first rule that holds the contact back, or ("", "")."""
    rule, rules = Invitation.Rule, facts.rules
    email = (contact.email or "").strip()
    if not email:
        return rule.NO_EMAIL, _("%(name)s has no email address.") % {"name": contact.name}
    opted = facts.opted_out.get(email.lower())
    if opted is not None:
        return rule.OPTED_OUT, _("%(email)s opted out of surveys on %(day)s.") % {
            "email": email,
            "day": facts.day(opted),
        }
    quiet = facts.quiet.get(customer.pk)
    if quiet:
        return rule.QUIET_PERIOD, quiet
    taken = facts.campaigns_this_quarter.get(customer.pk, 0)
    if taken >= rules.campaigns_per_customer_quarter:
        return rule.CUSTOMER_QUARTER, _(
            "%(customer)s took part in %(n)s campaigns this quarter already (at most %(max)s "
            "a quarter, from %(start)s)."
        ) % {
            "customer": customer.name,
            "n": taken,
            "max": rules.campaigns_per_customer_quarter,
            "start": facts.day(facts.quarter[0]),
        }
    count, last = facts.history.get(contact.pk, (0, None))
    if count >= rules.invitations_per_year:
        return rule.PER_YEAR, _(
            "Invited %(n)s times in the 12 months before %(day)s (at most %(max)s)."
        ) % {"n": count, "day": facts.day(facts.at), "max": rules.invitations_per_year}
    if last is not None and facts.at - last < timedelta(days=rules.invitation_gap_days):
        return rule.GAP, _(
            "Last invited on %(last)s, %(days)s days before; at least %(gap)s days apart."
        ) % {
            "last": facts.day(last),
            "days": (facts.at - last).days,
            "gap": rules.invitation_gap_days,
        }
    return "", ""


def audience_decisions(campaign: Campaign, *, at: datetime | None = None) -> list[AudienceRow]:
    """Every contact the campaign reaches, each invited or held back with its rule and detail,
    ordered by customer and name. `at` is when the invitations go out: the campaign's opening,
    or now when that has passed. Reads 8 queries whatever the number of contacts."""
    at = at or max(campaign.opens_at, timezone.now())
    customers = {c.pk: c for c in audience_customers(campaign).order_by("name", "pk")}
    contacts_qs = audience_contacts(campaign, Customer.objects.filter(pk__in=list(customers)))
    contacts = list(contacts_qs)
    facts = _Facts(campaign, contacts_qs, list(customers), at)
    rows = []
    with translation.override(facts.language):
        for contact in contacts:
            customer = customers[contact.customer_id]
            rule, detail = _decide(contact, customer, facts)
            rows.append(
                AudienceRow(
                    contact=contact,
                    customer=customer,
                    name=contact.name,
                    email=(contact.email or "").strip(),
                    held_back_rule=rule,
                    detail=str(detail)[:300],
                )
            )
    order = {pk: n for n, pk in enumerate(customers)}
    rows.sort(key=lambda r: (order[r.customer.pk], r.name.lower(), r.contact.pk))
    return rows


def audience_preview(campaign: Campaign) -> list[AudienceRow]:
    """The decisions opening the campaign would record now, writing nothing (the staff page's
    audience preview). A campaign that opened answers its recorded invitations instead."""
    if campaign.opened_at is not None:
        return [
            AudienceRow(
                contact=inv.contact,
                customer=inv.customer,
                name=inv.name,
                email=inv.email,
                held_back_rule=inv.held_back_rule,
                detail=inv.held_back_detail,
            )
            for inv in campaign.invitations.select_related("customer", "contact").order_by(
                "customer__name", "name", "pk"
            )
        ]
    return audience_decisions(campaign)


def preview_summary(rows: list[AudienceRow]) -> dict:
    """Counts for the preview's heading: invited, held back, and held back per rule."""
    per_rule: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.held_back_rule:
            per_rule[row.held_back_rule] += 1
    return {
        "invited": sum(1 for r in rows if not r.held_back_rule),
        "held_back": sum(per_rule.values()),
        "per_rule": [(Invitation.Rule(k).label, n) for k, n in sorted(per_rule.items())],
    }
