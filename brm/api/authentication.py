from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from rest_framework import authentication, exceptions


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; the key was resolved (and its tenant entered) by
    brm.api.middleware.ApiKeyMiddleware.

    `request.user` is anonymous: a key stands for an integration, not a person. `request.auth` is
    the ApiKey. A person in the browser is `StaffSessionAuthentication` (docs/decisions.md).
    """

    def authenticate(self, request):
        django_request = request._request
        if not getattr(django_request, "api_key_checked", False):
            raise ImproperlyConfigured(
                "ApiKeyAuthentication needs brm.api.middleware.ApiKeyMiddleware for this path."
            )
        if django_request.api_key_error:
            raise exceptions.AuthenticationFailed(django_request.api_key_error)
        if django_request.api_key is None:
            return None
        return AnonymousUser(), django_request.api_key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) with this challenge when credentials are missing or bad.
        return 'Bearer realm="api"'


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """The signed-in staff member's browser session, in the office of their last staff page.

    brm.api.middleware.ApiKeyMiddleware resolved (and entered) that office and checked the
    membership; `request.auth` is the Membership. CSRF is enforced for writes, as on the pages.
    """

    def authenticate(self, request):
        django_request = request._request
        membership = getattr(django_request, "api_membership", None)
        if membership is None or django_request.api_key_error:
            return None
        user = getattr(django_request, "user", None)
        if user is None or not user.is_active or user.pk != membership.user_id:
            return None
        self.enforce_csrf(request)
        return user, membership
