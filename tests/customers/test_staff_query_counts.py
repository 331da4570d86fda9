"""Query counts of the customers pages are pinned and do not grow with the rows shown.

11 of each count are the request's overhead: tenant, session, user, the memberships (this
office's and the switcher's: one statement, then their tenants), and the savepoints and
set_config calls of tenant_context and ATOMIC_REQUESTS.
The rest is the page's own reads, listed beside each number.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from customers import services
from tests.conftest import make_member
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    CustomerFactory,
    ExpectationFactory,
    PurchaserFactory,
    RegisterItemFactory,
)

pytestmark = pytest.mark.django_db

OVERHEAD = 11
# Customer list: the divisions and the RMs (filter choices), count, rows.
CUSTOMER_LIST = OVERHEAD + 4
# Customer page: the customer, then one query per panel (RM assignments, purchasers, contacts,
# expectations, register, history) and two for open action items (the first ten, their count).
CUSTOMER_PAGE = OVERHEAD + 9
# Action items: the customers (filter choices), count, rows.
ACTION_ITEM_LIST = OVERHEAD + 3
# Coverage: overall (2), per RM (3), the two lists and their counts (4).
COVERAGE = OVERHEAD + 9


def _queries(client, path):
    # Warm: an office's first staff page notes the office in the session (one write, once).
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _rm(tenant, i):
    return make_member(tenant, Role.RELATIONSHIP_MANAGER, email=f"rm{i}@a.example")


def _add_customers(tenant, n, start):
    """Customers each with their own RM (the list joins it), counterpart and a purchaser."""
    for i in range(start, start + n):
        rm = _rm(tenant, i)
        with tenant_context(tenant):
            customer = CustomerFactory(
                name=f"Customer {i:03d}", division=f"Division {i}", relationship_manager=rm
            )
            customer.counterpart = ContactFactory(customer=customer)
            customer.save()
            PurchaserFactory(customer=customer, it_contact=rm if i % 2 else None)
            ActionItemFactory(customer=customer, owner_member=rm, due_date=datetime.date.today())


def test_customer_list_query_count_is_pinned(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/customers/"
    _add_customers(tenant_a, 5, 0)
    few = _queries(client, path)
    _add_customers(tenant_a, 25, 5)
    many = _queries(client, path)
    assert few == many
    assert many == CUSTOMER_LIST
    # Filtered and sorted by RM, the same.
    assert _queries(client, f"{path}?status=active&sort=-rm&q=Customer") == many


def _fill_customer(tenant, customer, rm, n, start):
    """n rows in every panel of the customer page, each with its relations set."""
    with tenant_context(tenant):
        for i in range(start, start + n):
            member = _rm(tenant, 100 + i)
            unit = PurchaserFactory(customer=customer, it_contact=member)
            contact = ContactFactory(customer=customer, purchaser=unit)
            services.purchaser_update(purchaser=unit, actor=rm.user, manager=contact)
            if i % 2:
                services.contact_invite(contact=contact, actor=rm.user)
            ExpectationFactory(
                customer=customer,
                status="agreed",
                agreed_by_business=contact,
                agreed_by_it=member,
            )
            RegisterItemFactory(customer=customer, owner=member)
            ActionItemFactory(customer=customer, owner_member=member if i % 2 else None)
            ActionItemFactory(customer=customer, owner_contact=contact)
            services.customer_update(customer=customer, actor=rm.user, relationship_manager=member)


def test_customer_page_query_count_is_pinned(client, tenant_a, rm_a, customer_record):
    client.force_login(rm_a.user)
    path = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/"
    _fill_customer(tenant_a, customer_record, rm_a, 5, 0)
    few = _queries(client, path)
    _fill_customer(tenant_a, customer_record, rm_a, 25, 5)
    many = _queries(client, path)
    assert few == many
    assert many == CUSTOMER_PAGE


def test_action_item_list_query_count_is_pinned(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/action-items/?tab=open"
    _add_customers(tenant_a, 5, 0)
    few = _queries(client, path)
    _add_customers(tenant_a, 25, 5)
    many = _queries(client, path)
    assert few == many
    assert many == ACTION_ITEM_LIST


def test_coverage_query_count_is_pinned(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/coverage/"
    _add_customers(tenant_a, 5, 0)
    few = _queries(client, path)
    _add_customers(tenant_a, 25, 5)
    many = _queries(client, path)
    assert few == many
    assert many == COVERAGE
