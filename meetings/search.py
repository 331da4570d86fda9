"""What the meetings area makes searchable (registered in apps.py): meetings and decisions by
title, notices by subject. Staff find the office's; the portal user the meetings and decisions
the portal shows them (meetings.portal_selectors) and the notices sent to them
(communication_selectors.portal_notice_list)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from brm.search.registry import PORTAL, STAFF, Hit, SearchContext, search_kinds
from customers.search import portal_scope_of

from . import portal_selectors
from .communication_models import Notice
from .communication_selectors import portal_notice_list
from .models import Decision, Meeting


def _day(ctx: SearchContext, moment) -> str:
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment, ctx.request.tenant.zone), "DATE_FORMAT")


def _meetings(ctx: SearchContext):
    if not ctx.portal:
        return Meeting.objects.select_related("customer")
    scope = portal_scope_of(ctx)
    if scope is None:
        return None
    return portal_selectors.portal_meeting_list(scope).select_related("customer")


def _meeting_hit(meeting: Meeting, ctx: SearchContext) -> Hit:
    name = "meetings:portal_meeting" if ctx.portal else "meetings:meeting_detail"
    subtitle = " · ".join(
        part for part in (_day(ctx, meeting.starts_at), meeting.customer.name) if part
    )
    return Hit(meeting.title, ctx.url(name, pk=meeting.pk), subtitle)


def _decisions(ctx: SearchContext):
    if not ctx.portal:
        return Decision.objects.select_related("customer")
    scope = portal_scope_of(ctx)
    if scope is None:
        return None
    return portal_selectors.portal_decision_list(scope).select_related("customer")


def _decision_hit(decision: Decision, ctx: SearchContext) -> Hit:
    name = "meetings:portal_decision" if ctx.portal else "meetings:decision_detail"
    subtitle = " · ".join((str(decision.get_status_display()), decision.customer.name))
    return Hit(decision.title, ctx.url(name, pk=decision.pk), subtitle)


def _notices(ctx: SearchContext):
    if not ctx.portal:
        return Notice.objects.all()
    scope = portal_scope_of(ctx)
    if scope is None:
        return None
    return portal_notice_list(scope)


def _notice_hit(notice: Notice, ctx: SearchContext) -> Hit:
    name = "meetings:portal_notice" if ctx.portal else "meetings:notice_detail"
    subtitle = _day(ctx, notice.sent_at) if ctx.portal else str(notice.get_status_display())
    return Hit(notice.subject, ctx.url(name, pk=notice.pk), subtitle)


def register() -> None:
    both = (STAFF, PORTAL)
    search_kinds.register(
        "meetings",
        label=_("Meetings"),
        order=50,
        audience=both,
        queryset=_meetings,
        fields=("title",),
        names=("title",),
        hit=_meeting_hit,
        more=lambda ctx: None if ctx.portal else ctx.url("meetings:meeting_list", query=True),
    )
    search_kinds.register(
        "decisions",
        label=_("Decisions"),
        order=55,
        audience=both,
        queryset=_decisions,
        fields=("title",),
        names=("title",),
        hit=_decision_hit,
        more=lambda ctx: None if ctx.portal else ctx.url("meetings:decision_log", query=True),
    )
    search_kinds.register(
        "notices",
        label=_("Notices"),
        order=90,
        audience=both,
        queryset=_notices,
        fields=("subject",),
        names=("subject",),
        hit=_notice_hit,
        more=lambda ctx: None if ctx.portal else ctx.url("meetings:notice_list", query=True),
    )
