"""Reads for customers and the action plan: the staff pages, the portal and the API use these."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone

from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Role

from .mandate import portal_role_for
from .models import (
    ActionItem,
    ActionItemComment,
    BusinessExpectation,
    Contact,
    Customer,
    Purchaser,
    RegisterItem,
    RelationshipManagerAssignment,
    Service,
)

CUSTOMER_ORDERINGS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "division": ("division", "name", "pk"),
    "-division": ("-division", "name", "pk"),
    "status": ("status", "name", "pk"),
    "-status": ("-status", "name", "pk"),
    "rm": ("relationship_manager__user__full_name", "name", "pk"),
    "-rm": ("-relationship_manager__user__full_name", "name", "pk"),
}


def customer_list(
    *,
    search: str = "",
    relationship_manager=None,
    status: str = "",
    division: str = "",
    ordering: str = "name",
) -> QuerySet[Customer]:
    # The columns the list shows: the plans, notes and timestamps of 25 customers and the
    # passwords and dates of their RMs' accounts were read and parsed only to be dropped.
    qs = Customer.objects.select_related("relationship_manager__user").only(
        "name",
        "division",
        "status",
        "relationship_manager__is_active",
        "relationship_manager__user__full_name",
        "relationship_manager__user__email",
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(division__icontains=search))
    if relationship_manager:
        qs = qs.filter(relationship_manager=relationship_manager)
    if status:
        qs = qs.filter(status=status)
    if division:
        qs = qs.filter(division=division)
    return qs.order_by(*CUSTOMER_ORDERINGS.get(ordering, CUSTOMER_ORDERINGS["name"]))


def customer_divisions() -> list[str]:
    """The office's divisions, in order: one index probe a division.

    `SELECT DISTINCT` read every customer of the office (5,000 in the benchmark's big office, for
    a dozen divisions); this walks the (tenant, division, name) index from one division to the
    next instead (a "loose index scan", which PostgreSQL does not do by itself before 18).
    """
    tenant_id = current_tenant_id()
    table = Customer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE d(division) AS (
                SELECT (SELECT division FROM {table}
                        WHERE tenant_id = %s AND division > '' ORDER BY division LIMIT 1)
                UNION ALL
                SELECT (SELECT c.division FROM {table} c
                        WHERE c.tenant_id = %s AND c.division > d.division
                        ORDER BY c.division LIMIT 1)
                FROM d WHERE d.division IS NOT NULL
            )
            SELECT division FROM d WHERE division IS NOT NULL
            """,  # noqa: S608 (the table name is the model's)
            [tenant_id, tenant_id],
        )
        return [row[0] for row in cursor.fetchall()]


