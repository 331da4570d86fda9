"""Lists over a whole office are planned for that office; other queries may reuse a plan."""

import pytest
from django.conf import settings
from django.db import connection

from brm.db.plans import OfficePaginator, office_wide
from brm.tenancy.context import tenant_context
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

THRESHOLD = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]


def _prepared_on_customers() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE '%%customers_customer%%' AND statement NOT LIKE '%%pg_prep%%'"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(not THRESHOLD, reason="DATABASE_PREPARE_THRESHOLD=0 turns preparing off")
def test_a_query_run_often_is_prepared(tenant_a):
    with tenant_context(tenant_a):
        for _ in range(THRESHOLD + 1):
            list(Customer.objects.order_by("name")[:5])
        assert _prepared_on_customers() == 1


def test_office_wide_queries_are_never_prepared(tenant_a):
    with tenant_context(tenant_a):
        with office_wide():
            for _ in range((THRESHOLD or 5) + 1):
                list(Customer.objects.order_by("name")[:5])
        assert _prepared_on_customers() == 0
        threshold = connection.connection.prepare_threshold
    assert threshold == THRESHOLD, "office_wide() puts the connection's threshold back"


def test_the_paginator_counts_and_reads_its_page_unprepared(tenant_a, rm_a):
    with tenant_context(tenant_a):
        last = max(c.name for c in CustomerFactory.create_batch(3, relationship_manager=rm_a))
        for _ in range((THRESHOLD or 5) + 1):
            page = OfficePaginator(Customer.objects.order_by("name"), 2).get_page(2)
            assert page.paginator.count == 3
            assert [c.name for c in page.object_list] == [last]
        assert _prepared_on_customers() == 0
