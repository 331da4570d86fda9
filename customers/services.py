"""Writes for customers, purchasers, contacts, expectations, registers and the action plan.

The staff pages, the portal, the CSV import and the API all call these, so each rule is written
once. Every function runs in the current tenant (tenant_context) and records who changed what.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import apply_changes, audit_record, audited_save
from brm.tenancy import services as tenancy_services
from brm.tenancy.models import STAFF_ROLES, Membership

from .mandate import portal_role_for, speaks_for_customer
from .models import (
    ActionItem,
    ActionItemComment,
    BusinessExpectation,
    Contact,
    Customer,
    CustomerService,
    Purchaser,
    RegisterItem,
    RelationshipManagerAssignment,
    Service,
)

_apply = apply_changes
_save = audited_save


def _check_rm(membership: Membership | None) -> None:
    if membership is None:
        raise ValidationError({"relationship_manager": _("Assign a relationship manager.")})
    if not membership.is_active or not membership.can_write:
        raise ValidationError(
            {"relationship_manager": _("Choose an active relationship manager of this office.")}
        )


def _check_customer_contacts(customer: Customer) -> None:
    errors = {}
    for field in ("business_manager", "counterpart"):
        contact = getattr(customer, field)
        if contact is not None and contact.customer_id != customer.pk:
            errors[field] = _("This contact belongs to another customer.")
    if errors:
        raise ValidationError(errors)


# Customers ---------------------------------------------------------------------------------------

CUSTOMER_FIELDS = (
    "name",
    "division",
    "status",
    "relationship_manager",
    "business_manager",
    "counterpart",
    "strategy",
    "business_drivers",
    "demand_patterns",
    "notes",
)


def _service_names(services) -> str:
    """A set of services as the change history shows it: their names, sorted."""
    return ", ".join(sorted(str(service) for service in services))


def _services_change(customer: Customer, services) -> dict[str, list]:
    """{"services": [old names, new names]} when the set differs, else {}."""
    if services is None:
        return {}
    new = {service.pk: service for service in services}
    old = {} if customer.pk is None else {s.pk: s for s in customer.services.all()}
    if new.keys() == old.keys():
        return {}
    return {"services": [_service_names(old.values()), _service_names(new.values())]}


def _link_services(customer: Customer, services) -> None:
    wanted = {service.pk for service in services}
    CustomerService.objects.filter(customer=customer).exclude(service_id__in=wanted).delete()
    have = set(
        CustomerService.objects.filter(customer=customer).values_list("service_id", flat=True)
    )
    CustomerService.objects.bulk_create(
        [
            CustomerService(tenant_id=customer.tenant_id, customer=customer, service_id=pk)
            for pk in sorted(wanted - have)
        ]
    )


@transaction.atomic
def customer_create(*, actor, services=None, **data) -> Customer:
    _check_rm(data.get("relationship_manager"))
    customer = Customer()
    changes = _apply(customer, {k: v for k, v in data.items() if k in CUSTOMER_FIELDS})
    changes.update(_services_change(customer, services))
    _check_customer_contacts(customer)
    _save(customer, actor=actor, action="customer.created", changes=changes, created=True)
    if services:
        _link_services(customer, services)
    RelationshipManagerAssignment.objects.create(
        customer=customer,
        relationship_manager=customer.relationship_manager,
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, actor, services=None, **data) -> Customer:
    """Change a customer; `services`, when given, is the whole set the customer consumes."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    previous_rm_id = customer.relationship_manager_id
    previous_posts = {customer.business_manager_id, customer.counterpart_id}
    if "relationship_manager" in data:
        _check_rm(data["relationship_manager"])
    changes = _apply(customer, {k: v for k, v in data.items() if k in CUSTOMER_FIELDS})
    service_change = _services_change(customer, services)
    changes.update(service_change)
    _check_customer_contacts(customer)
    _save(customer, actor=actor, action="customer.updated", changes=changes)
    if service_change:
        _link_services(customer, services)
    if changes.keys() & {"business_manager", "counterpart"}:
        # The portal logins of whoever left or took the post follow it.
        posts = previous_posts | {customer.business_manager_id, customer.counterpart_id}
        portal_memberships_sync(contacts=Contact.objects.filter(pk__in=posts - {None}), actor=actor)
    if customer.relationship_manager_id != previous_rm_id:
        now = timezone.now()
        RelationshipManagerAssignment.objects.filter(
            customer=customer, ended_at__isnull=True
        ).update(ended_at=now)
        RelationshipManagerAssignment.objects.create(
            customer=customer,
            relationship_manager=customer.relationship_manager,
            started_at=now,
            assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return customer


@transaction.atomic
def customer_delete(*, customer: Customer, actor) -> None:
    audit_record(actor=actor, action="customer.deleted", obj=customer)
    for contact in _with_portal(Contact.objects.filter(customer=customer)):
        _portal_access_end(contact, actor)
    try:
        with transaction.atomic():
            customer.delete()
    except (ProtectedError, RestrictedError, IntegrityError) as error:
        # A later area keeps records of it that must not go: a signed agreement refuses its
        # deletion in the database (the agreements trigger), whatever the caller.
        raise ValidationError(
            _(
                "Records that must be kept name this customer (a signed agreement, for one): "
                "it cannot be deleted. Make it dormant instead."
            )
        ) from error


# The service catalogue ---------------------------------------------------------------------------

SERVICE_FIELDS = ("name", "description", "owner", "status")


def _check_owner(service: Service) -> None:
    owner = service.owner
    if owner is not None and (not owner.is_active or owner.role not in STAFF_ROLES):
        raise ValidationError({"owner": _("Choose an active member of the IT staff.")})


@transaction.atomic
def service_create(*, actor, **data) -> Service:
    service = Service()
    changes = _apply(service, {k: v for k, v in data.items() if k in SERVICE_FIELDS})
    _check_owner(service)
    _save(service, actor=actor, action="service.created", changes=changes, created=True)
    return service


@transaction.atomic
def service_update(*, service: Service, actor, **data) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    changes = _apply(service, {k: v for k, v in data.items() if k in SERVICE_FIELDS})
    _check_owner(service)
    _save(service, actor=actor, action="service.updated", changes=changes)
    return service


def service_delete_refusal(service: Service) -> str:
    """Why the service cannot be deleted, or "" when it can."""
    count = CustomerService.objects.filter(service=service).count()
    if count:
        return _(
            "%(count)s customer(s) consume this service: it cannot be deleted. "
            "Retire it instead (status Retired)."
        ) % {"count": count}
    return ""


@transaction.atomic
def service_delete(*, service: Service, actor) -> None:
    refusal = service_delete_refusal(service)
    if refusal:
        raise ValidationError(refusal)
    audit_record(actor=actor, action="service.deleted", obj=service)
    try:
        with transaction.atomic():
            service.delete()
    except ProtectedError as error:  # a record of a later area names it
        raise ValidationError(
            _("Other records name this service: it cannot be deleted. Retire it instead.")
        ) from error


@transaction.atomic
def customer_service_add(*, customer: Customer, service: Service, actor) -> CustomerService:
    """The customer consumes `service` as well (the API's link resource)."""
    if CustomerService.objects.filter(customer=customer, service=service).exists():
        raise ValidationError({"service": _("The customer consumes this service already.")})
    before = list(customer.services.all())
    link = CustomerService(tenant_id=customer.tenant_id, customer=customer, service=service)
    link.save()
    changes = {"services": [_service_names(before), _service_names([*before, service])]}
    audit_record(actor=actor, action="customer.updated", obj=customer, changes=changes)
    return link


@transaction.atomic
def customer_service_remove(*, link: CustomerService, actor) -> None:
    before = list(link.customer.services.all())
    after = [service for service in before if service.pk != link.service_id]
    changes = {"services": [_service_names(before), _service_names(after)]}
    audit_record(actor=actor, action="customer.updated", obj=link.customer, changes=changes)
    link.delete()


# Purchasers --------------------------------------------------------------------------------------

PURCHASER_FIELDS = ("customer", "name", "manager", "it_contact", "notes")


def _check_purchaser(purchaser: Purchaser) -> None:
    if purchaser.manager is not None and purchaser.manager.customer_id != purchaser.customer_id:
        raise ValidationError({"manager": _("This contact belongs to another customer.")})
    if purchaser.it_contact is not None and purchaser.it_contact.role not in STAFF_ROLES:
        raise ValidationError({"it_contact": _("The IT contact must be a staff member.")})


@transaction.atomic
def purchaser_create(*, actor, **data) -> Purchaser:
    purchaser = Purchaser()
    changes = _apply(purchaser, {k: v for k, v in data.items() if k in PURCHASER_FIELDS})
    _check_purchaser(purchaser)
    _save(purchaser, actor=actor, action="purchaser.created", changes=changes, created=True)
    return purchaser


@transaction.atomic
def purchaser_update(*, purchaser: Purchaser, actor, **data) -> Purchaser:
    data.pop("customer", None)  # a purchaser does not move between customers
    changes = _apply(purchaser, {k: v for k, v in data.items() if k in PURCHASER_FIELDS})
    _check_purchaser(purchaser)
    _save(purchaser, actor=actor, action="purchaser.updated", changes=changes)
    return purchaser


@transaction.atomic
def purchaser_delete(*, purchaser: Purchaser, actor) -> None:
    audit_record(actor=actor, action="purchaser.deleted", obj=purchaser)
    members = list(Contact.objects.filter(purchaser=purchaser).values_list("pk", flat=True))
    purchaser.delete()
    # Its contacts are no purchaser's any more: their logins follow.
    portal_memberships_sync(contacts=Contact.objects.filter(pk__in=members), actor=actor)


# Contacts ----------------------------------------------------------------------------------------

CONTACT_FIELDS = (
    "customer",
    "purchaser",
    "name",
    "title",
    "email",
    "phone",
    "role",
    "interests",
    "responsibilities",
    "influence",
    "authority",
)


@transaction.atomic
def contact_create(*, actor, **data) -> Contact:
    contact = Contact()
    data["email"] = (data.get("email") or "").strip().lower()
    changes = _apply(contact, {k: v for k, v in data.items() if k in CONTACT_FIELDS})
    _save(contact, actor=actor, action="contact.created", changes=changes, created=True)
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor, **data) -> Contact:
    data.pop("customer", None)
    if "email" in data:
        data["email"] = (data["email"] or "").strip().lower()
    changes = _apply(contact, {k: v for k, v in data.items() if k in CONTACT_FIELDS})
    invitation = contact.portal_invitation
    if "email" in changes and invitation is not None:
        # An invitation sent to the old address must not give the portal to whoever reads it.
        if invitation.is_pending:
            tenancy_services.invitation_revoke(invitation=invitation, actor=actor)
        contact.portal_invitation = None
    _save(contact, actor=actor, action="contact.updated", changes=changes)
    if changes.keys() & {"purchaser", "authority"}:
        portal_memberships_sync(contacts=Contact.objects.filter(pk=contact.pk), actor=actor)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor) -> None:
    audit_record(actor=actor, action="contact.deleted", obj=contact)
    for record in _with_portal(Contact.objects.filter(pk=contact.pk)):
        _portal_access_end(record, actor)
    try:
        with transaction.atomic():
            contact.delete()
    except (ProtectedError, RestrictedError, IntegrityError) as error:
        # A later area keeps records that need the contact (a decision they are accountable
        # for, a complaint they raised): refused, with the audit record and the portal access
        # left as they were (the whole delete rolls back).
        raise ValidationError(
            _(
                "Records that must be kept name this contact (a decision they are accountable "
                "for or a complaint they raised, for one): it cannot be deleted."
            )
        ) from error


