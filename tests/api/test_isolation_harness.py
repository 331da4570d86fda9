"""The API isolation harness itself: it finds operations in the schema, fails for an unregistered
path, and checks cross-tenant references on writes (on a probe endpoint, as no real write with a
relation exists yet)."""

import pytest
from django.test import override_settings

from brm.audit.services import audit_record
from brm.tenancy.context import tenant_context
from tests import isolation_registry  # noqa: F401  (fills the registries)
from tests.api import probe_urls
from tests.api.isolation import (
    API_OBJECT_FACTORIES,
    api_operations,
    client_with_key,
    cross_tenant_reference_failures,
    missing_object_factories,
    writable_relations,
)

pytestmark = pytest.mark.django_db
PROBES = "tests.api.probe_urls"


def test_harness_fails_for_an_operation_whose_path_is_not_registered():
    operations = api_operations(PROBES)
    assert "POST /api/v1/probes/" in {str(op) for op in operations}
    assert set(missing_object_factories(operations)) == {
        "GET /api/v1/probes/{id}/",
        "PATCH /api/v1/probes/{id}/",
    }


@pytest.fixture
def registered_probe(monkeypatch):
    def probe(tenant):
        with tenant_context(tenant):
            return {"id": audit_record(actor=None, action="probe", obj=tenant).pk}

    monkeypatch.setitem(API_OBJECT_FACTORIES, probe_urls.PROBE_PATH, probe)


def test_harness_finds_writable_relations_to_tenant_owned_models(tenant_a, registered_probe):
    operations = {str(op): op for op in api_operations(PROBES)}
    create = operations["POST /api/v1/probes/"]
    assert writable_relations(create, {}, PROBES) == [
        ("member", "tenancy.membership", False),
        ("members", "tenancy.membership", True),
    ]


@override_settings(ROOT_URLCONF=PROBES)
def test_harness_checks_that_tenant_b_ids_are_rejected_like_unknown_ids(
    tenant_a, tenant_b, registered_probe
):
    operations = api_operations(PROBES)
    client = client_with_key(tenant_a)
    assert cross_tenant_reference_failures(client, tenant_a, tenant_b, operations, PROBES) == []


@override_settings(ROOT_URLCONF=PROBES)
def test_harness_reports_a_related_model_without_a_factory(
    tenant_a, tenant_b, registered_probe, monkeypatch
):
    from tests.api.isolation import RELATED_OBJECT_FACTORIES

    monkeypatch.delitem(RELATED_OBJECT_FACTORIES, "tenancy.membership")
    failures = cross_tenant_reference_failures(
        client_with_key(tenant_a), tenant_a, tenant_b, api_operations(PROBES), PROBES
    )
    assert failures and all("register_related('tenancy.membership')" in f for f in failures)
