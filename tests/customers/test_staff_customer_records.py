"""Purchasers, contacts, expectations, register items and action items: create, edit, delete."""

import pytest

from brm.audit.models import AuditEvent
from customers.models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Purchaser,
    RegisterItem,
)
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    CustomerFactory,
    ExpectationFactory,
    PurchaserFactory,
    RegisterItemFactory,
)
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, rm_a):
    client.force_login(rm_a.user)
    return client


@pytest.fixture
def stranger(tenant_a, rm_a):
    """A contact and a purchaser of another customer of the same office."""
    other = CustomerFactory(relationship_manager=rm_a, name="Other")
    return {
        "contact": ContactFactory(customer=other, name="Stranger"),
        "purchaser": PurchaserFactory(customer=other, name="Other unit"),
    }


def detail(tenant, customer, anchor):
    return f"/t/{tenant.slug}/customers/{customer.pk}/#{anchor}"


# Purchasers --------------------------------------------------------------------------------------


def test_purchaser_is_added_with_manager_and_it_contact(signed_in, tenant_a, rm_a, customer_record):
    response = signed_in.post(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/purchasers/new/",
        {"name": "Payroll", "manager": customer_record.business_manager_id, "it_contact": rm_a.pk},
    )
    assert response.status_code == 302
    assert response.url == detail(tenant_a, customer_record, "purchasers")
    purchaser = in_tenant(tenant_a, lambda: Purchaser.objects.get(name="Payroll"))
    assert purchaser.customer_id == customer_record.pk
    assert purchaser.it_contact_id == rm_a.pk


def test_purchaser_manager_must_be_this_customers_contact(
    signed_in, tenant_a, customer_record, stranger, customer_a
):
    response = signed_in.post(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/purchasers/new/",
        {"name": "Payroll", "manager": stranger["contact"].pk, "it_contact": customer_a.pk},
    )
    assert response.status_code == 200
    # Neither a stranger nor a portal user is among the choices.
    assert set(response.context["form"].errors) == {"manager", "it_contact"}
    assert not in_tenant(tenant_a, lambda: Purchaser.objects.filter(name="Payroll").exists())


def test_purchaser_edit_is_recorded_with_the_old_value(signed_in, tenant_a, customer_record):
    purchaser = PurchaserFactory(customer=customer_record, name="Payroll")
    response = signed_in.post(
        f"/t/{tenant_a.slug}/purchasers/{purchaser.pk}/edit/", {"name": "Payroll & pensions"}
    )
    assert response.status_code == 302
    event = in_tenant(tenant_a, lambda: AuditEvent.objects.get(action="purchaser.updated"))
    assert event.changes == {"name": ["Payroll", "Payroll & pensions"]}


def test_purchaser_delete_asks_first(signed_in, tenant_a, customer_record):
    purchaser = PurchaserFactory(customer=customer_record, name="Payroll")
    path = f"/t/{tenant_a.slug}/purchasers/{purchaser.pk}/delete/"
    assert "Delete Payroll" in signed_in.get(path).content.decode()
    assert in_tenant(tenant_a, lambda: Purchaser.objects.count()) == 1
    assert signed_in.post(path).url == detail(tenant_a, customer_record, "purchasers")
    assert in_tenant(tenant_a, lambda: Purchaser.objects.count()) == 0


# Contacts ----------------------------------------------------------------------------------------


def test_contact_is_added_to_one_of_this_customers_purchasers(
    signed_in, tenant_a, customer_record, stranger
):
    unit = PurchaserFactory(customer=customer_record, name="Payroll")
    path = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/contacts/new/"
    contact = {
        "name": "Paula",
        "email": "Paula@Finance.example",
        "authority": "recommends",
        "influence": "high",
    }
    response = signed_in.post(path, {**contact, "purchaser": stranger["purchaser"].pk})
    assert response.status_code == 200
    assert "purchaser" in response.context["form"].errors
    response = signed_in.post(path, {**contact, "purchaser": unit.pk})
    assert response.status_code == 302
    saved = in_tenant(tenant_a, lambda: Contact.objects.get(name="Paula"))
    assert (saved.purchaser_id, saved.email, saved.influence) == (
        unit.pk,
        "paula@finance.example",
        "high",
    )


