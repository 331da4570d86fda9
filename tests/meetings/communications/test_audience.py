"""The audience of a notice: customers named or consuming a service, resolved to contacts by
role, through the plan or by hand, with why each receives it; opting out of the optional kinds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import communications
from tests.factories import ContactFactory, CustomerFactory
from tests.meetings.communications.conftest import maintenance

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def names(audience):
    return [r.name for r in audience.recipients]


def test_the_business_managers_of_two_customers_receive_it_and_say_why(cworld):
    audience = communications.audience_resolve(maintenance(cworld))
    assert names(audience) == ["Bea Budget", "Sam Seller"]
    assert {r.reason for r in audience.recipients} == {"business manager"}
    assert audience.unreached == []


def test_every_customer_consuming_a_service_is_addressed(cworld):
    notice = maintenance(cworld, customer_ids=[], service=cworld.email_service)
    audience = communications.audience_resolve(notice)
    assert [name for _pk, name in audience.customers] == ["Finance", "Sales"]


def test_purchasers_managers_and_portal_users_by_role(cworld):
    notice = maintenance(cworld, roles=["purchaser_managers", "portal_users"])
    audience = communications.audience_resolve(notice)
    by_name = {r.name: r.reason for r in audience.recipients}
    assert by_name == {
        "Bea Budget": "has portal access",
        "Lina Line": "has portal access",
        "Paul": "has portal access",
        "Pia Orders": "purchaser's manager",
    }
    # Sales has portal users none, but Pia manages its purchaser unit; Finance is reached.
    assert audience.unreached == []


def test_narrowed_to_purchasers_only_their_contacts_remain(cworld):
    notice = maintenance(cworld, roles=["all_contacts"], purchasers_only=True)
    assert names(communications.audience_resolve(notice)) == ["Paul", "Pia Orders"]


def test_through_the_plan_each_customer_gets_whom_its_plan_names(cworld):
    m = cworld.m
    communications.plan_entry_create(
        customer=cworld.finance,
        actor=m.rm.user,
        topic="planned_maintenance",
        roles=["portal_users"],
        frequency="when_it_happens",
        owner=m.rm,
    )
    communications.plan_entry_create(
        customer=cworld.sales,
        actor=m.rm.user,
        topic="planned_maintenance",
        contact_ids=[cworld.pia.pk],
        frequency="when_it_happens",
        owner=m.rm,
    )
    audience = communications.audience_resolve(maintenance(cworld, resolve="plan", roles=[]))
    by_name = {r.name: r.reason for r in audience.recipients}
    assert by_name == {
        "Bea Budget": "communication plan: has portal access",
        "Lina Line": "communication plan: has portal access",
        "Paul": "communication plan: has portal access",
        "Pia Orders": "communication plan: named",
    }


def test_a_customer_without_a_plan_entry_is_named_as_unreached(cworld):
    audience = communications.audience_resolve(maintenance(cworld, resolve="plan", roles=[]))
    assert audience.recipients == []
    assert audience.unreached == ["Finance", "Sales"]


def test_chosen_by_hand(cworld):
    notice = maintenance(
        cworld, resolve="hand", customer_ids=[], roles=[], contact_ids=[cworld.m.carl.pk]
    )
    audience = communications.audience_resolve(notice)
    assert [(r.name, r.reason) for r in audience.recipients] == [("Carl Clerk", "chosen by hand")]
    assert [name for _pk, name in audience.customers] == ["Finance"]


def test_a_contact_without_email_is_left_out(cworld):
    ContactFactory(customer=cworld.sales, name="No Mail", email="")
    notice = maintenance(cworld, roles=["all_contacts"], customer_ids=[cworld.sales.pk])
    assert names(communications.audience_resolve(notice)) == ["Pia Orders", "Sam Seller"]


def test_opting_out_of_general_notices_is_respected(cworld):
    communications.preference_set(contact=cworld.m.bea, actor=None, newsletters=True, general=False)
    notice = maintenance(cworld, kind="general", window_starts_at=None, window_ends_at=None)
    audience = communications.audience_resolve(notice)
    assert names(audience) == ["Sam Seller"]
    assert audience.opted_out == 1


def test_opting_out_of_newsletters_is_respected(cworld):
    communications.preference_set(contact=cworld.sam, actor=None, newsletters=False, general=True)
    notice = maintenance(cworld, kind="newsletter", window_starts_at=None, window_ends_at=None)
    assert names(communications.audience_resolve(notice)) == ["Bea Budget"]


@pytest.mark.parametrize("kind", ["planned_maintenance", "major_incident", "change_release"])
def test_the_essential_kinds_cannot_be_opted_out(cworld, kind):
    for contact in (cworld.m.bea, cworld.sam):
        communications.preference_set(contact=contact, actor=None, newsletters=False, general=False)
    extra = (
        {} if kind == "planned_maintenance" else {"window_starts_at": None, "window_ends_at": None}
    )
    audience = communications.audience_resolve(maintenance(cworld, kind=kind, **extra))
    assert names(audience) == ["Bea Budget", "Sam Seller"]
    assert audience.opted_out == 0


def test_resolving_reads_the_same_number_of_queries_for_many_customers(cworld):
    notice = maintenance(cworld, roles=["business_manager", "all_contacts", "portal_users"])
    with CaptureQueriesContext(connection) as few:
        communications.audience_resolve(notice)
    ids = list(notice.customer_ids)
    for i in range(30):
        customer = CustomerFactory(relationship_manager=cworld.m.rm, name=f"Unit {i}")
        ContactFactory(customer=customer, name=f"Person {i}", email=f"p{i}@unit.example")
        ids.append(customer.pk)
    communications.notice_update(notice=notice, actor=None, customer_ids=ids)
    notice.refresh_from_db()
    with CaptureQueriesContext(connection) as many:
        audience = communications.audience_resolve(notice)
    assert audience.count == 36  # Finance 4, Sales 2, and one a unit
    assert len(many) == len(few)


def test_a_notice_names_only_the_offices_own_customers(cworld, admin_b):
    other = CustomerFactory(tenant=admin_b.tenant, relationship_manager=admin_b, name="Elsewhere")
    with pytest.raises(ValidationError, match="Unknown id"):
        maintenance(cworld, customer_ids=[other.pk])


def test_a_maintenance_needs_its_window_and_roles(cworld):
    with pytest.raises(ValidationError) as exc:
        maintenance(cworld, window_starts_at=None, roles=[])
    assert set(exc.value.message_dict) == {"window_starts_at", "roles"}


def test_a_purchaser_never_sends(cworld):
    notice = maintenance(cworld)
    with pytest.raises(PermissionDenied):
        communications.notice_send(notice=notice, actor=None, actor_member=cworld.m.purchaser)
    with pytest.raises(PermissionDenied):
        maintenance(cworld, subject="Again", actor_member=cworld.m.purchaser)
