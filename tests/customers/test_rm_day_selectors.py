"""The reads behind a relationship manager's working day: their open action items (theirs and
their customers'), due by a date or from one source, and the open items per customer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from customers import selectors
from customers.models import ActionItem
from tests.factories import ActionItemFactory, CustomerFactory
from tests.kit import make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_action_items_of_an_rm_are_theirs_and_their_customers_open_ones(tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    other = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="otto@a.test")
    mine = CustomerFactory(relationship_manager=rm)
    theirs = CustomerFactory(relationship_manager=other)
    today = timezone.localdate()
    of_customer = ActionItemFactory(customer=mine, due_date=today)
    owned = ActionItemFactory(customer=theirs, owner_member=rm, due_date=today)
    ActionItemFactory(customer=theirs, due_date=today)
    ActionItemFactory(customer=mine, due_date=today, status=ActionItem.Status.DONE)
    later = ActionItemFactory(customer=mine, due_date=today + timedelta(days=9))
    survey = ActionItemFactory(customer=mine, due_date=today, source=ActionItem.Source.SURVEY)

    assert set(selectors.action_items_of_rm(rm)) == {of_customer, owned, later, survey}
    assert set(selectors.action_items_of_rm(rm, due_by=today)) == {of_customer, owned, survey}
    assert list(selectors.action_items_of_rm(rm, source=ActionItem.Source.SURVEY)) == [survey]


def test_open_action_item_counts_per_customer(tenant_a):
    rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rita@a.test")
    one, two, none = (CustomerFactory(relationship_manager=rm) for _ in range(3))
    ActionItemFactory(customer=one)
    ActionItemFactory(customer=one, status=ActionItem.Status.IN_PROGRESS)
    ActionItemFactory(customer=one, status=ActionItem.Status.CANCELLED)
    ActionItemFactory(customer=two)
    counts = selectors.open_action_item_counts([one.pk, two.pk, none.pk])
    assert counts == {one.pk: 2, two.pk: 1}
