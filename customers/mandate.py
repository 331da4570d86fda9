"""Who speaks for a customer: the one rule behind portal visibility, portal roles and mandate.

A portal login follows its contact's current post. The customer's business manager or named
counterpart, and any contact of the customer with the budget mandate (authority "decides"),
speak for the customer: see the whole customer and agree (the customer role). A purchaser's
contact sees their own unit (the purchaser role). Anyone else has no portal at all.
The portal scope (selectors.portal_scope), agreeing (services.expectation_agree) and the role a
login is given or moved to (services.contact_invite, portal_memberships_sync) all read this.
"""

from __future__ import annotations

from brm.tenancy.models import Role

from .models import Contact


def holds_budget_mandate(contact: Contact) -> bool:
    """The contact decides on the customer's IT budget (authority "decides")."""
    return contact.authority == Contact.Authority.DECIDES


def speaks_for_customer(contact: Contact) -> bool:
    """The customer's business manager or named counterpart, as the customer record says now,
    or a contact holding the budget mandate: the portal role follows the mandate."""
    customer = contact.customer
    return contact.customer_id == customer.pk and (
        contact.pk in (customer.business_manager_id, customer.counterpart_id)
        or holds_budget_mandate(contact)
    )


def portal_role_for(contact: Contact) -> str | None:
    """The portal role the contact's post gives: customer, purchaser, or None (no portal)."""
    if speaks_for_customer(contact):
        return Role.CUSTOMER
    if contact.purchaser_id:
        return Role.PURCHASER
    return None
