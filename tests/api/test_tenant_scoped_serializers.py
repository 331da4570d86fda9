"""Base serializer and viewset for tenant-owned models: tenant never writable, relations scoped to
the current tenant (another tenant's id reads like an unknown one), querysets from `model`."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from brm.api.serializers import TenantModelSerializer, TenantPrimaryKeyRelatedField
from brm.api.viewsets import TenantGenericViewSet
from brm.audit.models import AuditEvent
from brm.tenancy.context import TenantNotSet, tenant_context
from brm.tenancy.models import Membership, Role, Tenant
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


class ReferenceSerializer(TenantModelSerializer):
    member = TenantPrimaryKeyRelatedField(queryset=Membership.objects)

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "member"]


def _member_errors(pk):
    serializer = ReferenceSerializer(data={"action": "x", "member": pk})
    assert not serializer.is_valid()
    return [str(e) for e in serializer.errors["member"]]


def test_another_tenants_id_is_rejected_like_an_unknown_id(tenant_a, tenant_b):
    b_member = make_member(tenant_b, Role.ANALYST)
    a_member = make_member(tenant_a, Role.ANALYST)
    with tenant_context(tenant_a):
        assert _member_errors(b_member.pk) == [
            f'Invalid pk "{b_member.pk}" - object does not exist.'
        ]
        assert _member_errors(987654321) == ['Invalid pk "987654321" - object does not exist.']
        serializer = ReferenceSerializer(data={"action": "x", "member": a_member.pk})
        assert serializer.is_valid(), serializer.errors


def test_scoping_holds_even_when_declared_with_the_cross_tenant_manager(tenant_a, tenant_b):
    class Careless(TenantModelSerializer):
        member = TenantPrimaryKeyRelatedField(queryset=Membership.all_tenants.all())

        class Meta:
            model = AuditEvent
            fields = ["action", "member"]

    b_member = make_member(tenant_b, Role.ANALYST)
    with tenant_context(tenant_a):
        serializer = Careless(data={"action": "x", "member": b_member.pk})
        assert not serializer.is_valid()
        assert serializer.errors["member"][0].code == "does_not_exist"


def test_unscoped_related_field_to_a_tenant_model_is_refused():
    class Unscoped(TenantModelSerializer):
        member = serializers.PrimaryKeyRelatedField(queryset=Membership.all_tenants)

        class Meta:
            model = AuditEvent
            fields = ["action", "member"]

    with pytest.raises(ImproperlyConfigured, match="TenantPrimaryKeyRelatedField"):
        Unscoped().fields  # noqa: B018


def test_generated_relations_are_tenant_scoped():
    """Relations ModelSerializer builds from model fields use the scoped field class."""

    class Generated(TenantModelSerializer):
        class Meta:
            model = Membership
            fields = ["user", "role"]

    assert TenantModelSerializer.serializer_related_field is TenantPrimaryKeyRelatedField
    assert isinstance(Generated().fields["user"], TenantPrimaryKeyRelatedField)


def test_tenant_is_never_writable(tenant_a):
    class WithTenant(TenantModelSerializer):
        class Meta:
            model = AuditEvent
            fields = ["action", "tenant"]

    assert WithTenant().fields["tenant"].read_only
    with tenant_context(tenant_a):
        other = Tenant.objects.create(slug="other", name="Other")
        serializer = WithTenant(data={"action": "x", "tenant": other.pk})
        assert serializer.is_valid()
        assert "tenant" not in serializer.validated_data

    class ForcedTenant(TenantModelSerializer):
        tenant = serializers.PrimaryKeyRelatedField(queryset=Tenant.objects.all())

        class Meta:
            model = AuditEvent
            fields = ["action", "tenant"]

    with pytest.raises(ImproperlyConfigured, match="tenant"):
        ForcedTenant().fields  # noqa: B018


def test_related_queryset_without_a_tenant_raises():
    serializer = ReferenceSerializer(data={"action": "x", "member": 1})
    with pytest.raises(TenantNotSet):
        serializer.is_valid()


def test_viewset_takes_a_model_never_a_queryset():
    with pytest.raises(ImproperlyConfigured, match="not `queryset`"):

        class WithQueryset(TenantGenericViewSet):
            queryset = Membership.all_tenants.all()

    with pytest.raises(ImproperlyConfigured, match="TenantOwnedModel"):

        class NotTenantOwned(TenantGenericViewSet):
            model = Tenant


def test_viewset_queryset_is_the_scoped_manager(tenant_a, tenant_b):
    class Members(TenantGenericViewSet):
        model = Membership

    a_member = make_member(tenant_a, Role.ANALYST)
    make_member(tenant_b, Role.ANALYST)
    with pytest.raises(TenantNotSet):
        Members().get_queryset()
    assert in_tenant(tenant_a, lambda: list(Members().get_queryset()) == [a_member])
