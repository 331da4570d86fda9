"""Query counts of the customers pages are pinned and do not grow with the rows shown.

Each number is the page's own reads, listed beside it, on top of the staff shell's
(tests/kit.py, STAFF_SHELL_QUERIES).
"""

import datetime

import pytest

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from customers import services
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    CustomerFactory,
    CustomerServiceFactory,
    ExpectationFactory,
    PurchaserFactory,
    RegisterItemFactory,
    ServiceFactory,
)
from tests.kit import assert_page_queries, in_tenant, make_member

pytestmark = pytest.mark.django_db

# Customer list: the divisions and the RMs (filter choices), count, rows.
CUSTOMER_LIST = 4
# Customer page: the customer, then one query per panel (RM assignments, services consumed,
# purchasers, contacts, expectations, register, history), two for open action items (the
# first ten, their count), one for the agreement panel (agreements area, registered), five
# for the meetings panel (meetings area: the agreement in force, the next meeting, the last
# review, the cadence adherence, the missed cadences), two for the communication plan panel
# (meetings area: the plan's entries, the latest notices), two for the complaints panel
# (complaints area: the counts, the latest three) and one for the satisfaction panel (the
# customer's campaigns with their counts).
CUSTOMER_PAGE = 21
# Action items: the customers (filter choices), count, rows.
ACTION_ITEM_LIST = 3
# Coverage: overall (2), per RM (3), the two lists and their counts (4).
COVERAGE = 9


def _rm(tenant, i):
    return make_member(tenant, Role.RELATIONSHIP_MANAGER, email=f"rm{i}@a.example")


def _add_customers(tenant, n, start):
    """Customers each with their own RM (the list joins it), counterpart and a purchaser."""
    for i in range(start, start + n):
        rm = _rm(tenant, i)
        customer = CustomerFactory(
            name=f"Customer {i:03d}", division=f"Division {i}", relationship_manager=rm
        )
        customer.counterpart = ContactFactory(customer=customer)
        in_tenant(tenant, customer.save)
        PurchaserFactory(customer=customer, it_contact=rm if i % 2 else None)
        ActionItemFactory(customer=customer, owner_member=rm, due_date=datetime.date.today())


def test_customer_list_query_count_is_pinned(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/customers/"
    _add_customers(tenant_a, 5, 0)
    assert_page_queries(client, path, own=CUSTOMER_LIST)
    _add_customers(tenant_a, 25, 5)
    assert_page_queries(client, path, own=CUSTOMER_LIST)
    # Filtered and sorted by RM, the same.
    assert_page_queries(client, f"{path}?status=active&sort=-rm&q=Customer", own=CUSTOMER_LIST)


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
            CustomerServiceFactory(customer=customer, service=ServiceFactory(owner=member))
            services.customer_update(customer=customer, actor=rm.user, relationship_manager=member)


def test_customer_page_query_count_is_pinned(client, tenant_a, rm_a, customer_record):
    client.force_login(rm_a.user)
    path = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/"
    _fill_customer(tenant_a, customer_record, rm_a, 5, 0)
    assert_page_queries(client, path, own=CUSTOMER_PAGE)
    _fill_customer(tenant_a, customer_record, rm_a, 25, 5)
    assert_page_queries(client, path, own=CUSTOMER_PAGE)


def test_action_item_list_query_count_is_pinned(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/action-items/?tab=open"
    _add_customers(tenant_a, 5, 0)
    assert_page_queries(client, path, own=ACTION_ITEM_LIST)
    _add_customers(tenant_a, 25, 5)
    assert_page_queries(client, path, own=ACTION_ITEM_LIST)


def test_coverage_query_count_is_pinned(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = f"/t/{tenant_a.slug}/coverage/"
    _add_customers(tenant_a, 5, 0)
    assert_page_queries(client, path, own=COVERAGE)
    _add_customers(tenant_a, 25, 5)
    assert_page_queries(client, path, own=COVERAGE)
