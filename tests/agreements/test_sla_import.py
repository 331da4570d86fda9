"""CSV import of SLA measurements: a preview with row errors, all or nothing, corrections."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import SlaMeasurement
from brm.audit.models import AuditEvent
from tests.agreements.conftest import agreement_in_force, months_ago, record
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db

HEADER = "line,period_start,period_end,actual_value,actual_workload,note\n"


@pytest.fixture
def line(world):
    return agreement_in_force(world)


def _url(tenant, name, line):
    return reverse(
        f"sla:{name}",
        kwargs={"tenant_slug": tenant.slug, "agreement_pk": line.version.agreement_id},
    )


def _upload(client, tenant, line, text):
    upload = SimpleUploadedFile("sla.csv", text.encode(), content_type="text/csv")
    return client.post(_url(tenant, "sla_import_upload", line), {"file": upload})


def _month(n):
    return months_ago(n)[0].isoformat()


def test_a_good_file_is_previewed_then_saved_as_imported_measurements(
    client, tenant_a, world, line
):
    client.force_login(world.rm.user)
    text = HEADER + f"erp-availability,{_month(1)},,99.8,400 users,ok\n"
    text += f'erp-availability,{_month(2)},,"99,1",,\n'  # a decimal comma
    assert _upload(client, tenant_a, line, text).status_code == 302
    preview = client.get(_url(tenant_a, "sla_import_preview", line))
    result = preview.context["result"]
    assert result.errors == [] and result.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert in_tenant(tenant_a, SlaMeasurement.objects.count) == 0  # a preview saves nothing
    digest = client.session[f"sla_import:{tenant_a.pk}:{line.version.agreement_id}"]["digest"]
    response = client.post(_url(tenant_a, "sla_import_preview", line), {"digest": digest})
    assert response.status_code == 302
    saved = in_tenant(tenant_a, lambda: list(SlaMeasurement.objects.order_by("period_start")))
    assert [(str(m.actual_value), m.source) for m in saved] == [
        ("99.1000", "imported"),
        ("99.8000", "imported"),
    ]


def test_a_file_with_a_wrong_row_lists_every_error_and_saves_nothing(client, tenant_a, world, line):
    client.force_login(world.rm.user)
    text = HEADER + (
        f"erp-availability,{_month(1)},,99.8,,\n"  # 2: fine
        f"erp-availability,{_month(1)},,99.9,,\n"  # 3: the same period twice
        f"no-such-line,{_month(2)},,99,,\n"  # 4: unknown key
        f"erp-availability,{months_ago(2)[0].replace(day=3)},,99,,\n"  # 5: not a whole month
        f"erp-availability,yesterday,,many,,\n"  # 6: a date and a number
        f"erp-availability,{_month(0)},,99,,\n"  # 7: not finished
        ",,,,,\n"  # blank: skipped
        f",{_month(3)},,,,\n"  # 9: line and actual missing
    )
    _upload(client, tenant_a, line, text)
    # The confirmation is not offered; posting it anyway saves nothing.
    preview = client.get(_url(tenant_a, "sla_import_preview", line))
    errors = [(e.line, e.column) for e in preview.context["result"].errors]
    assert errors == [
        (3, "period_start"),
        (4, "line"),
        (5, "period_start"),
        (6, "period_start"),
        (6, "actual_value"),
        (7, "period_end"),
        (9, "line"),
        (9, "actual_value"),
    ]
    assert "Confirm and save" not in preview.content.decode()
    digest = client.session[f"sla_import:{tenant_a.pk}:{line.version.agreement_id}"]["digest"]
    client.post(_url(tenant_a, "sla_import_preview", line), {"digest": digest})
    with in_tenant(tenant_a):
        assert not SlaMeasurement.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="sla_measurement").exists()


def test_a_row_for_a_measured_period_corrects_it(client, tenant_a, world, line):
    record(world, line, 1, "90")
    record(world, line, 2, "99.7")
    client.force_login(world.rm.user)
    text = HEADER + f"erp-availability,{_month(1)},,99.6,,\nerp-availability,{_month(2)},,99.7,,\n"
    _upload(client, tenant_a, line, text)
    result = client.get(_url(tenant_a, "sla_import_preview", line)).context["result"]
    assert result.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert result.rows[0].changes == ["actual_value"]
    digest = client.session[f"sla_import:{tenant_a.pk}:{line.version.agreement_id}"]["digest"]
    client.post(_url(tenant_a, "sla_import_preview", line), {"digest": digest})
    corrected = in_tenant(
        tenant_a, lambda: SlaMeasurement.objects.get(period_start=months_ago(1)[0])
    )
    assert str(corrected.actual_value) == "99.6000" and corrected.source == "imported"


def test_a_file_without_the_required_columns_is_refused_at_its_header(
    client, tenant_a, world, line
):
    client.force_login(world.rm.user)
    _upload(client, tenant_a, line, "line,when\nerp-availability,now\n")
    errors = client.get(_url(tenant_a, "sla_import_preview", line)).context["result"].errors
    assert [(e.line, e.column) for e in errors] == [
        (1, "when"),
        (1, "period_start"),
        (1, "actual_value"),
    ]


def test_the_template_has_every_column(client, tenant_a, world, line):
    client.force_login(world.rm.user)
    response = client.get(_url(tenant_a, "sla_import_template", line))
    assert response.content.decode().strip() == HEADER.strip()
