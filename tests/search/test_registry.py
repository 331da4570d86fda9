"""The search registry: a kind is searched from the audience it names, a kind whose queryset is
None is left out for that reader, the groups come in `order`, and a misnamed audience is
refused at start-up."""

from types import SimpleNamespace

import pytest

from brm.search.registry import PORTAL, STAFF, Hit, SearchContext, SearchRegistry
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _registry():
    registry = SearchRegistry("test")

    def hit(customer, ctx):
        return Hit(customer.name, f"/customers/{customer.pk}/")

    registry.register(
        "late", label="Late", order=20, queryset=lambda ctx: Customer.objects.all(),
        fields=("name",), hit=hit,
    )  # fmt: skip
    registry.register(
        "early", label="Early", order=10, queryset=lambda ctx: Customer.objects.all(),
        fields=("name",), hit=hit, audience=(STAFF, PORTAL),
    )  # fmt: skip
    registry.register(
        "hidden", label="Hidden", order=5, queryset=lambda ctx: None, fields=("name",), hit=hit
    )
    return registry


def _ctx(tenant, portal=False):
    return SearchContext(SimpleNamespace(tenant=tenant, membership=None), "Finance", portal)


def test_groups_in_order_and_a_none_queryset_left_out(tenant_a, rm_a):
    CustomerFactory(name="Finance", relationship_manager=rm_a)
    groups = _registry().search(_ctx(tenant_a), limit=5)
    assert [g["key"] for g in groups] == ["early", "late"]
    assert groups[0]["hits"] == [Hit("Finance", groups[0]["hits"][0].url)]
    assert groups[0]["count"] == 1 and groups[0]["more_url"] is None


def test_the_portal_searches_only_its_kinds(tenant_a, rm_a):
    CustomerFactory(name="Finance", relationship_manager=rm_a)
    assert [g["key"] for g in _registry().search(_ctx(tenant_a, portal=True), limit=5)] == ["early"]


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        SearchRegistry("test").register(
            "x", label="X", queryset=lambda ctx: None, fields=("name",), hit=None,
            audience=("everyone",),
        )  # fmt: skip


def test_the_areas_register_every_kind_of_the_product():
    from brm.search.registry import search_kinds

    assert [kind.key for kind in search_kinds] == [
        "customers", "contacts", "services", "agreements", "meetings", "decisions",
        "complaints", "portal_surveys", "surveys", "campaigns", "notices",
    ]  # fmt: skip
