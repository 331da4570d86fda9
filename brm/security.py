"""Response headers of every answer that Django's SecurityMiddleware and django-csp do not set."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """`Permissions-Policy: camera=(), microphone=(), ...` on every response.

    The app uses none of these browser features; refusing them means a script that got onto a page
    (or a frame it opened) cannot ask the person for their camera, location or a payment.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