def _with_portal(contacts):
    return contacts.select_related("customer", "membership", "portal_invitation")


def _portal_access_end(contact: Contact, actor) -> None:
    """The contact no longer qualifies for the portal: its login and pending invitation end."""
    membership = contact.membership
    if membership is not None and membership.is_active and membership.is_portal:
        tenancy_services.membership_update(
            membership=membership, actor=actor, role=membership.role, is_active=False
        )
    invitation = contact.portal_invitation
    if invitation is not None and invitation.is_pending:
        tenancy_services.invitation_revoke(invitation=invitation, actor=actor)


@transaction.atomic
def portal_memberships_sync(*, contacts, actor) -> None:
    """Give each contact's portal login the role its post gives now (speaks_for_customer).

    Customer <-> purchaser as the post changes; no post at all: the login is deactivated. A
    pending invitation made for another role is revoked (invite again for the right one). Each
    change goes through the tenancy services, so it is audited.
    """
    for contact in _with_portal(contacts):
        role = portal_role_for(contact)
        if role is None:
            _portal_access_end(contact, actor)
            continue
        membership = contact.membership
        active = membership is not None and membership.is_active and membership.is_portal
        if active and membership.role != role:
            tenancy_services.membership_update(
                membership=membership, actor=actor, role=role, is_active=True
            )
        invitation = contact.portal_invitation
        if invitation is not None and invitation.is_pending and invitation.role != role:
            tenancy_services.invitation_revoke(invitation=invitation, actor=actor)


