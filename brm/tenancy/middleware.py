import re
from urllib.parse import urlencode, urlsplit

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import tenant_context
from .models import Tenant
from .selectors import memberships_for_user

API_TENANT_KEY = "brm_api_tenant_id"  # read by brm.api.middleware (SESSION_TENANT_KEY)
TENANT_PATH = re.compile(r"^/t/(?P<slug>[-a-zA-Z0-9_]+)/")
# Under /t/<slug>/ but reached before membership exists: the invitation link.
PUBLIC_PREFIXES = ("invitation/",)


def same_origin_navigation(request) -> bool:
    """Whether the request comes from this site's own pages or the address bar.

    Only such a request may move the browser API's office: a link on another site must not
    choose where the API calls of the person's open tabs land. Browsers send Sec-Fetch-Site
    (`none` for a typed address or a bookmark); without it, the Origin or Referer must name this
    host. A request with none of them (a page that stripped its Referer) does not count.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return False
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.scheme}://{request.get_host()}"


class TenantMiddleware:
    """Resolves the tenant from the /t/<slug>/ prefix and checks the user's membership there.

    The rest of the request (view and template rendering) runs inside `tenant_context`, i.e. in
    one transaction with `app.tenant_id` set for row-level security. A tenant the user is not a
    member of answers 404, like one that does not exist. Staff and portal are kept apart here,
    once, so no page can forget: a portal member on a staff URL gets 403, and the reverse.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.membership = None
        match = TENANT_PATH.match(request.path_info)
        if not match:
            return self.get_response(request)
        tenant = Tenant.objects.filter(slug=match["slug"], is_active=True).first()
        if tenant is None:
            raise Http404(_("No such BRM office."))
        rest = request.path_info[match.end() :]
        # Dates and times on the tenant's pages are shown in the office's time zone.
        with tenant_context(tenant), timezone.override(tenant.zone):
            request.tenant = tenant
            if rest.startswith(PUBLIC_PREFIXES):
                return self.get_response(request)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # One read gives this office's membership and the office switcher's list.
            memberships = memberships_for_user(request.user)
            request.user_memberships = memberships
            membership = next((m for m in memberships if m.tenant_id == tenant.pk), None)
            if membership is None:
                request.tenant = None  # the not-found page shows nothing of the office
                raise Http404(_("No such BRM office."))
            request.membership = membership
            on_portal = rest == "portal" or rest.startswith("portal/")
            if membership.is_portal != on_portal:
                raise PermissionDenied(
                    _("This page is for BRM office staff.")
                    if membership.is_portal
                    else _("This page is for the business portal.")
                )
            if (
                membership.is_staff_role
                and tenant.mfa_required_for_staff
                and not is_mfa_enabled(request.user)
            ):
                message = _(
                    "%(tenant)s requires two-factor authentication for staff. Set it up to go on."
                )
                messages.warning(request, message % {"tenant": tenant.name})
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
            if (
                membership.is_staff_role
                and request.session.get(API_TENANT_KEY) != tenant.pk
                and same_origin_navigation(request)
            ):
                request.session[API_TENANT_KEY] = tenant.pk  # the browser's API works here
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The slug did its work above; views get request.tenant instead of a kwarg.
        view_kwargs.pop("tenant_slug", None)
        return None
