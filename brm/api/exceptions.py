"""One error shape for every 4xx answer of the API:

    {"error": {"status": 400, "code": "invalid", "detail": "Invalid input.",
               "fields": {"name": ["This field is required."]}}}

`fields` is there for 400 validation errors only, each field with a list of messages (a nested
serializer's errors are flattened into it: "item 2: kind: ..."). Services raise Django's
ValidationError and PermissionDenied; they are answered like DRF's own.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        # Not Django's "No Membership matches the given query.": another tenant's id and an id
        # that never existed must read the same.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling, logged
    response.data = {"error": error_body(exc, response.status_code)}
    return response


def error_body(exc: exceptions.APIException, status: int) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail
        if not isinstance(fields, dict):
            fields = {api_settings.NON_FIELD_ERRORS_KEY: fields}
        return {
            "status": status,
            "code": "invalid",
            "detail": _("Invalid input."),
            "fields": {name: messages(value) for name, value in fields.items()},
        }
    detail = exc.detail
    code = detail.code if isinstance(detail, ErrorDetail) else exc.default_code
    return {"status": status, "code": code, "detail": str(detail)}


def messages(detail, prefix: str = "") -> list[str]:
    """A field's errors as a flat list of texts: a list's entries in turn, a nested object's
    errors prefixed with the item number and field name they belong to."""
    if isinstance(detail, dict):
        return [
            text for name, value in detail.items() for text in messages(value, f"{prefix}{name}: ")
        ]
    if isinstance(detail, list | tuple):
        if any(isinstance(item, dict | list | tuple) for item in detail):
            found = []
            for number, item in enumerate(detail, start=1):
                if isinstance(item, dict | list | tuple):
                    found += messages(item, f"{prefix}{_('item')} {number}: ")
                else:
                    found.append(f"{prefix}{item}")
            return found
        return [f"{prefix}{item}" for item in detail]
    return [f"{prefix}{detail}"]
