"""Every operation of the API, walked from its own OpenAPI schema by schemathesis.

Valid and invalid requests (parameters, bodies, path ids), in-process through the WSGI app, with
a write key of an office that has a row of every kind, so object routes reach real objects. Each
answer must not be a server error, must use a status code and content type the schema documents
for the operation, must match the documented response schema, and invalid data must be refused.
An endpoint added later is fuzzed the day it is routed: nothing here names one.
"""

import json
import os
import re
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from brm.tenancy.context import tenant_context
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    CustomerFactory,
    EngagementRowFactory,
    ExpectationFactory,
    ObjectiveRowFactory,
    PartnerPlanRowFactory,
    PurchaserFactory,
    RegisterItemFactory,
    received_complaint,
    sla_measured_agreement,
)
from tests.kit import make_key
from tests.meetings.builders import office_meetings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Fixed, so every run asks the same questions; a longer hunt: BRM_FUZZ_EXAMPLES=500 BRM_FUZZ_SEED=7.
SEED = int(os.environ.get("BRM_FUZZ_SEED", "20240611"))
# Per operation: about a minute and a half for the whole API on 2 cores.
EXAMPLES = int(os.environ.get("BRM_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def office(tenant_a, rm_a, customer_record, customer_a, settings):
    settings.API_THROTTLE_RATE = "1000000/min"  # the fuzzer is one very busy client
    purchaser = PurchaserFactory(customer=customer_record)
    ContactFactory(customer=customer_record, purchaser=purchaser)
    ExpectationFactory(customer=customer_record)
    RegisterItemFactory(customer=customer_record)
    ActionItemFactory(customer=customer_record)
    # An agreement with a draft that has a row in each section, for the versions' writes.
    version = AgreementVersionFactory(agreement=AgreementFactory(customer=customer_record))
    PartnerPlanRowFactory(version=version)
    EngagementRowFactory(version=version)
    ObjectiveRowFactory(version=version)
    # A customer has one agreement: the measured one is another customer's.
    sla_measured_agreement(CustomerFactory(tenant=tenant_a, relationship_manager=rm_a))
    office_meetings(tenant_a, rm_a, customer_record)
    # Complaints: a new one and one being worked on (its actions then reach their services).
    received_complaint(customer_record)
    _complaint_in_progress(received_complaint(customer_record, severity="high"))
    _kpi_snapshots(tenant_a)
    return tenant_a


def _kpi_snapshots(tenant):
    """Two snapshots for the KPI list: a figure with its interval, and one with nothing to show."""
    from datetime import date

    from reports.models import MetricSnapshot

    with tenant_context(tenant):
        for metric, value in (("nps", 20.0), ("csat", None)):
            MetricSnapshot.objects.create(
                day=date(2026, 10, 31),
                metric=metric,
                scope_kind="office",
                window="month",
                value=value,
                n=12,
                low=None if value is None else 5.0,
                high=None if value is None else 35.0,
            )


def _complaint_in_progress(complaint):
    from complaints import services

    with tenant_context(complaint.tenant_id):
        services.complaint_acknowledge(complaint=complaint, actor=complaint.owner)


@pytest.fixture
def write_key(office):
    return make_key(office, "write")[1]


@pytest.fixture
def existing_ids(office):
    """List path -> ids of that list's objects in the office, read through the API itself."""
    from tests.kit import client_for

    client = client_for(make_key(office, "read")[1])
    schema = client.get("/api/v1/schema/?format=json").json()
    ids = {}
    for path in schema["paths"]:
        if path.endswith("{id}/"):
            listing = client.get(path[: -len("{id}/")]).json()
            ids[path] = [row["id"] for row in listing.get("results", [])]
    return ids


@contextmanager
def _keeping_the_test_connection():
    """The WSGI app would close the connection at each request's end (Django's
    close_old_connections), the test's transaction with it; Django's test client does this too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _load_schema():
    # Generated as /api/v1/schema/ serves it (public, no database), when the module is collected.
    generator = SchemaGenerator()
    document = generator.get_schema(request=None, public=True)
    config = SchemathesisConfig.from_dict(
        {"seed": SEED, "generation": {"mode": "all", "max-examples": EXAMPLES}}
    )
    loaded = schemathesis.openapi.from_dict(
        json.loads(json.dumps(document, default=str)), config=config
    )
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_documents(db, case, write_key, existing_ids):
    ids = existing_ids.get(case.path)
    positive = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
    given = str((case.path_parameters or {}).get("id", ""))
    # Half the valid examples ask for a real object, so object routes do more than 404.
    if ids and positive and re.fullmatch(r"\d+", given) and int(given) % 2 == 0:
        case.path_parameters["id"] = ids[0]
    # Each example starts from the same rows: its writes are rolled back.
    with _keeping_the_test_connection(), transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Bearer {write_key}"}, checks=CHECKS)
        transaction.set_rollback(True)
