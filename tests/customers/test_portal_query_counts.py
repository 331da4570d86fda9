"""The portal's pages read a fixed number of queries, however many records the customer has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role
from tests.conftest import make_member
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    ExpectationFactory,
    PurchaserFactory,
)

pytestmark = pytest.mark.django_db

# The shell's reads (session, user, membership, tenant, set_config...), the portal scope (one
# query: contact, customer, RM), then the page's own reads.
PINNED = {
    "portal_organisation": 15,  # + purchasers, contacts, business manager, counterpart
    "portal_expectation_list": 13,
    "portal_action_item_list": 13,
    "": 15,  # the portal home: its summary follows membership -> contact -> customer -> RM
}


def _add(tenant, rm, customer, bea, n):
    with tenant_context(tenant):
        for _ in range(n):
            unit = PurchaserFactory(customer=customer, it_contact=rm)
            manager = ContactFactory(customer=customer, purchaser=unit)
            unit.manager = manager
            unit.save()
            ExpectationFactory(customer=customer)
            ActionItemFactory(customer=customer, owner_contact=bea)


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", list(PINNED))
def test_portal_page_query_count_does_not_grow_with_rows(
    client, tenant_a, rm_a, customer_record, name
):
    bea = customer_record.business_manager
    member = make_member(tenant_a, Role.CUSTOMER, email=bea.email)
    with tenant_context(tenant_a):
        bea.membership = Membership.objects.get(pk=member.pk)
        bea.save()
    client.force_login(member.user)
    path = (
        reverse(f"customers:{name}", args=[tenant_a.slug])
        if name
        else f"/t/{tenant_a.slug}/portal/"
    )
    _add(tenant_a, rm_a, customer_record, bea, 2)
    few = _queries(client, path)
    _add(tenant_a, rm_a, customer_record, bea, 20)
    assert _queries(client, path) == few
    assert few == PINNED[name]