def relationship_managers() -> QuerySet[Membership]:
    """Staff who can be assigned as relationship manager."""
    return (
        Membership.objects.filter(
            is_active=True, role__in=[Role.RELATIONSHIP_MANAGER, Role.ADMIN, Role.IT_MANAGER]
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def staff_members() -> QuerySet[Membership]:
    return (
        Membership.objects.filter(is_active=True)
        .exclude(role__in=[Role.CUSTOMER, Role.PURCHASER])
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def customer_get(pk) -> Customer:
    return Customer.objects.select_related(
        "relationship_manager__user", "business_manager", "counterpart"
    ).get(pk=pk)


@dataclass(frozen=True)
class Coverage:
    """A BRM measure: who has a designated IT contact and a named business counterpart."""

    customers: int
    customers_with_rm: int
    customers_with_counterpart: int
    purchasers: int
    purchasers_with_it_contact: int

    @staticmethod
    def pct(part: int, whole: int) -> float:
        return round(100.0 * part / whole, 1) if whole else 0.0

    @property
    def customers_with_rm_pct(self) -> float:
        return self.pct(self.customers_with_rm, self.customers)

    @property
    def customers_with_counterpart_pct(self) -> float:
        return self.pct(self.customers_with_counterpart, self.customers)

    @property
    def purchasers_with_it_contact_pct(self) -> float:
        return self.pct(self.purchasers_with_it_contact, self.purchasers)


def coverage(
    *, relationship_manager=None, customers_in: QuerySet[Customer] | None = None
) -> Coverage:
    """Of the office's customers that are not dormant (one RM's, or those of `customers_in`, a
    queryset of customers used as a subquery): two queries."""
    customers = Customer.objects.exclude(status=Customer.Status.DORMANT)
    purchasers = Purchaser.objects.exclude(customer__status=Customer.Status.DORMANT)
    if relationship_manager is not None:
        customers = customers.filter(relationship_manager=relationship_manager)
        purchasers = purchasers.filter(customer__relationship_manager=relationship_manager)
    if customers_in is not None:
        customers = customers.filter(pk__in=customers_in.values("pk"))
        purchasers = purchasers.filter(customer__in=customers_in.values("pk"))
    c = customers.aggregate(
        total=Count("pk"),
        with_rm=Count("pk", filter=Q(relationship_manager__is_active=True)),
        with_counterpart=Count("pk", filter=Q(counterpart__isnull=False)),
    )
    p = purchasers.aggregate(
        total=Count("pk"),
        with_it=Count("pk", filter=Q(it_contact__isnull=False, it_contact__is_active=True)),
    )
    return Coverage(
        customers=c["total"],
        customers_with_rm=c["with_rm"],
        customers_with_counterpart=c["with_counterpart"],
        purchasers=p["total"],
        purchasers_with_it_contact=p["with_it"],
    )


def customers_without_counterpart() -> QuerySet[Customer]:
    return (
        Customer.objects.exclude(status=Customer.Status.DORMANT)
        .filter(counterpart__isnull=True)
        .select_related("relationship_manager__user")
        .order_by("name")
    )


def purchasers_without_it_contact() -> QuerySet[Purchaser]:
    return (
        Purchaser.objects.exclude(customer__status=Customer.Status.DORMANT)
        .filter(Q(it_contact__isnull=True) | Q(it_contact__is_active=False))
        .select_related("customer")
        .order_by("customer__name", "name")
    )


ACTION_ORDERINGS = {
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "title": ("title", "pk"),
    "customer": ("customer__name", "due_date", "pk"),
    "status": ("status", "due_date", "pk"),
    # The descending variants the staff pages' sortable headers ask for.
    "-title": ("-title", "-pk"),
    "-customer": ("-customer__name", "due_date", "pk"),
    "-status": ("-status", "due_date", "pk"),
}


def action_item_list(
    *,
    owner_member=None,
    owner_contact=None,
    customer=None,
    status: str = "",
    overdue: bool = False,
    search: str = "",
    ordering: str = "due",
) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.select_related("customer", "owner_member__user", "owner_contact")
    if owner_member is not None:
        qs = qs.filter(owner_member=owner_member)
    if owner_contact is not None:
        qs = qs.filter(owner_contact=owner_contact)
    if customer is not None:
        qs = qs.filter(customer=customer)
    if status == "open":
        qs = qs.filter(status__in=ActionItem.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=ActionItem.OPEN_STATUSES, due_date__lt=timezone.localdate())
    if search:
        qs = qs.filter(title__icontains=search)
    return qs.order_by(*ACTION_ORDERINGS.get(ordering, ACTION_ORDERINGS["due"]))


# Portal ------------------------------------------------------------------------------------------


def portal_contact(membership: Membership) -> Contact | None:
    """The contact record behind a portal login, or None when it is not linked yet."""
    return (
        Contact.objects.select_related("customer", "purchaser")
        .filter(membership=membership)
        .first()
    )


@dataclass(frozen=True)
class PortalScope:
    """What one portal login may see.

    A customer (business manager or counterpart, who holds the mandate) sees the whole customer;
    a purchaser sees only their own purchaser unit. Both see only the action items they own.
    """

    contact: Contact
    whole_customer: bool

    @property
    def customer(self) -> Customer:
        return self.contact.customer

    @property
    def purchaser_id(self) -> int | None:
        return None if self.whole_customer else self.contact.purchaser_id


def portal_scope(membership: Membership) -> PortalScope | None:
    """The scope of a portal membership, or None while its login is not linked to a contact."""
    contact = (
        Contact.objects.select_related("customer__relationship_manager__user", "purchaser")
        .filter(membership=membership)
        .first()
    )
    if contact is None or not membership.is_portal:
        return None
    # The contact's post now, not the role stored when the invitation was sent.
    role = portal_role_for(contact)
    if role is None:
        return None
    return PortalScope(contact=contact, whole_customer=role == Role.CUSTOMER)


def portal_purchaser_list(scope: PortalScope) -> QuerySet[Purchaser]:
    qs = Purchaser.objects.filter(customer_id=scope.contact.customer_id).select_related(
        "manager", "it_contact__user"
    )
    if not scope.whole_customer:
        if scope.purchaser_id is None:
            return qs.none()
        qs = qs.filter(pk=scope.purchaser_id)
    return qs.order_by("name", "pk")


def portal_contact_list(scope: PortalScope) -> QuerySet[Contact]:
    qs = Contact.objects.filter(customer_id=scope.contact.customer_id).select_related("purchaser")
    if not scope.whole_customer:
        if scope.purchaser_id is None:
            return qs.none()
        qs = qs.filter(purchaser_id=scope.purchaser_id)
    return qs.order_by("name", "pk")


def portal_expectation_list(scope: PortalScope) -> QuerySet[BusinessExpectation]:
    """The customer's expectations as the business sees them: drafts stay with the office.

    Purchasers read them too (they discuss services); only the customer can agree.
    """
    order = Case(
        When(status=BusinessExpectation.Status.PROPOSED, then=0),
        When(status=BusinessExpectation.Status.AGREED, then=1),
        default=2,
    )
    return (
        BusinessExpectation.objects.filter(customer_id=scope.contact.customer_id)
        .exclude(status=BusinessExpectation.Status.DRAFT)
        .select_related("agreed_by_business", "agreed_by_it__user")
        .order_by(order, "title", "pk")
    )


def portal_action_item_list(scope: PortalScope) -> QuerySet[ActionItem]:
    """The action items this contact owns, open ones first."""
    order = Case(When(status__in=ActionItem.OPEN_STATUSES, then=0), default=1)
    return (
        ActionItem.objects.filter(
            owner_contact=scope.contact, customer_id=scope.contact.customer_id
        )
        .select_related("customer")
        .order_by(order, F("due_date").asc(nulls_last=True), "pk")
    )


# Staff pages: the customer page's panels and the coverage table ---------------------------------


def purchaser_list(*, customer: Customer) -> QuerySet[Purchaser]:
    return Purchaser.objects.filter(customer=customer).select_related("manager", "it_contact__user")


def contact_list(*, customer: Customer) -> QuerySet[Contact]:
    # The customer is joined in because the portal role of a contact depends on it.
    return Contact.objects.filter(customer=customer).select_related(
        "customer", "purchaser", "membership", "portal_invitation"
    )


def expectation_list(*, customer: Customer) -> QuerySet[BusinessExpectation]:
    return BusinessExpectation.objects.filter(customer=customer).select_related(
        "agreed_by_business", "agreed_by_it__user"
    )


def register_item_list(*, customer: Customer) -> QuerySet[RegisterItem]:
    return RegisterItem.objects.filter(customer=customer).select_related("owner__user")


def rm_assignment_list(*, customer: Customer) -> QuerySet[RelationshipManagerAssignment]:
    return RelationshipManagerAssignment.objects.filter(customer=customer).select_related(
        "relationship_manager__user", "assigned_by"
    )


def action_item_get(pk) -> ActionItem:
    return ActionItem.objects.select_related(
        "customer", "owner_member__user", "owner_contact", "created_by"
    ).get(pk=pk)


def coverage_by_relationship_manager() -> list[tuple[Membership, Coverage]]:
    """`coverage()` for each relationship manager, in three queries whatever their number.

    Rows: every active relationship manager, and anyone else who looks after a customer.
    """
    live = ~Q(status=Customer.Status.DORMANT)
    customers = {
        row["relationship_manager"]: row
        for row in Customer.objects.filter(live)
        .values("relationship_manager")
        .annotate(
            total=Count("pk"),
            with_rm=Count("pk", filter=Q(relationship_manager__is_active=True)),
            with_counterpart=Count("pk", filter=Q(counterpart__isnull=False)),
        )
        .order_by()
    }
    purchasers = {
        row["customer__relationship_manager"]: row
        for row in Purchaser.objects.exclude(customer__status=Customer.Status.DORMANT)
        .values("customer__relationship_manager")
        .annotate(
            total=Count("pk"),
            with_it=Count("pk", filter=Q(it_contact__isnull=False, it_contact__is_active=True)),
        )
        .order_by()
    }
    members = (
        Membership.objects.filter(
            Q(pk__in=list(customers)) | Q(is_active=True, role=Role.RELATIONSHIP_MANAGER)
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    rows = []
    for member in members:
        c = customers.get(member.pk, {})
        p = purchasers.get(member.pk, {})
        rows.append(
            (
                member,
                Coverage(
                    customers=c.get("total", 0),
                    customers_with_rm=c.get("with_rm", 0),
                    customers_with_counterpart=c.get("with_counterpart", 0),
                    purchasers=p.get("total", 0),
                    purchasers_with_it_contact=p.get("with_it", 0),
                ),
            )
        )
    return rows


def action_item_comment_list(item: ActionItem) -> QuerySet[ActionItemComment]:
    return ActionItemComment.objects.filter(action_item=item).select_related("author")


def customer_rm_choices() -> QuerySet[Membership]:
    """The customer list's RM filter: who can be assigned, and whoever still holds customers
    (an RM who left must stay findable, so their customers can be handed over)."""
    # EXISTS probes the customers' RM index once a member; `pk IN (SELECT ...)` read every
    # customer of the office.
    holding = Exists(Customer.objects.filter(relationship_manager=OuterRef("pk")))
    return (
        Membership.objects.filter(
            holding
            | Q(is_active=True, role__in=[Role.RELATIONSHIP_MANAGER, Role.ADMIN, Role.IT_MANAGER])
        )
        .select_related("user")
        .only("user__full_name", "user__email")  # a choice is a name: no account fields
        .order_by("user__full_name", "user__email")
    )


# The service catalogue ---------------------------------------------------------------------------

SERVICE_ORDERINGS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "status": ("status", "name", "pk"),
    "-status": ("-status", "name", "pk"),
    "owner": ("owner__user__full_name", "name", "pk"),
    "-owner": ("-owner__user__full_name", "name", "pk"),
    "customers": ("customer_count", "name", "pk"),
    "-customers": ("-customer_count", "name", "pk"),
}


def service_list(
    *, search: str = "", status: str = "", owner=None, ordering: str = "name"
) -> QuerySet[Service]:
    """The catalogue, each service with the number of customers consuming it."""
    qs = Service.objects.select_related("owner__user").annotate(
        customer_count=Count("customer_links")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner=owner)
    return qs.order_by(*SERVICE_ORDERINGS.get(ordering, SERVICE_ORDERINGS["name"]))


def service_get(pk) -> Service:
    return Service.objects.select_related("owner__user").get(pk=pk)


def service_customers(service: Service) -> QuerySet[Customer]:
    """The customers that consume the service ("every customer that consumes ERP")."""
    return (
        Customer.objects.filter(service_links__service=service)
        .select_related("relationship_manager__user")
        .order_by("name", "pk")
    )


def customer_services(customer: Customer) -> QuerySet[Service]:
    return Service.objects.filter(customer_links__customer=customer).order_by("name", "pk")


def service_choices() -> QuerySet[Service]:
    """Services a customer may be linked to: the catalogue, retired ones last."""
    return Service.objects.order_by(
        Case(When(status=Service.Status.RETIRED, then=1), default=0), "name", "pk"
    )


def service_owner_choices() -> QuerySet[Membership]:
    return staff_members()


# A relationship manager's working day ------------------------------------------------------------


def action_items_of_rm(
    member: Membership, *, due_by=None, source: str = ""
) -> QuerySet[ActionItem]:
    """Open action items the member owns or that belong to one of their customers, the earliest
    due first; with `due_by` (a date) only those due by then (overdue included), with `source`
    only those from that source (a survey follow-up, say)."""
    qs = action_item_list(status="open").filter(
        Q(owner_member=member) | Q(customer__relationship_manager=member)
    )
    if due_by is not None:
        qs = qs.filter(due_date__lte=due_by)
    if source:
        qs = qs.filter(source=source)
    return qs


def open_action_item_counts(customer_ids) -> dict[int, int]:
    """{customer_id: open action items} of the given customers (one query)."""
    rows = (
        ActionItem.objects.filter(
            customer_id__in=list(customer_ids), status__in=ActionItem.OPEN_STATUSES
        )
        .values("customer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["customer_id"]: row["n"] for row in rows}