def _not_invitable_message() -> str:
    return _(
        "Only the customer's business manager or counterpart, a contact with the budget "
        "mandate, or a purchaser's contact can be invited to the portal."
    )


def contact_portal_role(contact: Contact) -> str:
    """Business manager, counterpart or a contact with the budget mandate: the customer role;
    a purchaser's contact without the mandate: the purchaser role."""
    role = portal_role_for(contact)
    if role is None:
        raise ValidationError(_not_invitable_message())
    return role


def contact_invite_refusal(*, contact: Contact, actor) -> str:
    """Why `contact_invite` would refuse this contact now, or "" (the page says so up front)."""
    if contact.membership_id and contact.membership.is_active:
        return _("%(name)s already has a portal login.") % {"name": contact.name}
    if not contact.email:
        return _("The contact needs an email address first.")
    if portal_role_for(contact) is None:
        return _not_invitable_message()
    return tenancy_services.invitation_refusal(email=contact.email, invited_by=actor)


@transaction.atomic
def contact_invite(*, contact: Contact, actor):
    """Invite a contact to the portal with the role their place in the business gives them."""
    if not contact.email:
        raise ValidationError({"email": _("The contact needs an email address first.")})
    if contact.membership_id and contact.membership.is_active:
        raise ValidationError(_("This contact already has a portal login."))
    role = contact_portal_role(contact)
    invitation, url = tenancy_services.invitation_create(
        tenant=contact.tenant, email=contact.email, role=role, invited_by=actor
    )
    contact.portal_invitation = invitation
    contact.save(update_fields=["portal_invitation", "updated_at"])
    return invitation, url


