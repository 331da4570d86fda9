"""Base classes for every API viewset of a tenant-owned model. Later areas subclass these."""

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from rest_framework import ISO_8601, mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from brm.tenancy.models import Membership, TenantOwnedModel

from .serializers import StrictBooleanField, StrictCharField


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


# Fields whose to_representation needs only the value: what the fast list path may convert with.
_PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,  # EmailField, SlugField, URLField, RegexField
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.UUIDField,
)
_NOT_PLAIN_FIELDS = (serializers.MultipleChoiceField, serializers.FilePathField)


# Serializer fields that answer the value itself when the column holds this Python type
# (CharField: str(value); ChoiceField: the choice whose key is str(value); IntegerField:
# int(value); BooleanField: the bool): the fast list path skips the call.
_IDENTITY_COLUMNS = {
    serializers.CharField: (models.CharField, models.TextField),
    StrictCharField: (models.CharField, models.TextField),
    serializers.EmailField: (models.CharField,),
    serializers.ChoiceField: (models.CharField, models.TextField),
    serializers.IntegerField: (models.IntegerField,),
    serializers.BigIntegerField: (models.IntegerField,),  # unless it is coerced to a string
    serializers.BooleanField: (models.BooleanField,),
    StrictBooleanField: (models.BooleanField,),
}


def _is_identity(field, model_field) -> bool:
    columns = _IDENTITY_COLUMNS.get(type(field))
    if columns is None or not isinstance(model_field, columns):
        return False
    if isinstance(field, serializers.ChoiceField):
        return all(isinstance(key, str) for key in field.choices)
    if isinstance(field, serializers.BigIntegerField):
        return not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    return True


class InOfficeTime:
    """A DateTimeField's output (ISO 8601 in the current time zone), with the zone looked up once
    per list instead of once per value: the lookup cost more than the conversion."""

    def __init__(self, field):
        self.field = field

    @staticmethod
    def applies_to(field) -> bool:
        return (
            type(field).to_representation is serializers.DateTimeField.to_representation
            and type(field).enforce_timezone is serializers.DateTimeField.enforce_timezone
            and type(field).default_timezone is serializers.DateTimeField.default_timezone
            and not hasattr(field, "timezone")
            and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
            and settings.USE_TZ
        )

    def bind(self, zone):
        fallback = self.field.to_representation

        def convert(value):
            if not isinstance(value, datetime.datetime) or not timezone.is_aware(value):
                return fallback(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:
                return fallback(value)  # DRF's own answer for a time it cannot convert
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return convert


class _CountedRows:
    """The rows of a list, counted on the filtered queryset: the same number (every hop the
    columns join over is a non-null foreign key) without the joins the columns need."""

    def __init__(self, rows, counted):
        self.rows = rows
        self.counted = counted
        self.ordered = rows.ordered
        self.db = rows.db

    def count(self) -> int:
        return self.counted.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, key):
        return self.rows[key]


