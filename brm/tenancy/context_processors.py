from django.utils.functional import SimpleLazyObject

from .selectors import memberships_for_user


def tenancy(request):
    user = getattr(request, "user", None)
    return {
        # Only a member is shown the office (its name is in every title): a signed-in outsider's
        # or an invitation link's error page tells nothing of it.
        "current_tenant": getattr(request, "tenant", None)
        if getattr(request, "membership", None)
        else None,
        "current_membership": getattr(request, "membership", None),
        # Read by the tenant middleware on /t/<slug>/ pages; elsewhere only when a page shows
        # the tenant switcher.
        "user_memberships": getattr(request, "user_memberships", None)
        or SimpleLazyObject(lambda: memberships_for_user(user)),
    }
