"""The search pages: `/t/<office>/search/?q=` for staff, `/t/<office>/portal/search/?q=` for the
portal. Each asks every registered kind (brm.search.registry.search_kinds) shown to the reader.
They only read, so a GET with any text answers the page: a query too short, too long or made
of spaces gets a message instead of results."""

from __future__ import annotations

import unicodedata

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brm.tenancy.models import Role
from brm.web.access import roles_required, staff_required

from .registry import SearchContext, search_kinds

MIN_LENGTH = 2
MAX_LENGTH = 100
# Hits shown a kind; the kind's own list, filtered by the query, holds the rest.
HITS_PER_KIND = 5


def clean_query(raw: str) -> str:
    """The query as searched: control characters (a NUL, which PostgreSQL refuses in text)
    dropped and runs of white space made one space."""
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in raw)
    return " ".join(kept.split())


def _page(request, *, portal: bool):
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    groups: list[dict] = []
    message = ""
    if len(query) > MAX_LENGTH:
        message = _("Search for at most %(max)d characters.") % {"max": MAX_LENGTH}
    elif raw and len(query) < MIN_LENGTH:
        message = _("Type at least %(min)d characters to search.") % {"min": MIN_LENGTH}
    elif query:
        ctx = SearchContext(request=request, query=query, portal=portal)
        groups = search_kinds.search(ctx, limit=HITS_PER_KIND)
    return render(
        request,
        "search/results.html",
        {
            "title": _("Search"),
            "query": query[:MAX_LENGTH],
            "searched": bool(query) and not message,
            "message": message,
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "portal": portal,
        },
    )


@staff_required
@require_GET
def staff_search(request):
    return _page(request, portal=False)


@roles_required(Role.CUSTOMER, Role.PURCHASER)
@require_GET
def portal_search(request):
    return _page(request, portal=True)
