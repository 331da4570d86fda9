"""Publishing a campaign's results: after it closes, staff write a "you said, we did" summary
and publish it. Customers then see the results in the portal (their own customer's figures
above the minimum and the office-wide ones, with the summary: satisfaction/results_views.py)
and the respondents are emailed, each once.

Who is emailed: in attributed and confidential mode the invitees who answered; in anonymous
mode no response leads back to an invitation, so every invitee the invitation reached
(delivered) is told, which says nothing of who answered. Opted-out addresses never are. The
email's key names the campaign and the invitation, so publishing again (to correct the
summary) emails nobody twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import audit_record
from brm.outbox.services import outbox_enqueue
from brm.tenancy.models import Membership, Tenant

from .models import Campaign, Invitation, SurveyOptOut

SUMMARY_MAX = 10_000


def portal_results_url(tenant: Tenant) -> str:
    try:
        path = reverse("satisfaction:portal_results", kwargs={"tenant_slug": tenant.slug})
    except NoReverseMatch:  # the portal page's address is fixed
        path = f"/t/{tenant.slug}/portal/satisfaction/results/"
    return f"{settings.BRM_BASE_URL}{path}"


def publication_recipients(campaign: Campaign):
    """The invitations whose person is told of the publication (see the module's docstring)."""
    invitations = Invitation.objects.filter(campaign=campaign).exclude(email="")
    if campaign.links_responses:
        invitations = invitations.filter(response__isnull=False)
    else:
        invitations = invitations.filter(status=Invitation.Status.SENT)
    opted_out = SurveyOptOut.objects.values("email")
    return invitations.exclude(email__in=opted_out).order_by("pk")


@transaction.atomic
def campaign_publish(*, campaign: Campaign, actor: Membership, summary: str) -> Campaign:
    """Publish a closed campaign's results with the "you said, we did" summary (again: to
    correct the summary; the first publication's time stays)."""
    if not actor.can_write:  # analysts, steering, and the portal (customers, purchasers) never
        raise PermissionDenied(_("Your role cannot publish survey results."))
    summary = (summary or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = _("Write what you heard and what you are doing about it.")
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = _("Keep the summary under %(n)s characters.") % {"n": SUMMARY_MAX}
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.CLOSED:
        errors.setdefault("summary", _("Results are published once the campaign has closed."))
    if errors:
        raise ValidationError(errors)
    first = campaign.published_at is None
    changes = {"summary": [campaign.summary, summary]}
    campaign.summary = summary
    if first:
        campaign.published_at = timezone.now()
        changes["published_at"] = [None, campaign.published_at.isoformat()]
    campaign.published_by = actor.user
    campaign.save(update_fields=["summary", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor.user,
        action="campaign.published" if first else "campaign.publication_updated",
        obj=campaign,
        changes=changes,
    )
    _email_respondents(campaign)
    return campaign


def _email_respondents(campaign: Campaign) -> int:
    tenant = Tenant.objects.get(pk=campaign.tenant_id)
    link = portal_results_url(tenant)
    subject = _("%(office)s: you said, we did (%(campaign)s)") % {
        "office": tenant.name,
        "campaign": campaign.name,
    }
    sent = 0
    for invitation in publication_recipients(campaign).only("pk", "email", "name"):
        text = "\n\n".join(
            [
                _("Dear %(name)s,") % {"name": invitation.name},
                _(
                    "Thank you for taking part in %(campaign)s. This is what we heard, and what "
                    "we are doing about it:"
                )
                % {"campaign": campaign.name},
                campaign.summary,
                _("With a portal login you see the results at %(link)s") % {"link": link},
                tenant.name,
            ]
        )
        outbox_enqueue(
            key=f"satisfaction.published:{campaign.pk}:{invitation.pk}",
            to=[invitation.email],
            subject=subject,
            text=text,
        )
        sent += 1
    return sent
