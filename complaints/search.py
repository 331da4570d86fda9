"""What the complaints area makes searchable (registered in apps.py): complaints by reference
or subject, as `selectors.complaints_visible_to` lets the reader see them: a complaint about a
relationship manager is never found by that relationship manager, and a portal user finds only
the complaints the portal's list shows them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from brm.search.registry import PORTAL, STAFF, Hit, SearchContext, search_kinds

from .models import Complaint
from .selectors import complaints_visible_to


def _complaints(ctx: SearchContext):
    return complaints_visible_to(ctx.membership).select_related("customer")


def _complaint_hit(complaint: Complaint, ctx: SearchContext) -> Hit:
    name = "complaints:portal_complaint" if ctx.portal else "complaints:complaint_detail"
    subtitle = " · ".join(
        (complaint.subject, str(complaint.get_status_display()), complaint.customer.name)
    )
    return Hit(complaint.reference, ctx.url(name, pk=complaint.pk), subtitle)


def register() -> None:
    search_kinds.register(
        "complaints",
        label=_("Complaints"),
        order=60,
        audience=(STAFF, PORTAL),
        queryset=_complaints,
        fields=("reference", "subject"),
        names=("subject",),
        hit=_complaint_hit,
        # The portal's list has no search of its own to send the rest to.
        more=lambda ctx: None if ctx.portal else ctx.url("complaints:complaint_list", query=True),
    )
