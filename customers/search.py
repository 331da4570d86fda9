"""What the customers area makes searchable (registered in apps.py): customers by name or
division, contacts by name, email or title, services by name. Every staff role reads them;
the portal searches none of them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from brm.search.registry import Hit, SearchContext, search_kinds

from .models import Contact, Customer, Service


def _customer_hit(customer: Customer, ctx: SearchContext) -> Hit:
    return Hit(
        customer.name,
        ctx.url("customers:customer_detail", pk=customer.pk),
        customer.division,
    )


def _contact_hit(contact: Contact, ctx: SearchContext) -> Hit:
    detail = [part for part in (contact.title, contact.email, contact.customer.name) if part]
    url = ctx.url("customers:customer_detail", pk=contact.customer_id) + "#contacts"
    return Hit(contact.name, url, " · ".join(detail))


def _service_hit(service: Service, ctx: SearchContext) -> Hit:
    return Hit(
        service.name,
        ctx.url("customers:service_detail", pk=service.pk),
        service.get_status_display(),
    )


def register() -> None:
    search_kinds.register(
        "customers",
        label=_("Customers"),
        order=10,
        queryset=lambda ctx: Customer.objects.only("name", "division"),
        fields=("name", "division"),
        names=("name",),
        hit=_customer_hit,
        more=lambda ctx: ctx.url("customers:customer_list", query=True),
    )
    search_kinds.register(
        "contacts",
        label=_("Contacts"),
        order=20,
        queryset=lambda ctx: Contact.objects.select_related("customer").only(
            "name", "title", "email", "customer__name"
        ),
        fields=("name", "email", "title"),
        names=("name",),
        hit=_contact_hit,
    )
    search_kinds.register(
        "services",
        label=_("Services"),
        order=30,
        queryset=lambda ctx: Service.objects.only("name", "status"),
        fields=("name",),
        names=("name",),
        hit=_service_hit,
        more=lambda ctx: ctx.url("customers:service_list", query=True),
    )


def portal_scope_of(ctx: SearchContext):
    """The portal user's scope (customers.selectors.portal_scope), read once per search for
    every area's portal kinds; None while the login is not linked to a contact."""
    from .selectors import portal_scope

    return ctx.memo("portal_scope", lambda: portal_scope(ctx.membership))
