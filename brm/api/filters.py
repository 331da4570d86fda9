import django_filters

from brm.tenancy.models import Membership, Role


class MembershipFilterSet(django_filters.FilterSet):
    # Filters are declared, not generated from Meta.fields: django-filter builds generated ones
    # through the model's default manager at import time, and the scoped manager raises there.
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()
    email = django_filters.CharFilter(field_name="user__email", lookup_expr="iexact")

    class Meta:
        model = Membership
        fields = ["role", "is_active", "email"]
