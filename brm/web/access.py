"""Who may open a page. The tenant middleware has already checked the membership; these narrow
a page to some roles. The roles are recorded on the view (`allowed_roles`, a frozenset of `Role`),
so a test walks every URL and checks each role against them (tests/test_read_only_roles.py): a
staff page records its roles even when every staff role may read it (`staff_required`)."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from brm.tenancy.models import STAFF_ROLES, WRITE_ROLES, Role


def roles_required(*roles):
    """Narrow a tenant page to these roles (403 for the others).

    `Role(...)` refuses a misspelt role here, at import, rather than lock everyone out later.
    """
    allowed = frozenset(Role(role) for role in roles)

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
# Pages every staff role reads (the middleware already keeps portal members out): recorded too,
# so that a page without recorded roles stands out.
staff_required = roles_required(*STAFF_ROLES)
