from django.utils.functional import SimpleLazyObject

from .selectors import memberships_for_user


def tenancy(request):
    user = getattr(request, "user", None)
    return {
        "current_tenant": getattr(request, "tenant", None),
        "current_membership": getattr(request, "membership", None),
        # Read by the tenant middleware on /t/<slug>/ pages; elsewhere only when a page shows
        # the tenant switcher.
        "user_memberships": getattr(request, "user_memberships", None)
        or SimpleLazyObject(lambda: memberships_for_user(user)),
    }
