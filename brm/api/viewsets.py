"""Base classes for every API viewset of a tenant-owned model. Later areas subclass these."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import mixins, viewsets

from brm.tenancy.models import TenantOwnedModel


class TenantGenericViewSet(viewsets.GenericViewSet):
    """The queryset is always `model.objects` (scoped to the key's tenant); set `model`, never
    `queryset`. Subclasses narrow it with `super().get_queryset().filter(...)`.

    Another tenant's id then answers 404 like an id that does not exist, and the serializer should
    be a brm.api.serializers.TenantModelSerializer (tenant never writable, relations scoped).
    """

    model: type[TenantOwnedModel] | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.queryset is not None:
            raise ImproperlyConfigured(
                f"{cls.__name__}: set `model` (scoped manager), not `queryset`."
            )
        if cls.model is not None and not issubclass(cls.model, TenantOwnedModel):
            raise ImproperlyConfigured(f"{cls.__name__}.model must be a TenantOwnedModel.")

    def get_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs `model`.")
        if getattr(self, "swagger_fake_view", False):
            # Schema generation runs outside any tenant; it needs the model, never rows.
            return self.model.all_tenants.none()
        return self.model.objects.all()


class TenantReadOnlyModelViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet
):
    pass


class TenantModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    TenantGenericViewSet,
):
    pass
