from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from rest_framework import authentication, exceptions


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; the key was resolved (and its tenant entered) by
    brm.api.middleware.ApiKeyMiddleware.

    `request.user` is anonymous: a key stands for an integration, not a person. `request.auth` is
    the ApiKey. The API has no session authentication: a person's tenant comes from the /t/<slug>/
    pages, an integration's from its key (docs/decisions.md).
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
