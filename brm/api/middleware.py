"""Resolves the API key of a request to /api/ and runs the rest of it inside the key's tenant."""

from django.utils import timezone

from brm.tenancy.context import tenant_context

from .services import ApiKeyInvalid, api_key_authenticate, api_key_mark_used

API_PATH_PREFIX = "/api/"


def bearer_token(request) -> str | None:
    """The credentials of an `Authorization: Bearer <key>` header; None for any other scheme."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


class ApiKeyMiddleware:
    """For /api/ paths: the key in the Authorization header chooses the tenant, here and only here.

    This runs before DRF, which authenticates lazily: resolving the key here means the whole view
    (queries, serializers, pagination) runs inside `tenant_context(key.tenant)`, whatever the view
    class. The outcome is left on the request for `ApiKeyAuthentication`, which answers 401 for a
    bad key and refuses to work at all if this middleware did not run (fails closed). A request
    without a valid key runs with no tenant: the scoped managers raise and PostgreSQL shows no rows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        request.api_key_checked = True
        request.api_key = None
        request.api_key_error = None
        raw = bearer_token(request)
        if raw is None:
            return self.get_response(request)
        try:
            api_key = api_key_authenticate(raw)
        except ApiKeyInvalid as exc:
            request.api_key_error = exc.message
            return self.get_response(request)
        api_key_mark_used(api_key)
        request.api_key = api_key
        request.tenant = api_key.tenant  # like /t/<slug>/ pages: one place resolves the tenant
        with tenant_context(api_key.tenant), timezone.override(api_key.tenant.zone):
            return self.get_response(request)
