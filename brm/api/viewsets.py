"""Base classes for every API viewset of a tenant-owned model. Later areas subclass these."""

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import transaction
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from brm.tenancy.models import TenantOwnedModel


class TenantGenericViewSet(viewsets.GenericViewSet):
    """The queryset is always `model.objects` (scoped to the key's tenant); set `model`, never
    `queryset`. Subclasses narrow it with `super().get_queryset().filter(...)`.

    Another tenant's id then answers 404 like an id that does not exist, and the serializer should
    be a brm.api.serializers.TenantModelSerializer (tenant never writable, relations scoped).
    """

    model: type[TenantOwnedModel] | None = None

    @classmethod
    def as_view(cls, *args, **kwargs):
        # ApiKeyMiddleware already runs the whole request in one transaction (tenant_context);
        # ATOMIC_REQUESTS would only add a savepoint and its release to every request.
        return transaction.non_atomic_requests(super().as_view(*args, **kwargs))

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


class RowListModelMixin(mixins.ListModelMixin):
    """Lists read plain rows (`values_list`) instead of model instances, when it is safe.

    A page of 50 model instances, each walked field by field by the serializer, costs more than
    everything else in a list request. When every readable field of the serializer is a model
    column, a foreign key's id, a column across foreign keys (`source="a.b.c"`) or a column the
    view names in `get_list_columns()`, the page is read as tuples and each value goes through the
    same field's `to_representation`: the JSON is the same as the serializer's (a test compares
    every list item with the retrieve of the same id). Any other field falls back to the
    serializer.
    """

    def get_list_columns(self) -> dict:
        """Serializer field name -> query expression, for fields that are not model columns."""
        return {}

    def _row_plan(self, serializer):
        extra = self.get_list_columns()
        model = self.get_queryset().model
        plan = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if name in extra:
                # A method field's value is computed by the expression itself.
                method = isinstance(field, serializers.SerializerMethodField)
                plan.append((name, f"_list_{name}", None if method else field.to_representation))
                continue
            if (
                isinstance(
                    field,
                    serializers.SerializerMethodField
                    | serializers.ManyRelatedField
                    | serializers.BaseSerializer
                    | serializers.HiddenField,
                )
                or field.source == "*"
            ):
                return None
            if isinstance(field, serializers.PrimaryKeyRelatedField):
                try:
                    column = model._meta.get_field(field.source).attname
                except FieldDoesNotExist:
                    return None
                plan.append((name, column, None))
                continue
            if isinstance(field, serializers.RelatedField):
                return None
            path = field.source_attrs
            try:
                model_field = model._meta.get_field(path[0])
            except FieldDoesNotExist:
                return None
            if len(path) == 1 and (model_field.is_relation or not model_field.concrete):
                return None
            plan.append((name, "__".join(path), field.to_representation))
        return plan, extra

    def list(self, request, *args, **kwargs):
        # The plan depends on the classes only (fields convert values without request state),
        # so it is made once per process; the column expressions are asked for every request.
        cls = type(self)
        if "_row_plan_cached" not in cls.__dict__:
            cls._row_plan_cached = self._row_plan(self.get_serializer())
        planned = cls._row_plan_cached
        if planned is None:
            return super().list(request, *args, **kwargs)
        plan, _extra = planned
        extra = self.get_list_columns()
        queryset = self.filter_queryset(self.get_queryset())
        if extra:
            queryset = queryset.annotate(**{f"_list_{k}": v for k, v in extra.items()})
        rows = queryset.values_list(*(column for _name, column, _convert in plan))
        page = self.paginate_queryset(rows)
        items = page if page is not None else rows
        results = [
            {
                name: value if value is None or convert is None else convert(value)
                for (name, _column, convert), value in zip(plan, row, strict=True)
            }
            for row in items
        ]
        if page is not None:
            return self.get_paginated_response(results)
        return Response(results)


class TenantReadOnlyModelViewSet(
    RowListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet
):
    pass


class TenantModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    RowListModelMixin,
    TenantGenericViewSet,
):
    pass
