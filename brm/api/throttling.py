from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from brm.tenancy.models import Membership

from .models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests per API key (settings.API_THROTTLE_RATE, e.g. "600/min"), counted in the shared
    cache (Redis in production) so every web process counts together. 429 with Retry-After."""

    scope = "api_key"

    def get_rate(self) -> str:
        # Read per request, not at import, so the rate follows the settings (and tests' overrides).
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, Membership):  # a person's browser session
            return self.cache_format % {
                "scope": self.scope,
                "ident": f"{request.auth.tenant_id}-member-{request.auth.pk}",
            }
        if not isinstance(request.auth, ApiKey):
            return None  # no key, no API access: nothing to count
        return self.cache_format % {
            "scope": self.scope,
            "ident": f"{request.auth.tenant_id}-{request.auth.prefix}",
        }
