"""Resolves the API key of a request to /api/ and runs the rest of it inside the key's tenant."""

from django.utils import timezone

from brm.tenancy.context import tenant_context
from brm.tenancy.middleware import API_TENANT_KEY
from brm.tenancy.models import Membership, Tenant

from .services import ApiKeyInvalid, api_key_authenticate, api_key_mark_used

# The office whose staff pages the signed-in user last opened (set by TenantMiddleware): the
# browser's API requests work in it, as the pages do.
SESSION_TENANT_KEY = API_TENANT_KEY

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
        request.api_membership = None
        raw = bearer_token(request)
        if raw is None:
            return self._session(request)
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

    def _session(self, request):
        """A signed-in staff member's browser: the office of the last staff page they opened.

        The membership is checked again, as the pages check it (active, staff role, the office's
        MFA policy); anything short of that runs with no tenant and DRF answers 401.
        """
        user = request.user
        tenant_id = request.session.get(SESSION_TENANT_KEY) if user.is_authenticated else None
        if tenant_id is None:
            return self.get_response(request)
        tenant = Tenant.objects.filter(pk=tenant_id, is_active=True).first()
        if tenant is None:
            return self.get_response(request)
        with tenant_context(tenant), timezone.override(tenant.zone):
            membership = (
                Membership.objects.select_related("user", "tenant")
                .filter(user=user, is_active=True)
                .first()
            )
            if membership is None or not session_membership_allowed(membership):
                return self.get_response(request)
            request.api_membership = membership
            request.tenant = tenant
            return self.get_response(request)


def session_membership_allowed(membership) -> bool:
    """Staff (not portal), with an authenticator where the office requires one for staff."""
    from allauth.mfa.utils import is_mfa_enabled

    if not membership.is_staff_role:
        return False
    return not membership.tenant.mfa_required_for_staff or is_mfa_enabled(membership.user)
