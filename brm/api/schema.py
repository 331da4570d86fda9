"""OpenAPI (drf-spectacular): the Bearer key security scheme and the documented error shape."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorBodySerializer(serializers.Serializer):
    def get_fields(self):
        # `fields` is also the name of Serializer's own attribute, so it cannot be declared.
        return {
            "status": serializers.IntegerField(),
            "code": serializers.CharField(),
            "detail": serializers.CharField(),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                required=False,
                help_text="Messages by field name, for 400 validation errors only.",
            ),
        }


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    error = ErrorBodySerializer()


class BrmAutoSchema(AutoSchema):
    """Documents the error answers every operation can give, with their one shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["401", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["403"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400"]
        if "{" in self.path:
            codes += ["404"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "brm.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "brm_<prefix>_<secret>",
            "description": (
                "An API key made by an office admin (staff pages: API keys) or with "
                "`manage.py create_api_key`. The key chooses the office; read keys cannot write."
            ),
        }


class StaffSessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "brm.api.authentication.StaffSessionAuthentication"
    name = "BrowserSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": (
                "A signed-in staff member's browser session: requests work in the office of the "
                "last staff page they opened, with their role (analysts and steering read only). "
                "Writes need the CSRF token in the `X-CSRFToken` header."
            ),
        }