def test_duplicate_contact_email_shows_on_the_form_and_saves_nothing(
    signed_in, tenant_a, customer_record
):
    response = signed_in.post(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/contacts/new/",
        {"name": "Bea again", "email": "BEA@finance.example", "authority": "none"},
    )
    assert response.status_code == 200
    assert "This customer has a contact with this email already." in response.content.decode()
    assert 'value="Bea again"' in response.content.decode()
    assert not in_tenant(tenant_a, lambda: Contact.objects.filter(name="Bea again").exists())


def test_contact_edit_and_delete(signed_in, tenant_a, customer_record):
    contact = ContactFactory(customer=customer_record, name="Carl")
    response = signed_in.post(
        f"/t/{tenant_a.slug}/contacts/{contact.pk}/edit/",
        {"name": "Carl", "title": "CFO", "email": contact.email, "authority": "decides"},
    )
    assert response.status_code == 302
    assert in_tenant(tenant_a, lambda: Contact.objects.get(pk=contact.pk).title) == "CFO"
    response = signed_in.post(f"/t/{tenant_a.slug}/contacts/{contact.pk}/delete/")
    assert response.url == detail(tenant_a, customer_record, "contacts")
    assert not in_tenant(tenant_a, lambda: Contact.objects.filter(pk=contact.pk).exists())


# Business expectations ---------------------------------------------------------------------------


