"""The SLA appendix staff page: the table of measurements per line and period, entering and
correcting a measurement, who may do what."""

import pytest
from django.urls import reverse

from agreements.models import SlaMeasurement
from brm.tenancy.models import Role
from tests.agreements.conftest import agreement_in_force, months_ago, record
from tests.factories import AgreementFactory, CustomerFactory
from tests.kit import assert_page_queries, in_tenant, make_member

pytestmark = pytest.mark.django_db


def _url(tenant, name, agreement_pk, **kwargs):
    return reverse(
        f"sla:{name}", kwargs={"tenant_slug": tenant.slug, "agreement_pk": agreement_pk, **kwargs}
    )


@pytest.fixture
def line(world):
    return agreement_in_force(world)


def test_the_table_shows_met_not_met_missing_and_the_attainment(client, tenant_a, world, line):
    record(world, line, 1, "99.9")
    record(world, line, 2, "97")
    client.force_login(world.rm.user)
    response = client.get(_url(tenant_a, "sla_table", line.version.agreement_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ERP · Availability" in html and "≥ 99.5 %" in html
    assert html.count(">Met<") == 1 and html.count(">Not met<") == 1
    assert html.count(">Missing<") == 4
    assert "100.0 %" in html and "0.0 %" in html
    assert f"{months_ago(1)[0]:%Y-%m}" in html


def test_the_table_page_reads_a_fixed_number_of_queries(client, tenant_a, world, line):
    for n in range(1, 7):
        record(world, line, n, "99.9")
    client.force_login(world.rm.user)
    assert_page_queries(client, _url(tenant_a, "sla_table", line.version.agreement_id), own=4)


def test_an_agreement_without_a_version_in_force_shows_an_empty_state(client, tenant_a, world):
    agreement = AgreementFactory(customer=world.customer)
    client.force_login(world.rm.user)
    response = client.get(_url(tenant_a, "sla_table", agreement.pk))
    assert response.status_code == 200
    assert "No version of this agreement is in force yet." in response.content.decode()
    assert "Enter a measurement" not in response.content.decode()


def test_another_offices_agreement_is_not_found(client, tenant_a, tenant_b, admin_b, world):
    foreign = AgreementFactory(
        customer=CustomerFactory(tenant=tenant_b, relationship_manager=admin_b)
    )
    client.force_login(world.rm.user)
    for name in ("sla_table", "sla_measurement_create", "sla_import_upload"):
        assert client.get(_url(tenant_a, name, foreign.pk)).status_code == 404


def test_a_measurement_is_entered_through_the_form(client, tenant_a, world, line):
    client.force_login(world.rm.user)
    start, end = months_ago(1)
    url = _url(tenant_a, "sla_measurement_create", line.version.agreement_id)
    form = client.get(url, {"line": line.pk, "period_start": start.isoformat()})
    assert form.context["form"].initial == {"line": line.pk, "period_start": start}
    response = client.post(
        url,
        {"line": line.pk, "period_start": start.isoformat(), "actual_value": "99.2", "note": "x"},
    )
    assert response.status_code == 302
    measurement = in_tenant(tenant_a, lambda: SlaMeasurement.objects.select_related("line").get())
    assert (measurement.period_end, measurement.source) == (end, "entered")
    assert measurement.target_met is False


def test_a_wrong_period_or_a_duplicate_re_renders_the_form_with_the_reason(
    client, tenant_a, world, line
):
    record(world, line, 1, "99.9")
    client.force_login(world.rm.user)
    url = _url(tenant_a, "sla_measurement_create", line.version.agreement_id)
    start = months_ago(1)[0]
    for data, message in (
        ({"period_start": start.replace(day=2).isoformat()}, "calendar month"),
        ({"period_start": start.isoformat()}, "has a measurement for the period"),
        ({"period_start": months_ago(0)[0].isoformat()}, "has not finished yet"),
        ({"period_start": "garbage", "actual_value": "lots"}, "Enter a valid date"),
    ):
        response = client.post(url, {"line": line.pk, "actual_value": "99", **data})
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert in_tenant(tenant_a, SlaMeasurement.objects.count) == 1


def test_a_measurement_is_corrected_through_its_form(client, tenant_a, world, line):
    measurement = record(world, line, 1, "90")
    client.force_login(world.rm.user)
    url = _url(tenant_a, "sla_measurement_edit", line.version.agreement_id, pk=measurement.pk)
    assert (
        client.post(url, {"actual_value": "99.6", "actual_workload": "350 users"}).status_code
        == 302
    )
    measurement = in_tenant(tenant_a, lambda: SlaMeasurement.objects.select_related("line").get())
    assert measurement.target_met is True and measurement.actual_workload == "350 users"


def test_another_agreements_measurement_is_not_found_under_this_one(client, tenant_a, world, line):
    measurement = record(world, line, 1, "90")
    other = AgreementFactory(
        customer=CustomerFactory(tenant=tenant_a, relationship_manager=world.rm)
    )
    client.force_login(world.rm.user)
    url = _url(tenant_a, "sla_measurement_edit", other.pk, pk=measurement.pk)
    assert client.get(url).status_code == 404


def test_an_analyst_reads_the_table_but_cannot_enter_or_import(client, tenant_a, world, line):
    analyst = make_member(tenant_a, Role.ANALYST)
    client.force_login(analyst.user)
    agreement_pk = line.version.agreement_id
    page = client.get(_url(tenant_a, "sla_table", agreement_pk))
    assert page.status_code == 200 and "Enter a measurement" not in page.content.decode()
    assert client.get(_url(tenant_a, "sla_measurement_create", agreement_pk)).status_code == 403
    assert client.get(_url(tenant_a, "sla_import_upload", agreement_pk)).status_code == 403
    assert client.post(_url(tenant_a, "sla_table", agreement_pk)).status_code == 405


@pytest.mark.parametrize("value", ["-8.6e192", "9" * 500, "0", "abc", "\x00", "' OR 1=1 --", ""])
def test_the_pages_take_any_query_string(client, tenant_a, world, line, value):
    client.force_login(world.rm.user)
    agreement_pk = line.version.agreement_id
    table = client.get(_url(tenant_a, "sla_table", agreement_pk), {"periods": value})
    assert table.status_code == 200
    if value:
        assert "is-invalid" in table.content.decode()
    form = client.get(
        _url(tenant_a, "sla_measurement_create", agreement_pk),
        {"line": value, "period_start": value},
    )
    assert form.status_code == 200
