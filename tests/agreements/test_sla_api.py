"""/api/v1/sla-lines/ (read) and /api/v1/sla-measurements/ (list, create, correct)."""

import pytest

from agreements.models import SlaMeasurement
from tests.agreements.conftest import agreement_in_force, months_ago, record
from tests.factories import ServiceFactory
from tests.kit import api_client, assert_api_queries, in_tenant

pytestmark = pytest.mark.django_db

LINES = "/api/v1/sla-lines/"
MEASUREMENTS = "/api/v1/sla-measurements/"


@pytest.fixture
def line(world):
    return agreement_in_force(world)


def _post(api, line, n=1, value="99.8", **extra):
    start, end = months_ago(n)
    body = {"line": line.pk, "period_start": start.isoformat(), "actual_value": value, **extra}
    return api.post(MEASUREMENTS, body, format="json")


def test_the_lines_are_listed_with_their_agreement_and_filtered(tenant_a, world, line):
    api = api_client(tenant_a, "read")
    (item,) = api.get(LINES, {"agreement": line.version.agreement_id}).json()["results"]
    assert item["key"] == "erp-availability" and item["target_value"] == "99.5000"
    assert item["customer"] == world.customer.pk and item["version"] == line.version_id
    assert api.get(LINES, {"kind": "ola"}).json()["count"] == 0
    assert api.get(LINES, {"customer": world.customer.pk}).json()["count"] == 1
    assert api.get(f"{LINES}{line.pk}/").json() == item


def test_the_lines_cannot_be_written_through_the_api(tenant_a, line):
    api = api_client(tenant_a, "write")
    assert api.post(LINES, {"metric": "x"}, format="json").status_code == 405
    assert api.patch(f"{LINES}{line.pk}/", {"metric": "x"}, format="json").status_code == 405


def test_a_measurement_is_posted_with_source_api(tenant_a, world, line):
    api = api_client(tenant_a, "write")
    response = _post(api, line, actual_workload="390 users")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "api" and body["target_met"] is True
    assert body["period_end"] == months_ago(1)[1].isoformat()
    assert body["line_key"] == "erp-availability"
    assert body["agreement"] == line.version.agreement_id


def test_a_second_measurement_for_the_same_line_and_period_is_a_400_on_the_period(
    tenant_a, world, line
):
    api = api_client(tenant_a, "write")
    assert _post(api, line).status_code == 201
    response = _post(api, line, value="12")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "has a measurement for the period starting" in fields["period_start"][0]


def test_a_period_that_is_not_a_whole_month_or_not_finished_is_a_400(tenant_a, line):
    api = api_client(tenant_a, "write")
    start = months_ago(1)[0]
    body = {"line": line.pk, "period_start": start.replace(day=5).isoformat(), "actual_value": 1}
    assert "period_start" in api.post(MEASUREMENTS, body, format="json").json()["error"]["fields"]
    assert "period_end" in _post(api, line, n=0).json()["error"]["fields"]


def test_a_measurement_is_corrected_but_keeps_its_line_and_period(tenant_a, world, line):
    measurement = record(world, line, 1, "90")
    api = api_client(tenant_a, "write")
    url = f"{MEASUREMENTS}{measurement.pk}/"
    response = api.patch(url, {"actual_value": "99.9", "note": "recount"}, format="json")
    assert response.status_code == 200 and response.json()["target_met"] is True
    moved = api.patch(url, {"period_start": months_ago(2)[0].isoformat()}, format="json")
    assert moved.status_code == 400 and "period_start" in moved.json()["error"]["fields"]
    saved = in_tenant(tenant_a, lambda: SlaMeasurement.objects.get(pk=measurement.pk))
    assert saved.period_start == months_ago(1)[0] and saved.source == "api"


def test_measurements_are_filtered_by_line_customer_and_period(tenant_a, world, line):
    for n in (1, 2, 3):
        record(world, line, n, "99.9")
    api = api_client(tenant_a, "read")
    assert api.get(MEASUREMENTS, {"line": line.pk}).json()["count"] == 3
    assert api.get(MEASUREMENTS, {"customer": world.customer.pk}).json()["count"] == 3
    start = months_ago(2)[0].isoformat()
    assert api.get(MEASUREMENTS, {"period_start": start}).json()["count"] == 1
    assert api.get(MEASUREMENTS, {"period_from": start}).json()["count"] == 2
    assert api.get(MEASUREMENTS, {"period_to": "not-a-date"}).status_code == 400


def test_the_measurement_list_reads_a_fixed_number_of_queries(tenant_a, world, line):
    for n in range(1, 7):
        record(world, line, n, "99.9")
    assert_api_queries(api_client(tenant_a, "read"), MEASUREMENTS, own=2)


def test_a_read_key_cannot_post_a_measurement(tenant_a, line):
    assert _post(api_client(tenant_a, "read"), line).status_code == 403


def test_a_draft_line_cannot_be_measured_through_the_api(tenant_a, world, line):
    from agreements import services

    with in_tenant(tenant_a):
        draft = services.version_revise(version=line.version, actor=world.rm.user)
        services.section_row_add(
            version=draft,
            section="sla",
            actor=world.rm.user,
            service=ServiceFactory(name="CRM"),
            metric="Availability",
            target_value="99",
        )
        new_line = services.section_rows(draft, "sla").get(key="crm-availability")
    response = _post(api_client(tenant_a, "write"), new_line)
    assert response.status_code == 400
    assert "Only lines of a version in force" in response.json()["error"]["fields"]["line"][0]
