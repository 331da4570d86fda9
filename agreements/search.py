"""What the agreements area makes searchable (registered in apps.py): a customer's Partnership
Agreement by the customer's name. Staff find every agreement of the office; a portal user
finds their customer's agreement once a version of it is in force (what the portal's agreement
page shows to every portal role)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from brm.search.registry import PORTAL, STAFF, Hit, SearchContext, search_kinds
from customers.search import portal_scope_of

from .models import Agreement, AgreementVersion


def _agreements(ctx: SearchContext):
    agreements = Agreement.objects.select_related("customer")
    if not ctx.portal:
        return agreements
    scope = portal_scope_of(ctx)
    if scope is None:
        return None
    in_force = AgreementVersion.objects.filter(
        agreement=OuterRef("pk"), status=AgreementVersion.Status.IN_FORCE
    )
    return agreements.filter(customer_id=scope.contact.customer_id).filter(Exists(in_force))


def _agreement_hit(agreement: Agreement, ctx: SearchContext) -> Hit:
    title = _t("Partnership agreement with %(customer)s") % {"customer": agreement.customer.name}
    if ctx.portal:
        return Hit(title, ctx.url("agreements:portal_agreement"))
    return Hit(title, ctx.url("agreements:agreement_detail", pk=agreement.pk))


def register() -> None:
    search_kinds.register(
        "agreements",
        label=_("Agreements"),
        order=40,
        audience=(STAFF, PORTAL),
        queryset=_agreements,
        fields=("customer__name",),
        names=("customer__name",),
        hit=_agreement_hit,
        more=lambda ctx: None if ctx.portal else ctx.url("agreements:agreement_list", query=True),
    )
