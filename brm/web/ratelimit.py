"""Rate limits for pages that no sign-in guards (the survey answer link), on the shared cache.

The project already limits failed sign-ins with django-allauth's limiter (Redis in production, so
every web process counts together); this reuses that limiter rather than adding a second one.
allauth's public helper reads its rates from the account settings and never counts GETs, so the
call goes one level down, with the page's own rates and GETs counted too: opening a link is what
a flood would do.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.http import HttpRequest


def rate_allowed(request: HttpRequest, *, action: str, rates: str, key: str | None = None) -> bool:
    """Count this request against `rates` (allauth's syntax: "300/m/ip,30/m/key", comma
    separated) for `action`; False once any of them is used up. `key` is what the "key" rates
    count by (for instance a token's hash); an empty `rates` never limits."""
    usage = allauth_ratelimit.consume(
        request,
        app="brm",
        action=action,
        config={action: rates},
        key=key,
        limit_get=True,
    )
    return usage is not None
