"""The customer page: one screen with the people, the records, open actions and the history."""

import pytest
from django.core import mail

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Invitation, Role
from brm.tenancy.services import invitation_accept
from customers import services
from customers.models import Contact
from tests.factories import (
    ActionItemFactory,
    ContactFactory,
    ExpectationFactory,
    PurchaserFactory,
    RegisterItemFactory,
)
from tests.kit import in_tenant, make_member, make_portal_member

pytestmark = pytest.mark.django_db


def page(client, customer):
    response = client.get(f"/t/{customer.tenant.slug}/customers/{customer.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_each_panel_with_its_records(client, tenant_a, rm_a, customer_record):
    unit = PurchaserFactory(customer=customer_record, name="Accounts payable", it_contact=rm_a)
    ContactFactory(customer=customer_record, purchaser=unit, name="Paula Payable")
    ExpectationFactory(customer=customer_record, title="Close in 3 days", status="proposed")
    RegisterItemFactory(customer=customer_record, kind="opportunity", title="E-invoicing")
    ActionItemFactory(customer=customer_record, title="Book the review", owner_member=rm_a)
    ActionItemFactory(customer=customer_record, title="Old and done", status="done")
    client.force_login(rm_a.user)
    body = page(client, customer_record)
    for text in (
        "Bea Budget",  # the business manager card
        "Accounts payable",
        "Paula Payable",
        "Close in 3 days",
        "E-invoicing",
        "Book the review",
    ):
        assert text in body
    assert "Old and done" not in body  # open action items only
    assert 'id="purchasers"' in body and 'id="history"' in body


def test_panels_say_when_they_are_empty(client, tenant_a, rm_a, customer_record):
    client.force_login(rm_a.user)
    body = page(client, customer_record)
    assert "No purchasers yet" in body
    assert "No business expectations yet." in body
    assert "Nothing in the register yet" in body
    assert "No open action items." in body
    # The counterpart is not named yet: the card says so.
    assert "Not named yet." in body


def test_rm_change_shows_in_the_history_and_the_assignment_list(
    client, tenant_a, admin_a, rm_a, customer_record
):
    other = make_member(
        tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example", name="Olga Other"
    )
    client.force_login(admin_a.user)
    response = client.post(
        f"/t/{tenant_a.slug}/customers/{customer_record.pk}/edit/",
        {"name": "Finance", "status": "active", "relationship_manager": other.pk},
    )
    assert response.status_code == 302
    body = page(client, customer_record)
    history = body[body.index('id="history"') :]
    assert "Customer changed" in history
    assert "Relationship manager" in history
    assert "Olga Other (Relationship manager)" in history
    assert f"{admin_a.user}" in history  # who
    people = body[: body.index('id="purchasers"')]
    assert "Olga Other" in people
    assert "Assignment history" in people


def test_history_covers_contacts_and_expectations(client, tenant_a, rm_a, customer_record):
    with tenant_context(tenant_a):
        contact = Contact.objects.get(name="Bea Budget")
        services.contact_update(contact=contact, actor=rm_a.user, phone="+41 44 000 00 00")
        services.expectation_create(
            actor=rm_a.user, customer=customer_record, title="Payroll never late"
        )
    client.force_login(rm_a.user)
    history = page(client, customer_record).split('id="history"')[1]
    assert "Contact changed" in history and "+41 44 000 00 00" in history
    assert "Business expectation added" in history and "Payroll never late" in history


def test_agreed_expectation_shows_who_agreed_and_when(client, tenant_a, rm_a, customer_record):
    portal = make_portal_member(customer_record.business_manager, Role.CUSTOMER)
    expectation = ExpectationFactory(customer=customer_record, title="Close in 3 days")
    with tenant_context(tenant_a):
        services.expectation_agree(expectation=expectation, membership=portal)
    client.force_login(rm_a.user)
    body = page(client, customer_record)
    panel = body.split('id="expectations"')[1].split("</section>")[0]
    assert "Agreed" in panel
    assert "by Bea Budget on" in panel


def test_portal_status_of_contacts_none_invited_linked(client, tenant_a, rm_a, customer_record):
    with tenant_context(tenant_a):
        unit = PurchaserFactory(customer=customer_record)
        invited = ContactFactory(customer=customer_record, purchaser=unit, name="Ivy Invited")
        ContactFactory(customer=customer_record, purchaser=unit, name="Nora None")
        _invitation, url = services.contact_invite(contact=invited, actor=rm_a.user)
    client.force_login(rm_a.user)

    def row(name):
        return page(client, customer_record).split(name)[1].split("</tr>")[0]

    assert "Invited" in row("Ivy Invited") and "Invite again" in row("Ivy Invited")
    assert "No login" in row("Nora None") and "Invite to portal" in row("Nora None")

    with tenant_context(tenant_a):  # Ivy accepts: her login is linked to the contact
        invitation_accept(
            raw_token=url.rstrip("/").rsplit("/", 1)[1], full_name="Ivy", password="long-pass-1x"
        )
    assert "Linked" in row("Ivy Invited")
    assert "Invite" not in row("Ivy Invited")


def test_invite_emails_the_contact_and_says_so(
    client, tenant_a, rm_a, customer_record, django_capture_on_commit_callbacks
):
    bea = in_tenant(tenant_a, lambda: Contact.objects.get(name="Bea Budget"))
    client.force_login(rm_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/t/{tenant_a.slug}/contacts/{bea.pk}/invite/", follow=True)
    body = response.content.decode()
    assert "A portal invitation was emailed to bea@finance.example" in body
    assert "Customer (business manager)" in body  # the business manager invites as the customer
    assert [m.to for m in mail.outbox] == [["bea@finance.example"]]
    assert in_tenant(
        tenant_a, lambda: Contact.objects.get(pk=bea.pk).portal_invitation.role == Role.CUSTOMER
    )


def test_invite_asks_first_and_explains_who_cannot_be_invited(
    client, tenant_a, rm_a, customer_record
):
    loner = ContactFactory(customer=customer_record, name="Lone Stakeholder")
    client.force_login(rm_a.user)
    bea_page = client.get(
        f"/t/{tenant_a.slug}/contacts/{customer_record.business_manager_id}/invite/"
    )
    assert "Send the invitation" in bea_page.content.decode()
    body = client.get(f"/t/{tenant_a.slug}/contacts/{loner.pk}/invite/").content.decode()
    assert "Send the invitation" not in body
    assert "can be invited to the portal" in body
    # Posting anyway: the service's refusal comes back as a message, nothing is sent.
    response = client.post(f"/t/{tenant_a.slug}/contacts/{loner.pk}/invite/", follow=True)
    assert "can be invited to the portal" in response.content.decode()
    assert mail.outbox == []
    assert in_tenant(tenant_a, lambda: not Invitation.objects.filter(email=loner.email).exists())


def test_more_than_ten_open_items_link_to_the_full_list(client, tenant_a, rm_a, customer_record):
    for i in range(12):
        ActionItemFactory(customer=customer_record, title=f"Item {i}")
    client.force_login(rm_a.user)
    body = page(client, customer_record)
    assert "Showing 10 of 12 open items." in body
    assert f"?tab=open&amp;customer={customer_record.pk}" in body


def test_another_tenants_customer_is_not_found(
    client, tenant_a, tenant_b, admin_b, customer_record
):
    client.force_login(admin_b.user)
    assert client.get(f"/t/{tenant_b.slug}/customers/{customer_record.pk}/").status_code == 404
