"""The portal's pages read a fixed number of queries, however many records the customer has."""

import pytest
from django.urls import reverse

from brm.tenancy.models import Role
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    ExpectationFactory,
    PurchaserFactory,
)
from tests.kit import (
    PORTAL_SHELL_QUERIES,
    assert_page_queries,
    in_tenant,
    make_portal_member,
)

pytestmark = pytest.mark.django_db

# Each page's own reads, on top of the portal shell (tests/kit.py: the staff shell and the
# portal scope, one query for the contact, its customer and the RM).
OWN = {
    "portal_organisation": 4,  # services, purchasers, contacts, business manager and counterpart
    "portal_expectation_list": 1,
    "portal_action_item_list": 1,
    "": 3,  # the portal home: its summary follows membership -> contact -> customer -> RM
}


def _add(rm, customer, bea, n):
    for _ in range(n):
        unit = PurchaserFactory(customer=customer, it_contact=rm)
        unit.manager = ContactFactory(customer=customer, purchaser=unit)
        in_tenant(customer.tenant, unit.save)
        ExpectationFactory(customer=customer)
        ActionItemFactory(customer=customer, owner_contact=bea)


@pytest.mark.parametrize("name", list(OWN))
def test_portal_page_query_count_does_not_grow_with_rows(
    client, tenant_a, rm_a, customer_record, name
):
    bea = customer_record.business_manager
    member = make_portal_member(bea, Role.CUSTOMER)
    client.force_login(member.user)
    path = (
        reverse(f"customers:{name}", args=[tenant_a.slug])
        if name
        else f"/t/{tenant_a.slug}/portal/"
    )
    _add(rm_a, customer_record, bea, 2)
    assert_page_queries(client, path, own=OWN[name], shell=PORTAL_SHELL_QUERIES)
    _add(rm_a, customer_record, bea, 20)
    assert_page_queries(client, path, own=OWN[name], shell=PORTAL_SHELL_QUERIES)
