"""The cross-tenant isolation harness for the REST API, shared by every area.

Operations are read from the generated OpenAPI schema, so a new endpoint is covered the moment it
is routed. An operation whose path takes a parameter must say how to make such an object in a
given tenant (`register_api(path)` in tests/<area>/isolation_cases.py); the harness fails for any
that has not. A write whose serializer has a relation to a tenant-owned model needs a factory for
that model (`register_related(label)`). With tenant A's (write) key it checks:
  * tenant B's object answers 404 on every operation that names an object;
  * lists hold none of tenant B's rows (the MARKER rows of tests/isolation.py);
  * a write that references one of tenant B's ids is rejected exactly like an unknown id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient

from brm.api.services import api_key_create
from brm.tenancy.context import tenant_context
from brm.tenancy.models import TenantOwnedModel

# Schema path, e.g. "/api/v1/members/{id}/" -> function(tenant) -> path parameters of an object.
API_OBJECT_FACTORIES: dict[str, Callable] = {}
# Model label, e.g. "tenancy.membership" -> function(tenant) -> pk of such a row in that tenant.
RELATED_OBJECT_FACTORIES: dict[str, Callable] = {}

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
WRITE_METHODS = {"POST", "PUT", "PATCH"}
UNKNOWN_PK = 987_654_321


def register_api(path: str):
    def decorator(func):
        API_OBJECT_FACTORIES[path] = func
        return func

    return decorator


def register_related(model_label: str):
    def decorator(func):
        RELATED_OBJECT_FACTORIES[model_label] = func
        return func

    return decorator


@dataclass(frozen=True)
class ApiOperation:
    path: str  # as in the schema: "/api/v1/members/{id}/"
    method: str  # "GET"
    params: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, **params) -> str:
        return self.path.format(**params)


def api_operations(urlconf=None) -> list[ApiOperation]:
    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
            params = tuple(p["name"] for p in parameters if p["in"] == "path")
            operations.append(ApiOperation(path, method.upper(), params))
    return operations


def missing_object_factories(operations) -> list[str]:
    return [str(op) for op in operations if op.params and op.path not in API_OBJECT_FACTORIES]


def client_with_key(tenant, scope="write") -> APIClient:
    with tenant_context(tenant):
        _key, raw = api_key_create(name="isolation harness", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def object_params(op: ApiOperation, tenant) -> dict:
    return API_OBJECT_FACTORIES[op.path](tenant) if op.params else {}


def call(client, op: ApiOperation, params: dict, body=None):
    data = json.dumps(body or {}) if op.method in WRITE_METHODS else ""
    return client.generic(op.method, op.url(**params), data, content_type="application/json")


def writable_relations(op: ApiOperation, params: dict, urlconf=None) -> list[tuple[str, str, bool]]:
    """(field, model label, many) for each writable relation to a tenant-owned model."""
    match = resolve(op.url(**params), urlconf=urlconf)
    view_class = getattr(match.func, "cls", None)
    if view_class is None or not hasattr(view_class, "get_serializer_class"):
        return []
    view = view_class(**getattr(match.func, "initkwargs", {}))
    actions = getattr(match.func, "actions", None) or {}
    view.action_map = actions
    view.action = actions.get(op.method.lower())
    view.request, view.format_kwarg, view.args, view.kwargs = None, None, (), match.kwargs
    serializer = view.get_serializer_class()(context={})
    relations = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        many = isinstance(field, ManyRelatedField)
        relation = field.child_relation if many else field
        model = getattr(getattr(relation, "queryset", None), "model", None)
        if (
            isinstance(relation, RelatedField)
            and model is not None
            and issubclass(model, TenantOwnedModel)
        ):
            relations.append((name, model._meta.label_lower, many))
    return relations


def _field_answer(response, field: str, pk: int):
    fields = (
        response.json().get("error", {}).get("fields", {}) if response.status_code == 400 else {}
    )
    return response.status_code, [
        str(m).replace(f'"{pk}"', '"<pk>"') for m in fields.get(field, [])
    ]


def cross_tenant_reference_failures(client_a, tenant_a, tenant_b, operations, urlconf=None):
    """Every write referencing tenant B's id must answer like one referencing an unknown id."""
    failures = []
    for op in (o for o in operations if o.method in WRITE_METHODS):
        params = object_params(op, tenant_a)
        for field, label, many in writable_relations(op, params, urlconf):
            factory = RELATED_OBJECT_FACTORIES.get(label)
            if factory is None:
                failures.append(f"{op} {field}: register_related({label!r}) in isolation_cases")
                continue
            b_pk = factory(tenant_b)
            answers = {}
            for pk in (b_pk, UNKNOWN_PK):
                response = call(client_a, op, params, {field: [pk] if many else pk})
                answers[pk] = _field_answer(response, field, pk)
            b_answer, unknown_answer = answers[b_pk], answers[UNKNOWN_PK]
            if b_answer != unknown_answer or b_answer[0] != 400 or not b_answer[1]:
                failures.append(f"{op} {field}: B's id {b_answer}, unknown id {unknown_answer}")
    return failures
