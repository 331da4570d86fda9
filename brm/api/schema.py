"""OpenAPI (drf-spectacular): the Bearer key security scheme, the documented error answers of
every operation, descriptions in the domain's words, and the summaries of an area's CRUD."""

import inspect

from drf_spectacular.drainage import has_override
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from .serializers import StrictCharField


class ErrorBodySerializer(serializers.Serializer):
    """What went wrong: the HTTP status, a short machine code, a sentence, and for a 400 the
    messages of each field or parameter that was refused."""

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


def own_doc(cls) -> str:
    """The docstring written on `cls` itself, not one inherited from a base class (a serializer's
    base says how it is built, never what its records are). Django's generated model docstring
    ("Customer(id, tenant, ...)") is not one."""
    doc = cls.__dict__.get("__doc__") or ""
    if doc.startswith(f"{cls.__name__}("):
        return ""
    return inspect.cleandoc(doc)


def domain_description(serializer_class) -> str:
    """What a serializer's records are: its own docstring, else that of the model it serves."""
    doc = own_doc(serializer_class)
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if not doc and model is not None:
        doc = own_doc(model)
    return doc


# Non-empty: drf-spectacular documents an allowed blank as its own `oneOf` alternative.
TEXT_PATTERN = r"^[^\x00]+$"
NON_BLANK_TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


class BrmAutoSchema(AutoSchema):
    """Documents the error answers every operation can give, with their one shape, and describes
    each schema by what its records are in the domain."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        # 401 no or a bad key; 406 an Accept header without JSON; 429 the key's rate.
        codes = ["401", "406", "429"]
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes or getattr(self.view, "session_roles", None) is not None:
            codes += ["403"]  # a read key writing, or a browser session's role
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "415"]  # invalid body; a body that is not JSON
        if self.method == "DELETE":
            codes += ["400"]  # the service refuses: other records that must be kept name it
        if self._is_list_view():
            codes += ["400", "404"]  # a malformed filter or page; a page past the last
        if "{" in self.path:
            codes += ["404"]
        for code in sorted(set(codes)):
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and type(field) in (serializers.CharField, StrictCharField)
            and "pattern" not in schema
        ):
            # What DRF's CharField refuses and a bare `string` would allow: a NUL character, and
            # (unless blank is allowed) a value that is only whitespace, which it trims to "".
            if field.allow_blank or not field.trim_whitespace:
                schema["pattern"] = TEXT_PATTERN
            else:
                schema["pattern"] = NON_BLANK_TEXT_PATTERN
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if not has_override(serializer, "description"):
            description = domain_description(type(serializer))
            if description:
                schema["description"] = description
            else:
                schema.pop("description", None)
        return schema


def crud_docs(noun: str, plural: str, filters_text: str):
    """Summaries and descriptions of the list, retrieve, create, update and delete operations of
    one kind of record, in its own words: `@crud_docs("customer", "customers", "Filter by ...")`.
    """
    a = "an" if noun[0] in "aeiou" else "a"
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=f"{plural.capitalize()} of the office, paginated. {filters_text}",
        ),
        retrieve=extend_schema(
            summary=f"One {noun}", description=f"{a.capitalize()} {noun}, by id."
        ),
        create=extend_schema(
            summary=f"Create {a} {noun}", description=f"Creates {a} {noun}; the change is audited."
        ),
        update=extend_schema(
            summary=f"Replace {a} {noun}",
            description=f"Updates every field of {a} {noun}; the change is audited.",
        ),
        partial_update=extend_schema(
            summary=f"Update {a} {noun}", description=f"Updates some fields of {a} {noun}; audited."
        ),
        destroy=extend_schema(
            summary=f"Delete {a} {noun}",
            description=f"Deletes {a} {noun}; the deletion is audited.",
        ),
    )


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
