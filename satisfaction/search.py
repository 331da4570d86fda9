"""What the satisfaction area makes searchable (registered in apps.py): surveys by name and
campaigns by their name or their survey's, for staff; on the portal, the surveys open to the
signed-in contact (the invitations the portal's Surveys page lists), by campaign or survey
name."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brm.search.registry import PORTAL, Hit, SearchContext, search_kinds
from customers.search import portal_scope_of

from .answer_views import portal_invitations
from .models import Campaign, Invitation, Survey


def _portal_surveys(ctx: SearchContext):
    scope = portal_scope_of(ctx)
    if scope is None:
        return None
    # What the Surveys page lists: invitations of open campaigns that still take answers or
    # will (answer_state OPEN or NOT_OPEN), the closed ones left out.
    return portal_invitations(scope.contact).filter(campaign__closes_at__gt=timezone.now())


def _invitation_hit(invitation: Invitation, ctx: SearchContext) -> Hit:
    url = ctx.url("satisfaction:portal_survey_answer", invitation_pk=invitation.pk)
    return Hit(invitation.campaign.name, url)


def _survey_hit(survey: Survey, ctx: SearchContext) -> Hit:
    version = _("version %(n)d") % {"n": survey.version}
    return Hit(survey.name, ctx.url("satisfaction:survey_detail", pk=survey.pk), str(version))


def _campaign_hit(campaign: Campaign, ctx: SearchContext) -> Hit:
    subtitle = " · ".join((campaign.survey.name, str(campaign.get_status_display())))
    return Hit(campaign.name, ctx.url("satisfaction:campaign_detail", pk=campaign.pk), subtitle)


def register() -> None:
    search_kinds.register(
        "surveys",
        label=_("Surveys"),
        order=70,
        queryset=lambda ctx: Survey.objects.all(),
        fields=("name",),
        names=("name",),
        hit=_survey_hit,
        more=lambda ctx: ctx.url("satisfaction:survey_list", query=True),
    )
    search_kinds.register(
        "portal_surveys",
        label=_("Surveys"),
        order=70,
        audience=(PORTAL,),
        queryset=_portal_surveys,
        fields=("campaign__name", "campaign__survey__name"),
        names=("campaign__name",),
        hit=_invitation_hit,
    )
    search_kinds.register(
        "campaigns",
        label=_("Survey campaigns"),
        order=75,
        queryset=lambda ctx: Campaign.objects.select_related("survey"),
        fields=("name", "survey__name"),
        names=("name",),
        hit=_campaign_hit,
        more=lambda ctx: ctx.url("satisfaction:campaign_list", query=True),
    )
