"""Filtering of API lists: the FilterSet base, strict filters and the filter backend.

A filter value the schema calls invalid answers 400 naming the parameter, before any query: a
number too large for the column would otherwise reach the database driver (SQLite cannot bind an
integer past 64 bits and raises), and a loose value the schema does not allow would be accepted.
"""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from brm.tenancy.models import Membership, Role


class _RefusesEmptyValues:
    """A parameter given with no value (`?due_before=`, `?status=`) is refused unless it takes
    text: the schema's date, number, choice or boolean has no empty value, and django-filter
    would read it as "no filter"."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) or name not in self.data:
                continue
            if self.data.get(name) == "" and name not in self.errors:
                self.add_error(name, _("Give a value, or leave the parameter out."))
        return cleaned


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with its form class made once per FilterSet class, and refusing
    an empty value for a parameter that is not text.

    django-filter builds a new form class on every request (a field per filter, then a class
    through the form metaclass): a third of a filtered list's filtering time. The class depends
    only on the filters' declarations, unless a filter chooses its queryset per request.
    """

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            built = super().get_form_class()
            form_class = type(built.__name__, (_RefusesEmptyValues, built), {})
            if not any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class


# Row ids are bigints numbered from 1 (PostgreSQL bigint, SQLite INTEGER): anything outside
# cannot name a row, and a value past 64 bits cannot even be bound as a query parameter.
ID_MIN = 1
ID_MAX = 2**63 - 1


class StrictIntegerField(forms.IntegerField):
    """Digits only (an optional minus sign): not "1.0", "1e3" or " 1 ", which the schema's
    `integer` does not allow and Django's IntegerField would still read as numbers."""

    default_error_messages = {"invalid": _("Enter a whole number.")}
    _digits = re.compile(r"-?[0-9]+")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, int) and not self._digits.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(str(value)) > 20:  # past any 64-bit number: no need to build a huge int
            raise forms.ValidationError(
                _("Ensure this value is between %(min)s and %(max)s."),
                code="out_of_range",
                params={"min": self.min_value, "max": self.max_value},
            )
        return int(value)


class IdField(StrictIntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX})
class IdFilter(django_filters.Filter):
    """The id of a related row (`?customer=12`): a whole number from 1 to 2**63-1, or 400."""

    field_class = IdField


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (any case), nothing else; django-filter's own boolean filter reads any
    other value as "no filter" and answers 200."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("true", "false"):
            return text == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering, refusing empty entries (`ordering=,,,` or `name,`) that the
    schema's list of sort keys does not allow and django-filter would silently drop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra.setdefault("help_text", _("Comma-separated sort keys; a leading - reverses."))

    @property
    def field(self):
        field = super().field
        if not getattr(field, "_refuses_empty_entries", False):
            clean = field.clean

            def strict_clean(value):
                # The CSV widget has already split the value: ",,," arrives as four "".
                entries = value if isinstance(value, list | tuple) else str(value).split(",")
                if value not in (None, "") and any(str(e).strip() == "" for e in entries):
                    raise forms.ValidationError(
                        _("Give sort keys separated by commas, with no empty entry."),
                        code="invalid_choice",
                    )
                return clean(value)

            field.clean = strict_clean
            field._refuses_empty_entries = True
        return field


class MembershipFilterSet(FilterSet):
    # Filters are declared, not generated from Meta.fields: django-filter builds generated ones
    # through the model's default manager at import time, and the scoped manager raises there.
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = BooleanFilter()
    email = django_filters.CharFilter(field_name="user__email", lookup_expr="iexact")

    class Meta:
        model = Membership
        fields = ["role", "is_active", "email"]


class SearchFilterSet(FilterSet):
    """A FilterSet with `?search=`: the rows where any of `search_fields` contains the text."""

    search_fields: tuple[str, ...] = ()
    search = django_filters.CharFilter(method="filter_search", label="Search")

    def filter_search(self, queryset, name, value):
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the query string asks for nothing but a page.

    With no filter or ordering given, every filter leaves the queryset as it is; building and
    validating the filter form then only cost time (a tenth of a list request).
    """

    PAGE_PARAMS = frozenset({"page", "page_size"})

    def filter_queryset(self, request, queryset, view):
        if self.PAGE_PARAMS.issuperset(request.query_params) and self._plain(view):
            return queryset
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def _plain(view) -> bool:
        """The view's FilterSet filters only through its declared filters (which leave the
        queryset alone without a value), not through an `qs` or `filter_queryset` of its own."""
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return True
        return (
            filterset_class.qs is django_filters.FilterSet.qs
            and filterset_class.filter_queryset is django_filters.FilterSet.filter_queryset
        )
