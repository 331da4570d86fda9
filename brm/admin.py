from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse


class SuperuserAdminSite(AdminSite):
    """/admin/ is for operators (superusers) only, never for a tenant's staff.

    It has no sign-in form of its own: everyone signs in through allauth (rate limits, MFA),
    and a superuser must have an authenticator (TOTP) unless BRM_ADMIN_MFA_REQUIRED is off.
    """

    site_header = "BRM Office operations"

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_superuser):
            return False
        return not settings.BRM_ADMIN_MFA_REQUIRED or _mfa_used_this_session(request)

    def login(self, request, extra_context=None):
        user = request.user
        if not user.is_authenticated:
            query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
            return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        if user.is_active and user.is_superuser:
            from allauth.mfa.utils import is_mfa_enabled

            # An authenticator, used in this very session: set one up, or confirm with it.
            step = "mfa_reauthenticate" if is_mfa_enabled(user) else "mfa_activate_totp"
            query = urlencode({"next": reverse("admin:index")})
            return HttpResponseRedirect(f"{reverse(step)}?{query}")
        raise PermissionDenied


def _mfa_used_this_session(request) -> bool:
    """The operator proved an authenticator in this session (sign-in or re-authentication),
    not merely owns one."""
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.utils import is_mfa_enabled

    if not is_mfa_enabled(request.user):
        return False
    records = get_authentication_records(request, request.user)
    return any(r.get("method") == "mfa" for r in records)


class BrmAdminConfig(AdminConfig):
    default_site = "brm.admin.SuperuserAdminSite"