def contact_link_membership(*, invitation, membership, **_kwargs) -> None:
    """On invitation acceptance, give the contact its portal login (signal receiver).

    Only a contact still at the invited address is linked, and a login belongs to one contact.
    """
    email = membership.user.email.lower()
    contacts = Contact.objects.filter(portal_invitation=invitation, email__iexact=email)
    linked = list(contacts.values_list("pk", flat=True))
    if not linked:
        return
    Contact.objects.filter(membership=membership).exclude(pk__in=linked).update(membership=None)
    Contact.objects.filter(pk__in=linked).update(membership=membership)


# Business expectations ---------------------------------------------------------------------------

EXPECTATION_FIELDS = (
    "customer",
    "title",
    "service",
    "description",
    "acceptance_criteria",
    "metrics",
    "status",
)


@transaction.atomic
def expectation_create(*, actor, **data) -> BusinessExpectation:
    if data.get("status") == BusinessExpectation.Status.AGREED:
        raise ValidationError({"status": _("An expectation is agreed by the business, not set.")})
    expectation = BusinessExpectation()
    changes = _apply(expectation, {k: v for k, v in data.items() if k in EXPECTATION_FIELDS})
    _save(expectation, actor=actor, action="expectation.created", changes=changes, created=True)
    return expectation


def _drop_agreement(expectation: BusinessExpectation) -> None:
    expectation.agreed_at = None
    expectation.agreed_by_business = None
    expectation.agreed_by_it = None  # set again (the customer's RM) at the next agreement


