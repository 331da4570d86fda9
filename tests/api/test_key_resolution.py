"""How a key is resolved: the whole request runs in its tenant, last use is noted at most once a
minute, and the API refuses to run unscoped."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from brm.api.models import ApiKey
from brm.tenancy.context import current_tenant_id_or_none
from tests.kit import client_for, in_tenant, make_key

pytestmark = pytest.mark.django_db


def _last_used(tenant):
    with in_tenant(tenant):
        return ApiKey.objects.get().last_used_at


def test_last_use_is_recorded_at_most_once_a_minute(tenant_a):
    _key, raw = make_key(tenant_a)
    assert _last_used(tenant_a) is None
    client = client_for(raw)
    client.get("/api/v1/tenant/")
    first = _last_used(tenant_a)
    assert first is not None
    client.get("/api/v1/tenant/")
    assert _last_used(tenant_a) == first

    with in_tenant(tenant_a):
        ApiKey.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/tenant/")
    assert _last_used(tenant_a) > first


def test_failed_key_records_no_use(tenant_a):
    _key, raw = make_key(tenant_a)
    client_for(raw + "x").get("/api/v1/tenant/")
    assert _last_used(tenant_a) is None


def test_request_runs_inside_the_key_tenant(tenant_a, monkeypatch):
    from brm.api import views

    seen = []
    original = views.TenantView.get

    def spy(self, request):
        seen.append(current_tenant_id_or_none())
        return original(self, request)

    monkeypatch.setattr(views.TenantView, "get", spy)
    client_for(make_key(tenant_a)[1]).get("/api/v1/tenant/")
    assert seen == [tenant_a.pk]
    assert current_tenant_id_or_none() is None  # and is left afterwards


def test_without_the_middleware_the_api_fails_closed(tenant_a, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("ApiKeyMiddleware")]
    client = client_for(make_key(tenant_a)[1])
    client.raise_request_exception = False
    assert client.get("/api/v1/tenant/").status_code == 500


def test_schema_and_docs_need_no_key_but_data_does(tenant_a):
    client = APIClient()
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.get("/api/v1/tenant/").status_code == 401


def test_a_request_costs_a_fixed_number_of_queries(tenant_a):
    from brm.tenancy.models import Role
    from tests.kit import API_SHELL_QUERIES, assert_api_queries, make_member

    for i in range(5):
        make_member(tenant_a, Role.ANALYST, email=f"m{i}@example.test")
    client = client_for(make_key(tenant_a)[1])
    # The shell: the key lookup, one statement (brm_api_key_candidates, with the key's office),
    # then savepoint, set tenant, release, reset tenant (the view has no savepoint of its own:
    # the middleware's transaction is the request's; savepoints are counted because the test
    # runs in a transaction). The list's own: count, one page with users joined.
    assert API_SHELL_QUERIES == 5
    assert assert_api_queries(client, "/api/v1/members/", own=2) == 7
    assert len(client.get("/api/v1/members/").json()["results"]) == 5


def test_the_key_lookup_leaves_no_prefix_visible_afterwards(tenant_a, tenant_b):
    """The prefix that lets RLS show the key's rows is gone once the lookup is over."""
    from django.db import connection, transaction

    from brm.api.services import api_key_authenticate

    _key, raw = make_key(tenant_a)
    make_key(tenant_b)
    with transaction.atomic():  # inside a transaction, where a set_config would outlive the read
        assert api_key_authenticate(raw).tenant_id == tenant_a.pk
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.api_key_prefix', true)")
            assert cursor.fetchone()[0] in ("", None)
            cursor.execute("SELECT count(*) FROM api_apikey")
            assert cursor.fetchone()[0] == 0  # no tenant, no prefix: RLS shows nothing


def test_the_key_lookup_reads_fields_that_need_no_database_converter():
    """`_candidates` builds the key and its office from raw rows (one statement): a field whose
    value the database backend or the field converts on the way in would come back unconverted."""
    from django.db import connection
    from django.db.models.expressions import Col

    from brm.tenancy.models import Tenant

    for model in (ApiKey, Tenant):
        for field in model._meta.concrete_fields:
            col = Col(model._meta.db_table, field)
            assert not connection.ops.get_db_converters(col), (model, field.name)
            assert not hasattr(field, "from_db_value"), (model, field.name)


def test_a_key_comes_back_with_its_office_and_every_field(tenant_a):
    from brm.api.services import api_key_authenticate

    key, raw = make_key(tenant_a)
    found = api_key_authenticate(raw)
    assert found.pk == key.pk and found.tenant == tenant_a
    assert found.tenant.time_zone == tenant_a.time_zone and found.tenant.name == tenant_a.name
    assert (found.name, found.scope, found.prefix, found.key_hash) == (
        key.name,
        key.scope,
        key.prefix,
        key.key_hash,
    )
    assert found.created_at == key.created_at and found._state.adding is False
