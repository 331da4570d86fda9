from rest_framework import serializers

from brm.api.serializers import TenantModelSerializer, TenantPrimaryKeyRelatedField
from brm.tenancy.models import Membership
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


class CustomerSerializer(TenantModelSerializer):
    relationship_manager = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())
    relationship_manager_email = serializers.EmailField(
        source="relationship_manager.user.email", read_only=True
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "division",
            "status",
            "relationship_manager",
            "relationship_manager_email",
            "business_manager",
            "counterpart",
            "strategy",
            "business_drivers",
            "demand_patterns",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class PurchaserSerializer(TenantModelSerializer):
    class Meta:
        model = Purchaser
        fields = [
            "id",
            "customer",
            "name",
            "manager",
            "it_contact",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ContactSerializer(TenantModelSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "customer",
            "purchaser",
            "name",
            "title",
            "email",
            "phone",
            "role",
            "interests",
            "responsibilities",
            "influence",
            "authority",
            "has_portal_login",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    has_portal_login = serializers.SerializerMethodField()

    def get_has_portal_login(self, obj) -> bool:
        return obj.membership_id is not None


class ExpectationSerializer(TenantModelSerializer):
    class Meta:
        model = BusinessExpectation
        fields = [
            "id",
            "customer",
            "title",
            "service",
            "description",
            "acceptance_criteria",
            "metrics",
            "status",
            "agreed_by_business",
            "agreed_by_it",
            "agreed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "agreed_by_business",
            "agreed_by_it",
            "agreed_at",
            "created_at",
            "updated_at",
        ]


class RegisterItemSerializer(TenantModelSerializer):
    class Meta:
        model = RegisterItem
        fields = [
            "id",
            "customer",
            "kind",
            "title",
            "description",
            "owner",
            "impact",
            "likelihood",
            "status",
            "review_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ActionItemSerializer(TenantModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "customer",
            "title",
            "description",
            "owner_member",
            "owner_contact",
            "due_date",
            "status",
            "is_overdue",
            "source",
            "source_ref",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]

    def validate(self, attrs):
        member = attrs.get("owner_member", getattr(self.instance, "owner_member", None))
        contact = attrs.get("owner_contact", getattr(self.instance, "owner_contact", None))
        if member is not None and contact is not None:
            raise serializers.ValidationError(
                {"owner_contact": "An action item has one owner: a staff member or a contact."}
            )
        return attrs


class ServiceSerializer(TenantModelSerializer):
    customer_count = serializers.SerializerMethodField(
        help_text="How many customers consume the service."
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "status",
            "customer_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_customer_count(self, obj) -> int:
        count = getattr(obj, "customer_count", None)
        return obj.customer_links.count() if count is None else count


class CustomerServiceSerializer(TenantModelSerializer):
    class Meta:
        model = CustomerService
        fields = ["id", "customer", "service", "created_at"]
        read_only_fields = ["id", "created_at"]
        # The service says "consumes this service already" (a 400 with the field's error).
        validators = []