@transaction.atomic
def expectation_update(*, expectation: BusinessExpectation, actor, **data) -> BusinessExpectation:
    data.pop("customer", None)
    agreed = BusinessExpectation.Status.AGREED
    if data.get("status") == agreed and expectation.status != agreed:
        raise ValidationError({"status": _("An expectation is agreed by the business, not set.")})
    substantive = {"title", "service", "description", "acceptance_criteria", "metrics"}
    changes = _apply(expectation, {k: v for k, v in data.items() if k in EXPECTATION_FIELDS})
    if expectation.status == agreed and substantive & changes.keys():
        # Changing what was agreed needs a new agreement.
        changes["status"] = [agreed, BusinessExpectation.Status.PROPOSED]
        expectation.status = BusinessExpectation.Status.PROPOSED
        _drop_agreement(expectation)
    elif "status" in changes and expectation.status in (
        BusinessExpectation.Status.DRAFT,
        BusinessExpectation.Status.PROPOSED,
    ):
        # Back to draft or proposed: an old agreement no longer stands (retired keeps it, as
        # the record of what was agreed).
        _drop_agreement(expectation)
    _save(expectation, actor=actor, action="expectation.updated", changes=changes)
    return expectation


def _holds_mandate(membership: Membership, expectation: BusinessExpectation) -> bool:
    """The login's contact speaks for the expectation's customer, today (speaks_for_customer)."""
    contact = getattr(membership, "contact", None)
    return (
        membership.is_portal
        and contact is not None
        and contact.customer_id == expectation.customer_id
        and speaks_for_customer(contact)
    )


@transaction.atomic
def expectation_agree(*, expectation: BusinessExpectation, membership: Membership):
    """The customer (who holds the mandate) agrees a proposed expectation; purchasers cannot."""
    expectation = BusinessExpectation.objects.select_for_update().get(pk=expectation.pk)
    if not _holds_mandate(membership, expectation):
        raise PermissionDenied(_("Only the customer, who holds the mandate, can agree."))
    contact = membership.contact
    if expectation.status != BusinessExpectation.Status.PROPOSED:
        raise ValidationError(_("Only a proposed expectation can be agreed."))
    expectation.status = BusinessExpectation.Status.AGREED
    expectation.agreed_by_business = contact
    expectation.agreed_at = timezone.now()
    if expectation.agreed_by_it_id is None:
        expectation.agreed_by_it = expectation.customer.relationship_manager
    expectation.save()
    audit_record(
        actor=membership.user,
        action="expectation.agreed",
        obj=expectation,
        changes={
            "status": [BusinessExpectation.Status.PROPOSED, BusinessExpectation.Status.AGREED]
        },
    )
    return expectation


@transaction.atomic
def expectation_delete(*, expectation: BusinessExpectation, actor) -> None:
    audit_record(actor=actor, action="expectation.deleted", obj=expectation)
    expectation.delete()


# Register ----------------------------------------------------------------------------------------

