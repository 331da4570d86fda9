"""The OpenAPI schema is generated, served without a key, documents every operation, and the
docs page works on a closed network (Swagger UI from local static files)."""

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema():
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_schema_renders_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/tenant/", "/api/v1/members/", "/api/v1/members/{id}/"} <= set(schema["paths"])


def test_every_operation_has_a_summary_or_description(schema):
    undocumented = [
        name
        for name, op in _operations(schema)
        if not (op.get("summary", "").strip() or op.get("description", "").strip())
    ]
    assert undocumented == []


def test_every_operation_documents_a_2xx_response(schema):
    missing = [
        name
        for name, op in _operations(schema)
        if not any(re.fullmatch(r"2\d\d", code) for code in op.get("responses", {}))
    ]
    assert missing == []


def test_every_operation_requires_the_bearer_key_or_a_staff_session(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    session = schema["components"]["securitySchemes"]["BrowserSession"]
    assert session == {**session, "type": "apiKey", "in": "cookie"}
    expected = [{"ApiKey": []}, {"BrowserSession": []}]
    unsecured = [name for name, op in _operations(schema) if op.get("security") != expected]
    assert unsecured == []


def test_error_answers_are_documented_with_the_error_shape(schema):
    retrieve = schema["paths"]["/api/v1/members/{id}/"]["get"]["responses"]
    for code in ("401", "404", "429"):
        ref = retrieve[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Error"


def test_api_keys_cannot_be_managed_through_the_api(schema):
    assert not [path for path in schema["paths"] if "key" in path.lower()]


def test_schema_generation_has_no_warnings():
    call_command("spectacular", "--fail-on-warn", "--file", "/dev/null")


def test_docs_page_loads_swagger_ui_from_local_static_files():
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    # No inline script or style (the CSP runs none): the start script is a file of its own.
    assert "<style" not in html
    assert not re.search(r"<script>", html)
    assert 'src="/api/v1/docs/?script="' in html
    script = APIClient().get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_every_operation_documents_the_error_codes_it_can_answer(schema):
    missing = []
    for name, op in _operations(schema):
        method, path = name.split(" ", 1)
        codes = {"401", "406", "429"}
        if method in ("POST", "PUT", "PATCH"):
            codes |= {"400", "403", "415"}
        if method == "DELETE":
            codes |= {"400", "403"}  # 400: the service refuses (a record that must be kept)
        if "{" in path:
            codes |= {"404"}
        if method == "GET" and "{" not in path and "results" in str(op["responses"]["200"]):
            codes |= {"400", "404"}  # a list: a malformed filter or page; a page past the last
        for code in sorted(codes - set(op["responses"])):
            missing.append(f"{name} {code}")
        for code, response in op["responses"].items():
            if code.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (name, code)
    assert missing == []


def test_an_endpoint_limited_to_some_roles_documents_403_on_reads(schema):
    assert "403" in schema["paths"]["/api/v1/members/"]["get"]["responses"]


def test_schemas_are_described_by_what_their_records_are_not_by_their_base_class(schema):
    import inspect

    from brm.api.serializers import TenantModelSerializer
    from customers.models import Customer, Purchaser

    components = schema["components"]["schemas"]
    base_doc = inspect.cleandoc(TenantModelSerializer.__doc__)
    leaking = [n for n, c in components.items() if c.get("description", "") == base_doc]
    assert leaking == []
    assert components["Customer"]["description"] == inspect.cleandoc(Customer.__doc__)
    assert components["PurchaserRequest"]["description"] == inspect.cleandoc(Purchaser.__doc__)
    undescribed = [
        n
        for n, c in components.items()
        if c.get("type") == "object" and "properties" in c and not c.get("description")
    ]
    assert undescribed == []


def test_id_filters_document_the_range_they_accept(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/purchasers/"]["get"]["parameters"]}
    assert parameters["customer"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2**63 - 1,
    }
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["minimum"] == 1


def test_request_text_fields_document_what_validation_refuses(schema, write_client_a, rm_a):
    """A NUL character, and a required text that is only whitespace (DRF trims it to blank)."""
    import re as regex

    name = schema["components"]["schemas"]["CustomerRequest"]["properties"]["name"]
    notes = schema["components"]["schemas"]["CustomerRequest"]["properties"]["notes"]
    text, blank = notes["oneOf"]
    assert not regex.search(name["pattern"], "   ")
    assert not regex.search(text["pattern"], "a\x00b")
    assert not regex.search(text["pattern"], "")  # else "" would match both alternatives
    assert blank["maxLength"] == 0
    body = {"name": "   ", "division": "x", "status": "active", "relationship_manager": rm_a.pk}
    response = write_client_a.post("/api/v1/customers/", body, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
