"""Who sees which complaint (`complaints_visible_to`), and that the services ask the same rule:
a complaint about a relationship manager is never shown to that relationship manager."""

import pytest
from django.core.exceptions import PermissionDenied

from brm.tenancy.models import Role
from complaints import services
from complaints.selectors import complaints_visible_to
from tests.complaints.conftest import receive
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member, make_portal_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _visible(member):
    return set(complaints_visible_to(member).values_list("reference", flat=True))


def test_a_complaint_about_the_relationship_manager_is_hidden_from_that_rm_only(world):
    about = receive(world, about_rm=True)
    plain = receive(world)
    assert _visible(world.rm) == {plain.reference}
    for member in (world.it_manager, world.admin, world.analyst, world.steering[0]):
        assert _visible(member) == {about.reference, plain.reference}
    assert _visible(world.business_manager) == {about.reference, plain.reference}


def test_another_rm_of_the_office_sees_a_complaint_about_a_colleague(world, tenant_a):
    about = receive(world, about_rm=True)
    colleague = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm2@a.example")
    assert about.reference in _visible(colleague)


def test_the_rm_it_is_about_cannot_act_on_it_even_by_its_id(world):
    about = receive(world, about_rm=True)
    with pytest.raises(PermissionDenied):
        services.complaint_acknowledge(complaint=about, actor=world.rm)
    with pytest.raises(PermissionDenied):
        services.complaint_message_add(complaint=about, actor=world.rm, body="Let me explain")


def test_the_rm_it_is_about_cannot_be_made_its_owner(world):
    from django.core.exceptions import ValidationError

    about = receive(world, about_rm=True)
    services.complaint_acknowledge(complaint=about, actor=world.it_manager)
    with pytest.raises(ValidationError):
        services.complaint_assign(complaint=about, actor=world.it_manager, owner=world.rm)


def test_a_purchaser_sees_their_units_complaints_and_their_own_only(world):
    payroll = receive(world, raiser_contact=world.paul)
    audit = receive(world, raiser_contact=world.anna)
    whole = receive(world)
    assert _visible(world.purchaser) == {payroll.reference}
    assert _visible(world.other_purchaser) == {audit.reference}
    assert _visible(world.business_manager) == {payroll.reference, audit.reference, whole.reference}


def test_a_customer_sees_only_their_own_customers_complaints(world, tenant_a):
    mine = receive(world)
    other = CustomerFactory(name="Sales", relationship_manager=world.rm)
    sam = ContactFactory(customer=other, name="Sam", email="sam@sales.example")
    other.business_manager = sam
    other.save()
    theirs = receive(world, customer=other, raiser_contact=sam)
    sam_login = make_portal_member(sam, Role.CUSTOMER)
    assert _visible(world.business_manager) == {mine.reference}
    assert _visible(sam_login) == {theirs.reference}


def test_an_inactive_member_sees_nothing(world):
    receive(world)
    world.it_manager.is_active = False
    world.it_manager.save()
    assert _visible(world.it_manager) == set()


def test_another_offices_member_sees_none_of_this_offices_complaints(world, tenant_b, admin_b):
    receive(world)
    with in_tenant(tenant_b):
        assert complaints_visible_to(admin_b).count() == 0


def test_the_services_do_not_find_another_offices_complaint(world, tenant_b, admin_b):
    from complaints.models import Complaint

    complaint = receive(world)
    with in_tenant(tenant_b), pytest.raises(Complaint.DoesNotExist):
        services.complaint_acknowledge(complaint=complaint, actor=admin_b)