REGISTER_FIELDS = (
    "customer",
    "kind",
    "title",
    "description",
    "owner",
    "impact",
    "likelihood",
    "status",
    "review_date",
)


def _check_register(item: RegisterItem) -> None:
    if item.owner is not None and item.owner.role not in STAFF_ROLES:
        raise ValidationError({"owner": _("The owner must be a staff member.")})


@transaction.atomic
def register_item_create(*, actor, **data) -> RegisterItem:
    item = RegisterItem()
    changes = _apply(item, {k: v for k, v in data.items() if k in REGISTER_FIELDS})
    _check_register(item)
    _save(item, actor=actor, action="register_item.created", changes=changes, created=True)
    return item


@transaction.atomic
def register_item_update(*, item: RegisterItem, actor, **data) -> RegisterItem:
    data.pop("customer", None)
    changes = _apply(item, {k: v for k, v in data.items() if k in REGISTER_FIELDS})
    _check_register(item)
    _save(item, actor=actor, action="register_item.updated", changes=changes)
    return item


@transaction.atomic
def register_item_delete(*, item: RegisterItem, actor) -> None:
    audit_record(actor=actor, action="register_item.deleted", obj=item)
    item.delete()


# Action items ------------------------------------------------------------------------------------

ACTION_FIELDS = (
    "customer",
    "title",
    "description",
    "owner_member",
    "owner_contact",
    "due_date",
    "status",
    "source",
    "source_ref",
)


def _check_action(item: ActionItem) -> None:
    if item.owner_member is not None and item.owner_member.role not in STAFF_ROLES:
        raise ValidationError({"owner_member": _("A staff owner must be a staff member.")})
    if item.status == ActionItem.Status.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
    elif item.status != ActionItem.Status.DONE:
        item.completed_at = None


@transaction.atomic
def action_item_create(*, actor, **data) -> ActionItem:
    item = ActionItem(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    changes = _apply(item, {k: v for k, v in data.items() if k in ACTION_FIELDS})
    _check_action(item)
    _save(item, actor=actor, action="action_item.created", changes=changes, created=True)
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, actor, **data) -> ActionItem:
    data.pop("customer", None)
    changes = _apply(item, {k: v for k, v in data.items() if k in ACTION_FIELDS})
    _check_action(item)
    _save(item, actor=actor, action="action_item.updated", changes=changes)
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, actor) -> None:
    audit_record(actor=actor, action="action_item.deleted", obj=item)
    item.delete()


def _portal_owns(item: ActionItem, membership: Membership) -> bool:
    contact = getattr(membership, "contact", None)
    return contact is not None and item.owner_contact_id == contact.pk


@transaction.atomic
def action_item_comment(*, item: ActionItem, membership: Membership, body: str):
    """Staff comment on any item; a portal user only on the items they own."""
    if membership.is_portal and not _portal_owns(item, membership):
        raise PermissionDenied(_("You can comment only on your own action items."))
    if membership.never_writes:
        raise PermissionDenied(_("Analysts have read-only access."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    return ActionItemComment.objects.create(action_item=item, author=membership.user, body=body)


@transaction.atomic
def action_item_mark_done(*, item: ActionItem, membership: Membership) -> ActionItem:
    if membership.is_portal and not _portal_owns(item, membership):
        raise PermissionDenied(_("You can complete only your own action items."))
    if membership.never_writes:
        raise PermissionDenied(_("Analysts have read-only access."))
    return action_item_update(item=item, actor=membership.user, status=ActionItem.Status.DONE)


def expectation_can_agree(*, expectation: BusinessExpectation, membership: Membership) -> bool:
    """Whether `expectation_agree` would accept this membership now (to offer the button).

    The same conditions as expectation_agree, which stays the rule that is enforced.
    """
    return expectation.status == BusinessExpectation.Status.PROPOSED and _holds_mandate(
        membership, expectation
    )
