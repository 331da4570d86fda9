"""API of the customers area. Writes go through customers.services, like the pages do."""

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, When
from django.utils import timezone

from brm.api.schema import crud_docs
from brm.api.viewsets import ServiceViewSet
from customers import services
from customers.models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    CustomerService,
    Purchaser,
    RegisterItem,
    Service,
)

from . import filters, serializers


@crud_docs(
    "customer",
    "customers",
    "Filter by `status`, `division`, `relationship_manager`; "
    "`search` in name and division; `ordering` by name, division, status, created, updated.",
)
class CustomerViewSet(ServiceViewSet):
    model = Customer
    serializer_class = serializers.CustomerSerializer
    filterset_class = filters.CustomerFilterSet
    create_service = services.customer_create
    update_service = services.customer_update
    update_kwarg = "customer"
    delete_service = services.customer_delete

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("relationship_manager__user")
            .order_by("name", "pk")
        )


@crud_docs("purchaser", "purchasers", "Filter by `customer`; `search` in name.")
class PurchaserViewSet(ServiceViewSet):
    model = Purchaser
    serializer_class = serializers.PurchaserSerializer
    filterset_class = filters.PurchaserFilterSet
    create_service = services.purchaser_create
    update_service = services.purchaser_update
    update_kwarg = "purchaser"
    delete_service = services.purchaser_delete

    def get_queryset(self):
        return super().get_queryset().order_by("customer_id", "name", "pk")


@crud_docs(
    "contact",
    "contacts",
    "Filter by `customer`, `purchaser`, exact `email`; `search` in name, email and title.",
)
class ContactViewSet(ServiceViewSet):
    model = Contact
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilterSet
    create_service = services.contact_create
    update_service = services.contact_update
    update_kwarg = "contact"
    delete_service = services.contact_delete

    def get_queryset(self):
        return super().get_queryset().order_by("customer_id", "name", "pk")

    def get_list_columns(self):
        has_login = ExpressionWrapper(Q(membership__isnull=False), output_field=BooleanField())
        return {"has_portal_login": has_login}


@crud_docs(
    "business expectation",
    "business expectations",
    "Filter by `customer`, `status`. `agreed` is set only by the customer on the portal.",
)
class ExpectationViewSet(ServiceViewSet):
    model = BusinessExpectation
    serializer_class = serializers.ExpectationSerializer
    filterset_class = filters.ExpectationFilterSet
    create_service = services.expectation_create
    update_service = services.expectation_update
    update_kwarg = "expectation"
    delete_service = services.expectation_delete

    def get_queryset(self):
        return super().get_queryset().order_by("customer_id", "title", "pk")


@crud_docs(
    "register item",
    "register items (opportunities, risks, constraints)",
    "Filter by `customer`, `kind`, `status`, `owner`, `review_before`.",
)
class RegisterItemViewSet(ServiceViewSet):
    model = RegisterItem
    serializer_class = serializers.RegisterItemSerializer
    filterset_class = filters.RegisterItemFilterSet
    create_service = services.register_item_create
    update_service = services.register_item_update
    update_kwarg = "item"
    delete_service = services.register_item_delete

    def get_queryset(self):
        return super().get_queryset().order_by("customer_id", "kind", "title", "pk")


@crud_docs(
    "action item",
    "action items",
    "Filter by `customer`, `status` (`open` = open or in "
    "progress), `owner` (member id), `owner_contact`, `due_before`, `due_after`, `source`; "
    "`search` in title; `ordering` by due_date, title, status, created.",
)
class ActionItemViewSet(ServiceViewSet):
    model = ActionItem
    serializer_class = serializers.ActionItemSerializer
    filterset_class = filters.ActionItemFilterSet
    create_service = services.action_item_create
    update_service = services.action_item_update
    update_kwarg = "item"
    delete_service = services.action_item_delete

    def get_queryset(self):
        return super().get_queryset().order_by("due_date", "pk")

    def get_list_columns(self):
        # ActionItem.is_overdue, in SQL (the office's today: the request runs in its time zone).
        overdue = When(
            status__in=ActionItem.OPEN_STATUSES, due_date__lt=timezone.localdate(), then=True
        )
        return {"is_overdue": Case(overdue, default=False, output_field=BooleanField())}


@crud_docs(
    "service",
    "services",
    "The office's service catalogue. Filter by `status`, `owner`; `search` in name and "
    "description; `ordering` by name, status, created. A service that customers consume cannot "
    "be deleted (400): retire it instead.",
)
class ServiceCatalogueViewSet(ServiceViewSet):
    model = Service
    serializer_class = serializers.ServiceSerializer
    filterset_class = filters.ServiceFilterSet
    create_service = services.service_create
    update_service = services.service_update
    update_kwarg = "service"
    delete_service = services.service_delete

    def get_queryset(self):
        qs = super().get_queryset().order_by("name", "pk")
        if self.action != "list":  # the list counts by its own column
            qs = qs.annotate(customer_count=Count("customer_links"))
        return qs

    def get_list_columns(self):
        return {"customer_count": Count("customer_links")}


@crud_docs(
    "customer service",
    "customer services",
    "Which customer consumes which catalogue service: one link each. Filter by `customer`, "
    "`service`. Links are created and deleted, never changed.",
)
class CustomerServiceViewSet(ServiceViewSet):
    model = CustomerService
    serializer_class = serializers.CustomerServiceSerializer
    filterset_class = filters.CustomerServiceFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]
    create_service = services.customer_service_add
    update_kwarg = "link"
    delete_service = services.customer_service_remove

    def get_queryset(self):
        return super().get_queryset().order_by("customer_id", "service_id", "pk")