def test_agreed_is_not_a_status_staff_can_choose(signed_in, tenant_a, customer_record):
    path = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/expectations/new/"
    form = signed_in.get(path).context["form"]
    assert [v for v, _label in form.fields["status"].choices] == ["draft", "proposed", "retired"]
    response = signed_in.post(path, {"title": "Payroll on time", "status": "agreed"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    response = signed_in.post(
        path,
        {
            "title": "Payroll on time",
            "status": "proposed",
            "acceptance_criteria": "Paid by the 25th",
            "metrics": "% of runs on time",
        },
    )
    assert response.status_code == 302
    saved = in_tenant(tenant_a, lambda: BusinessExpectation.objects.get(title="Payroll on time"))
    assert saved.status == "proposed"


def test_editing_an_agreed_expectation_shows_who_agreed_and_reopens_it(
    signed_in, tenant_a, customer_record
):
    expectation = ExpectationFactory(
        customer=customer_record,
        title="Close in 3 days",
        status="agreed",
        agreed_by_business=customer_record.business_manager,
    )
    path = f"/t/{tenant_a.slug}/expectations/{expectation.pk}/edit/"
    response = signed_in.get(path)
    assert "Agreed by Bea Budget" in response.content.decode()
    response = signed_in.post(path, {"title": "Close in 2 days", "status": "agreed"})
    assert response.status_code == 302
    saved = in_tenant(tenant_a, lambda: BusinessExpectation.objects.get(pk=expectation.pk))
    assert (saved.title, saved.status) == ("Close in 2 days", "proposed")


def test_expectation_delete_asks_first(signed_in, tenant_a, customer_record):
    expectation = ExpectationFactory(customer=customer_record)
    path = f"/t/{tenant_a.slug}/expectations/{expectation.pk}/delete/"
    assert signed_in.get(path).status_code == 200
    signed_in.post(path)
    assert not in_tenant(tenant_a, lambda: BusinessExpectation.objects.exists())


# Register ----------------------------------------------------------------------------------------


def test_register_item_with_owner_and_review_date(signed_in, tenant_a, rm_a, customer_record):
    path = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/register-items/new/"
    response = signed_in.post(
        path,
        {
            "kind": "risk",
            "title": "Legacy ERP end of support",
            "owner": rm_a.pk,
            "impact": "high",
            "likelihood": "medium",
            "status": "open",
            "review_date": "2031-03-01",
        },
    )
    assert response.status_code == 302
    item = in_tenant(tenant_a, lambda: RegisterItem.objects.get())
    assert (item.owner_id, str(item.review_date)) == (rm_a.pk, "2031-03-01")
    response = signed_in.get(f"/t/{tenant_a.slug}/register-items/{item.pk}/edit/")
    assert 'value="2031-03-01"' in response.content.decode()


def test_register_item_needs_a_kind_and_a_title(signed_in, tenant_a, customer_record):
    response = signed_in.post(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/register-items/new/",
        {"status": "open", "description": "Kept when the form comes back"},
    )
    assert response.status_code == 200
    assert {"kind", "title"} <= set(response.context["form"].errors)
    assert "Kept when the form comes back" in response.content.decode()
    assert not in_tenant(tenant_a, lambda: RegisterItem.objects.exists())


def test_register_item_edit_and_delete(signed_in, tenant_a, customer_record):
    item = RegisterItemFactory(customer=customer_record, title="Old")
    response = signed_in.post(
        f"/t/{tenant_a.slug}/register-items/{item.pk}/edit/",
        {"kind": "opportunity", "title": "Cloud payroll", "status": "in_progress"},
    )
    assert response.status_code == 302
    assert in_tenant(tenant_a, lambda: RegisterItem.objects.get().kind) == "opportunity"
    signed_in.post(f"/t/{tenant_a.slug}/register-items/{item.pk}/delete/")
    assert not in_tenant(tenant_a, lambda: RegisterItem.objects.exists())


# Action items ------------------------------------------------------------------------------------


def test_action_item_has_one_owner_at_most(signed_in, tenant_a, rm_a, customer_record):
    path = f"/t/{tenant_a.slug}/customers/{customer_record.pk}/action-items/new/"
    both = {
        "title": "Send the report",
        "owner_member": rm_a.pk,
        "owner_contact": customer_record.business_manager_id,
        "status": "open",
        "due_date": "2031-01-31",
    }
    response = signed_in.post(path, both)
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert 'value="2031-01-31"' in response.content.decode()
    assert not in_tenant(tenant_a, lambda: ActionItem.objects.exists())

    assert signed_in.post(path, {**both, "owner_member": ""}).status_code == 302
    assert signed_in.post(path, {**both, "owner_contact": "", "title": "Mine"}).status_code == 302
    assert signed_in.post(path, {"title": "Nobody's", "status": "open"}).status_code == 302
    owners = in_tenant(
        tenant_a,
        lambda: dict(ActionItem.objects.values_list("title", "owner_contact_id")),
    )
    assert owners == {
        "Send the report": customer_record.business_manager_id,
        "Mine": None,
        "Nobody's": None,
    }


def test_action_item_business_owner_is_a_contact_of_this_customer(
    signed_in, tenant_a, customer_record, stranger
):
    response = signed_in.post(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/action-items/new/",
        {"title": "Send the report", "owner_contact": stranger["contact"].pk, "status": "open"},
    )
    assert response.status_code == 200
    assert "owner_contact" in response.context["form"].errors


def test_action_item_edit_goes_back_to_the_item_and_delete_to_the_customer(
    signed_in, tenant_a, customer_record
):
    item = ActionItemFactory(customer=customer_record, title="Call")
    response = signed_in.post(
        f"/t/{tenant_a.slug}/action-items/{item.pk}/edit/",
        {"title": "Call Bea", "status": "in_progress"},
    )
    assert response.url == f"/t/{tenant_a.slug}/action-items/{item.pk}/"
    assert in_tenant(tenant_a, lambda: ActionItem.objects.get().title) == "Call Bea"
    response = signed_in.post(f"/t/{tenant_a.slug}/action-items/{item.pk}/delete/")
    assert response.url == detail(tenant_a, customer_record, "actions")
    assert not in_tenant(tenant_a, lambda: ActionItem.objects.exists())


def test_purchaser_whose_it_contact_left_can_still_be_edited(signed_in, tenant_a, customer_record):
    from brm.tenancy.models import Membership, Role
    from tests.conftest import make_member

    leaver = make_member(tenant_a, Role.IT_MANAGER, email="leaver@a.example")
    purchaser = PurchaserFactory(customer=customer_record, it_contact=leaver)
    in_tenant(tenant_a, lambda: Membership.objects.filter(pk=leaver.pk).update(is_active=False))
    response = signed_in.post(
        f"/t/{tenant_a.slug}/purchasers/{purchaser.pk}/edit/",
        {"name": "Renamed", "it_contact": leaver.pk},
    )
    assert response.status_code == 302
    assert in_tenant(tenant_a, lambda: Purchaser.objects.get().name) == "Renamed"
    # A new purchaser is offered active staff only.
    form = signed_in.get(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/purchasers/new/"
    ).context["form"]
    assert in_tenant(
        tenant_a, lambda: leaver.pk not in [m.pk for m in form.fields["it_contact"].queryset]
    )
