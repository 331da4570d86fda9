"""Who may open a page. The tenant middleware has already checked the membership; these narrow
a page to some roles. The roles are recorded on the view (`allowed_roles`), so a test can walk
every URL and check each role against them."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from brm.tenancy.models import WRITE_ROLES, Role


def roles_required(*roles):
    """Narrow a tenant page to these roles (403 for the others)."""
    allowed = frozenset(roles)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.membership is None or request.membership.role not in allowed:
                raise PermissionDenied(_("Your role does not give access to this page."))
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator


admin_required = roles_required(Role.ADMIN)
write_required = roles_required(*WRITE_ROLES)
