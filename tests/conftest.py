import pytest
from django.conf import settings
from django.core.cache import cache

from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from tests.isolation import load_isolation_cases
from tests.kit import in_tenant, make_member

# Every area's isolation cases (tests/<area>/isolation_cases.py), before any test module reads the
# registries at import time.
load_isolation_cases()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate as the owning role (pytest-django), then run every test as the runtime role.

    So the whole suite runs under PostgreSQL row-level security, as the application does.
    """
    from django.db import connections

    conn = connections["default"]
    owner = conn.settings_dict["USER"]
    runtime = conn.ops.quote_name(settings.DATABASE_RUNTIME_USER)
    with django_db_blocker.unblock():
        with conn.cursor() as cursor:
            # Only the test database lets the runtime role TRUNCATE: transactional tests flush
            # their tables between tests; in production it has no such right.
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {runtime}")
        conn.close()
    conn.settings_dict["USER"] = settings.DATABASE_RUNTIME_USER
    yield
    with django_db_blocker.unblock():
        conn.close()
    conn.settings_dict["USER"] = owner  # the owner drops the test database


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters must not leak between tests; only this run's keys are removed."""
    client = cache._cache.get_client(None, write=True)
    keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)
    yield


@pytest.fixture
def tenant_a(db):
    return services.tenant_create(slug="tenant-a", name="Tenant A", mfa_policy="optional")


@pytest.fixture
def tenant_b(db):
    return services.tenant_create(slug="tenant-b", name="Tenant B", mfa_policy="optional")


@pytest.fixture
def admin_a(tenant_a):
    return make_member(tenant_a, Role.ADMIN)


@pytest.fixture
def customer_a(tenant_a):
    return make_member(tenant_a, Role.CUSTOMER)


@pytest.fixture
def purchaser_a(tenant_a):
    return make_member(tenant_a, Role.PURCHASER)


@pytest.fixture
def rm_a(tenant_a):
    return make_member(tenant_a, Role.RELATIONSHIP_MANAGER)


@pytest.fixture
def admin_b(tenant_b):
    return make_member(tenant_b, Role.ADMIN)


@pytest.fixture
def as_tenant_a(tenant_a):
    """The test runs as tenant A, as a request or a task of A runs: for service and selector
    tests (`pytestmark = pytest.mark.usefixtures("as_tenant_a")`). Never for page or API tests:
    a request enters its tenant itself, and a test already inside one would hide a view that
    forgot to."""
    with tenant_context(tenant_a):
        yield tenant_a


@pytest.fixture
def customer_record(tenant_a, rm_a):
    """A customer of tenant A looked after by rm_a, with a business manager contact."""
    from tests.factories import ContactFactory, CustomerFactory

    customer = CustomerFactory(relationship_manager=rm_a, name="Finance")
    manager = ContactFactory(customer=customer, name="Bea Budget", email="bea@finance.example")
    customer.business_manager = manager
    in_tenant(tenant_a, customer.save)
    return customer
