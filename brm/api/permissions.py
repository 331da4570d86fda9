from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from brm.tenancy.context import current_tenant_id_or_none

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
        if not isinstance(api_key, ApiKey):
            return False  # DRF answers 401: no authenticator succeeded
        if current_tenant_id_or_none() != api_key.tenant_id:
            raise RuntimeError("The API request does not run in its key's tenant.")
        return request.method in permissions.SAFE_METHODS or api_key.can_write
