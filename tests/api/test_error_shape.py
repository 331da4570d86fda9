"""Every 4xx answer has one shape: {"error": {"status", "code", "detail"[, "fields"]}}."""

import pytest

from tests.kit import client_for, make_key

pytestmark = pytest.mark.django_db

NOT_FOUND = {"status": 404, "code": "not_found", "detail": "Not found."}


def test_unknown_id_is_404_in_the_error_shape(read_client_a):
    response = read_client_a.get("/api/v1/members/987654321/")
    assert response.status_code == 404
    assert response.json() == {"error": NOT_FOUND}


def test_unknown_path_under_the_api_is_404_in_the_error_shape(read_client_a):
    for path in ("/api/v1/no-such-thing/", "/api/v1/members", "/api/v1/"):
        response = read_client_a.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"error": NOT_FOUND}


def test_invalid_input_is_400_with_field_errors(read_client_a):
    response = read_client_a.get("/api/v1/members/?role=emperor")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["code"] == "invalid"
    assert error["detail"] == "Invalid input."
    assert error["fields"] == {
        "role": ["Select a valid choice. emperor is not one of the available choices."]
    }


def test_service_validation_errors_are_400_with_field_errors():
    from django.core.exceptions import ValidationError

    from brm.api.exceptions import api_exception_handler

    response = api_exception_handler(ValidationError({"name": ["Give the key a name."]}), {})
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "status": 400,
            "code": "invalid",
            "detail": "Invalid input.",
            "fields": {"name": ["Give the key a name."]},
        }
    }


def test_service_permission_denied_is_403_with_its_message():
    from django.core.exceptions import PermissionDenied

    from brm.api.exceptions import api_exception_handler

    response = api_exception_handler(PermissionDenied("Only the customer can sign."), {})
    assert response.status_code == 403
    assert response.data["error"]["detail"] == "Only the customer can sign."


def test_a_number_where_text_belongs_is_a_field_error(tenant_a, admin_a):
    """DRF would store 0 as "0"; the schema says text, so the API refuses it."""
    client = client_for(make_key(tenant_a, "write")[1])
    response = client.post("/api/v1/services/", {"name": "ERP", "description": 0}, format="json")
    assert response.status_code == 400
    assert "description" in response.json()["error"]["fields"]


def test_nested_field_errors_are_flattened_into_the_fields_list_of_texts():
    from rest_framework.exceptions import ValidationError

    from brm.api.exceptions import api_exception_handler

    nested = {
        "questions": [{}, {"kind": ["Select a valid choice."], "text": ["Required."]}],
        "name": ["Too long."],
    }
    response = api_exception_handler(ValidationError(nested), {})
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {
        "questions": ["item 2: kind: Select a valid choice.", "item 2: text: Required."],
        "name": ["Too long."],
    }
