from django.utils.functional import SimpleLazyObject

from .selectors import memberships_for_user


def tenancy(request):
    user = getattr(request, "user", None)
    return {
        "current_tenant": getattr(request, "tenant", None),
        "current_membership": getattr(request, "membership", None),
        # Queried only when a page shows the tenant switcher.
        "user_memberships": SimpleLazyObject(lambda: memberships_for_user(user)),
    }
