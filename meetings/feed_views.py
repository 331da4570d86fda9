"""The personal calendar feed: the page where a member makes or revokes their subscription URL
(staff under /t/<office>/meetings/calendar-feed/, portal under /t/<office>/portal/calendar-feed/),
and the feed itself, `/calendar/<token>.ics`, which no sign-in guards but its secret token."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from brm.web.access import staff_required
from brm.web.pages import confirm_then, tenant_url

from . import feeds

UPCOMING_SHOWN = 5


def _names(portal: bool) -> dict[str, str]:
    prefix = "calendar_feeds:portal_" if portal else "calendar_feeds:"
    return {"page": f"{prefix}feed", "create": f"{prefix}create", "revoke": f"{prefix}revoke"}


def _breadcrumbs(request, portal: bool, *last: str) -> list:
    crumbs = [(_("Calendar feed"), tenant_url(_names(portal)["page"], request) if last else "")]
    return crumbs + [(label, "") for label in last]


def _page(request, *, portal: bool):
    membership = request.membership
    now = timezone.now()
    listed = [
        m
        for m in feeds.feed_meetings(membership, now=now).prefetch_related(None)
        if m.status != m.Status.CANCELLED
    ]
    upcoming = [m for m in listed if m.ends_at >= now]
    return render(
        request,
        "meetings/calendar_feed.html",
        {
            "feed": feeds.calendar_feed_active(membership),
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "listed": len(listed),
            "urls": {k: tenant_url(v, request) for k, v in _names(portal).items()},
            "title": _("Calendar feed"),
            "breadcrumbs": _breadcrumbs(request, portal),
            "past_days": feeds.PAST_DAYS,
        },
    )


def _create(request, *, portal: bool):
    names = _names(portal)
    membership = request.membership
    if request.method == "POST":
        feed, raw = feeds.calendar_feed_create(membership=membership, actor=request.user)
        # Rendered, not redirected: the URL is shown this once and stored nowhere.
        url = feeds.calendar_feed_url(raw)
        response = render(
            request,
            "meetings/calendar_feed_created.html",
            {
                "feed": feed,
                "url": url,
                "webcal_url": "webcal://" + url.split("://", 1)[-1],
                "title": _("Your calendar feed"),
                "breadcrumbs": _breadcrumbs(request, portal, _("New address")),
                "done_url": tenant_url(names["page"], request),
            },
        )
        add_never_cache_headers(response)
        return response
    current = feeds.calendar_feed_active(membership)
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Make a calendar feed address"),
            "breadcrumbs": _breadcrumbs(request, portal, _("New address")),
            "question": _(
                "Make a secret address your calendar can subscribe to? It lists your meetings "
                "and is shown to you once."
            ),
            "note": _("The address you have now stops working at once.") if current else "",
            "button": _("Make the address"),
            "cancel_url": tenant_url(names["page"], request),
        },
    )


def _revoke(request, *, portal: bool):
    names = _names(portal)
    current = feeds.calendar_feed_active(request.membership)
    back = tenant_url(names["page"], request)
    return confirm_then(
        request,
        lambda: feeds.calendar_feed_revoke(membership=request.membership, actor=request.user),
        success=_("Your calendar feed address was revoked; it lists nothing any more."),
        done=back,
        context={
            "title": _("Revoke your calendar feed"),
            "breadcrumbs": _breadcrumbs(request, portal, _("Revoke")),
            "question": _(
                "Revoke your calendar feed address? Calendars subscribed to it stop receiving "
                "your meetings. This cannot be undone; you can make a new address later."
            ),
            "danger": True,
            "button": _("Revoke"),
            "cancel_label": _("Keep it"),
            "cancel_url": back,
            "refusal": "" if current else _("You have no calendar feed address to revoke."),
            "back_label": _("Back to the calendar feed"),
        },
    )


# Staff: every staff role has its own feed (a person's subscription, not the office's records).


@staff_required
@require_GET
def staff_feed(request):
    return _page(request, portal=False)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_create(request):
    return _create(request, portal=False)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_revoke(request):
    return _revoke(request, portal=False)


# Portal: the middleware admits portal members only; a login not linked to a contact yet gets a
# feed that lists nothing until it is.


@require_GET
def portal_feed(request):
    return _page(request, portal=True)


@require_http_methods(["GET", "POST"])
def portal_create(request):
    return _create(request, portal=True)


@require_http_methods(["GET", "POST"])
def portal_revoke(request):
    return _revoke(request, portal=True)


@require_safe  # some calendar clients ask with HEAD first
def feed_ics(request, token: str):
    """The feed. Unknown, revoked, or of an inactive member or office: 404, all alike."""
    found = feeds.calendar_feed_find(token)
    data = feeds.calendar_feed_read(*found) if found else None
    if data is None:
        raise Http404(_("No such calendar feed."))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["X-Robots-Tag"] = "noindex"
    # Personal: no shared cache may keep it, and a revoked token must stop answering at once.
    patch_cache_control(response, private=True, no_cache=True)
    return response