class RowListModelMixin(mixins.ListModelMixin):
    """Lists read plain rows (`values_list`) instead of model instances, when it is safe.

    A page of 50 model instances, each walked field by field by the serializer, costs more than
    everything else in a list request. When the serializer does not override how it represents
    a record and every readable field is a plain field on a model column, a foreign key's id, a
    column across non-null foreign keys (`source="a.b.c"`) or a column the view names in
    `get_list_columns()`, the page is read as tuples and each value goes through the same
    field's `to_representation`: the JSON is the same as the serializer's (a test compares every
    list item with the retrieve of the same id). Anything else falls back to the serializer.
    """

    def get_list_columns(self) -> dict:
        """Serializer field name -> query expression, for fields that are not model columns."""
        return {}

    @staticmethod
    def _column(model, path: list[str]):
        """The values() lookup of a dotted source and its model field, or None unless every hop
        is a non-null FK (a null hop makes DRF leave the key out, which a row cannot tell)."""
        for hop in path[:-1]:
            try:
                field = model._meta.get_field(hop)
            except FieldDoesNotExist:
                return None
            if not (field.many_to_one or field.one_to_one) or field.null or not field.concrete:
                return None
            model = field.related_model
        try:
            last = model._meta.get_field(path[-1])
        except FieldDoesNotExist:
            return None
        if last.is_relation or not last.concrete:
            return None
        return "__".join(path), last

    def _row_plan(self, serializer, extra_names):
        if type(serializer).to_representation is not serializers.Serializer.to_representation:
            return None
        model = serializer.Meta.model
        plan = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if name in extra_names:
                # A method field's value is computed by the expression itself.
                method = isinstance(field, serializers.SerializerMethodField)
                if not method and not isinstance(field, _PLAIN_FIELDS):
                    return None
                plan.append((name, f"_list_{name}", None if method else field.to_representation))
                continue
            if type(field) is serializers.PrimaryKeyRelatedField or (
                isinstance(field, serializers.PrimaryKeyRelatedField)
                and type(field).to_representation
                is serializers.PrimaryKeyRelatedField.to_representation
            ):
                if field.pk_field is not None or "." in field.source:
                    return None
                try:
                    model_field = model._meta.get_field(field.source)
                except FieldDoesNotExist:
                    return None
                if not (model_field.many_to_one or model_field.one_to_one):
                    return None
                plan.append((name, model_field.attname, None))
                continue
            if not isinstance(field, _PLAIN_FIELDS) or isinstance(field, _NOT_PLAIN_FIELDS):
                return None
            if field.source == "*":
                return None
            found = self._column(model, field.source_attrs)
            if found is None:
                return None
            column, model_field = found
            if _is_identity(field, model_field):
                convert = None
            elif InOfficeTime.applies_to(field):
                convert = InOfficeTime(field)
            else:
                convert = field.to_representation
            plan.append((name, column, convert))
        return plan

    def _cached_row_plan(self):
        # Per viewset and serializer class, once per process: the plan's fields are made without
        # a request and convert values without per-request state. The column expressions of
        # get_list_columns() are asked for on every request (they may depend on the date).
        cls = type(self)
        plans = cls.__dict__.get("_row_plans")
        if plans is None:
            plans = {}
            cls._row_plans = plans
        serializer_class = self.get_serializer_class()
        if serializer_class not in plans:
            extra_names = set(self.get_list_columns())
            plans[serializer_class] = self._row_plan(serializer_class(context={}), extra_names)
        return plans[serializer_class]

    def list(self, request, *args, **kwargs):
        plan = self._cached_row_plan()
        if plan is None:
            return super().list(request, *args, **kwargs)
        extra = self.get_list_columns()
        queryset = self.filter_queryset(self.get_queryset())
        counted = queryset
        if extra:
            queryset = queryset.annotate(**{f"_list_{k}": v for k, v in extra.items()})
        rows = _CountedRows(
            queryset.values_list(*(column for _name, column, _convert in plan)), counted
        )
        page = self.paginate_queryset(rows)
        items = page if page is not None else rows
        zone = timezone.get_current_timezone()
        fields = [
            (name, convert.bind(zone) if isinstance(convert, InOfficeTime) else convert)
            for name, _column, convert in plan
        ]
        results = [
            {
                name: value if value is None or convert is None else convert(value)
                for (name, convert), value in zip(fields, row, strict=True)
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


class ServiceViewSet(TenantModelViewSet):
    """Maps create / update / destroy onto the area's services (one rule, every caller).

    `create_service(actor=..., **validated_data)`,
    `update_service(actor=..., <update_kwarg>=instance, **validated_data)` and
    `delete_service(actor=..., <update_kwarg>=instance)`; the actor is the signed-in person in the
    browser, or the person who made the API key.
    """

    create_service = None
    update_service = None
    update_kwarg = ""
    delete_service = None

    def _actor(self):
        if isinstance(self.request.auth, Membership):
            return self.request.user  # a person in the browser
        api_key = self.request.auth
        return getattr(api_key, "created_by", None)

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            actor=self._actor(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        kwargs = {self.update_kwarg: serializer.instance}
        serializer.instance = type(self).update_service(
            actor=self._actor(), **kwargs, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        type(self).delete_service(**{self.update_kwarg: instance}, actor=self._actor())
