from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from brm.tenancy.context import current_tenant_id_or_none
from brm.tenancy.models import Membership

from .models import ApiKey


class ApiKeyScopePermission(permissions.BasePermission):
    """A valid key is required; a read key may only read.

    DRF checks permissions before it looks for a handler, so a read key's POST to a read-only
    endpoint answers 403 (the key may not write) before 405 (the endpoint cannot be written).
    It also re-checks that the request runs in the key's tenant, so a view mounted outside the
    middleware's reach fails closed instead of running unscoped.
    """

    message = _("This API key is read-only.")

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        if isinstance(api_key, Membership):
            return self._session_permission(request, view, api_key)
        if not isinstance(api_key, ApiKey):
            return False  # DRF answers 401: no authenticator succeeded
        if current_tenant_id_or_none() != api_key.tenant_id:
            raise RuntimeError("The API request does not run in its key's tenant.")
        return request.method in permissions.SAFE_METHODS or api_key.can_write

    def _session_permission(self, request, view, membership) -> bool:
        if current_tenant_id_or_none() != membership.tenant_id:
            raise RuntimeError("The API request does not run in its member's tenant.")
        roles = getattr(view, "session_roles", None)
        if roles is not None and membership.role not in roles:
            self.message = _("Your role cannot use this endpoint.")
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = _("Your role has read-only access.")
        # Staff roles that change records on the pages change them over the API too.
        return membership.can_write
