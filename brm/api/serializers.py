from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers

from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Membership, Tenant, TenantOwnedModel


class TenantScopedRelatedFieldMixin:
    """Resolves the related queryset at request time, within the current tenant.

    Another tenant's id is then rejected exactly like an unknown one ("Invalid pk "7" - object
    does not exist."), whatever queryset the field was declared with; without a tenant it raises.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if issubclass(queryset.model, TenantOwnedModel):
            queryset = queryset.filter(tenant_id=current_tenant_id())
        return queryset


class TenantPrimaryKeyRelatedField(
    TenantScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField
):
    pass


class TenantSlugRelatedField(TenantScopedRelatedFieldMixin, serializers.SlugRelatedField):
    pass


def _writable_relations(fields):
    for name, field in fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            yield name, field.child_relation
        elif isinstance(field, serializers.RelatedField):
            yield name, field


class StrictCharField(serializers.CharField):
    """A text field that takes text only: DRF's own turns 0 or 1.5 into "0" and "1.5", which
    the schema (type string) says is refused."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """`true` or `false` only: DRF's own also takes 0, 1, "yes" and "on", which the schema
    (type boolean) says is refused."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class TenantModelSerializer(serializers.ModelSerializer):
    """Base of every API serializer of a tenant-owned model.

    * `tenant` is never writable: the current tenant is set by the model on save.
    * Related fields pick from the current tenant only (TenantPrimaryKeyRelatedField is the
      default for model relations); a declared related field to a tenant-owned model that is not
      tenant-scoped is refused when the serializer is built, so no subclass can forget.
    """

    serializer_related_field = TenantPrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
    }

    def get_fields(self):
        fields = super().get_fields()
        tenant_field = fields.get("tenant")
        if tenant_field is not None and not tenant_field.read_only:
            raise ImproperlyConfigured(f"{type(self).__name__}: `tenant` must not be writable.")
        for name, field in _writable_relations(fields):
            model = getattr(field.queryset, "model", None)
            if (
                model is not None
                and issubclass(model, TenantOwnedModel)
                and not isinstance(field, TenantScopedRelatedFieldMixin)
            ):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{name}: use TenantPrimaryKeyRelatedField (or another "
                    "TenantScopedRelatedFieldMixin field) for a relation to a tenant-owned model."
                )
        return fields


class TenantSerializer(serializers.ModelSerializer):
    """The office the API key belongs to."""

    class Meta:
        model = Tenant
        fields = ["slug", "name", "time_zone"]
        read_only_fields = fields


class MembershipSerializer(TenantModelSerializer):
    """A person's place in the office: staff or portal role, and whether it is active."""

    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "is_active"]
        read_only_fields = fields
