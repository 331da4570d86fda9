"""Measurements of the SLA appendix: one per agreement, line key and whole calendar period,
measured against the line of the version in force for that period; "met" is derived."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements import periods, services
from agreements.models import SlaLine, SlaMeasurement
from tests.agreements.conftest import backdate_in_force, months_ago, sign_all
from tests.kit import assert_audited

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _record(world, line, period, value="99.7", **extra):
    return services.sla_measurement_record(
        line=line,
        period_start=period[0],
        period_end=period[1],
        actual_value=Decimal(value),
        actor=world.rm.user,
        **extra,
    )


def test_a_measurement_is_recorded_for_a_finished_month_and_audited(tenant_a, world, sla_line):
    period = months_ago(1)
    measurement = _record(world, sla_line, period, actual_workload="380 users", note="Fine")
    assert (measurement.line, measurement.line_key) == (sla_line, "erp-availability")
    assert measurement.agreement == sla_line.version.agreement
    assert (measurement.period_start, measurement.period_end) == period
    assert measurement.source == "entered" and measurement.recorded_by == world.rm.user
    assert measurement.target_met is True
    assert_audited(tenant_a, "sla_measurement.recorded", obj=measurement, actor=world.rm.user)


def test_a_second_measurement_of_the_same_period_is_refused_with_a_clear_message(world, sla_line):
    _record(world, sla_line, months_ago(1))
    with pytest.raises(ValidationError) as caught:
        _record(world, sla_line, months_ago(1), value="90")
    assert (
        "has a measurement for the period starting" in caught.value.message_dict["period_start"][0]
    )
    assert SlaMeasurement.objects.count() == 1


def test_the_period_end_follows_from_the_lines_period_when_not_given(world, sla_line):
    start = months_ago(2)[0]
    measurement = services.sla_measurement_record(
        line=sla_line, period_start=start, actual_value=Decimal("99"), actor=world.rm.user
    )
    assert measurement.period_end == months_ago(2)[1]


@pytest.mark.parametrize(
    "shift_start, shift_end",
    [(1, 0), (0, -1), (0, 1), (-1, 0)],
    ids=["late", "short", "long", "early"],
)
def test_a_period_must_be_a_whole_calendar_month(world, sla_line, shift_start, shift_end):
    start, end = months_ago(2)
    period = (start + timedelta(days=shift_start), end + timedelta(days=shift_end))
    with pytest.raises(ValidationError) as caught:
        _record(world, sla_line, period)
    assert "calendar month" in str(caught.value)


def test_a_quarterly_line_is_measured_by_whole_quarters(world, sla_line):
    draft = services.version_revise(version=sla_line.version, actor=world.rm.user)
    line = SlaLine.objects.get(version=draft)
    services.section_row_update(row=line, actor=world.rm.user, period="quarter")
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign_all(draft, world)
    backdate_in_force(draft, 200)
    quarter = periods.last_finished("quarter", timezone.localdate())
    with pytest.raises(ValidationError, match="calendar quarter"):
        _record(world, line, (quarter[0], quarter[0] + timedelta(days=30)))
    assert _record(world, line, quarter).line == line


def test_a_period_that_has_not_finished_cannot_be_measured(world, sla_line):
    with pytest.raises(ValidationError) as caught:
        _record(world, sla_line, months_ago(0))
    assert "has not finished yet" in caught.value.message_dict["period_end"][0]


def test_a_line_of_a_draft_cannot_be_measured(world, draft):
    line = SlaLine.objects.get(version=draft)
    with pytest.raises(ValidationError) as caught:
        _record(world, line, months_ago(1))
    assert "Only lines of a version in force" in caught.value.message_dict["line"][0]


def test_a_period_before_any_version_was_in_force_cannot_be_measured(world, sla_line):
    backdate_in_force(sla_line.version, 1)
    with pytest.raises(ValidationError) as caught:
        _record(world, sla_line, months_ago(3))
    assert "No version in force for this period" in caught.value.message_dict["line"][0]


def test_measurements_continue_across_versions_each_against_the_version_then_in_force(
    world, sla_line
):
    v1 = sla_line.version
    draft = services.version_revise(version=v1, actor=world.rm.user)
    line_v2 = SlaLine.objects.get(version=draft)
    services.section_row_update(row=line_v2, actor=world.rm.user, target_value=Decimal("99.9"))
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign_all(draft, world)
    # Version 2 came into force during the month before last.
    backdate_in_force(draft, (timezone.localdate() - months_ago(2)[0]).days - 3)
    v1.refresh_from_db()
    assert v1.status == "superseded"
    older = _record(world, sla_line, months_ago(3), value="99.7")
    newer = _record(world, sla_line, months_ago(1), value="99.7")  # the superseded line's id
    assert older.line == sla_line and older.target_met is True
    assert newer.line == line_v2 and newer.target_met is False  # 99.7 < 99.9
    assert older.line_key == newer.line_key == "erp-availability"


def test_met_is_derived_from_the_actual_target_and_direction(world, sla_line):
    measurement = _record(world, sla_line, months_ago(1), value="99.4")
    assert measurement.target_met is False
    services.sla_measurement_update(
        measurement=measurement, actor=world.rm.user, actual_value=Decimal("99.5")
    )
    assert SlaMeasurement.objects.get(pk=measurement.pk).target_met is True


def test_a_correction_changes_the_actual_not_the_period_and_is_audited(tenant_a, world, sla_line):
    measurement = _record(world, sla_line, months_ago(1), value="90")
    services.sla_measurement_update(
        measurement=measurement,
        actor=world.rm.user,
        actual_value=Decimal("99.8"),
        note="Recounted",
        period_start=date(2000, 1, 1),
    )
    measurement.refresh_from_db()
    assert measurement.actual_value == Decimal("99.8") and measurement.note == "Recounted"
    assert measurement.period_start == months_ago(1)[0]
    event = assert_audited(tenant_a, "sla_measurement.updated", obj=measurement)
    assert event.changes["actual_value"] == ["90.0000", "99.8"]


def test_the_database_keeps_one_measurement_per_agreement_key_and_period(world, sla_line):
    first = _record(world, sla_line, months_ago(1))
    twin = SlaMeasurement(
        agreement=first.agreement,
        line_key=first.line_key,
        line=first.line,
        period_start=first.period_start,
        period_end=first.period_end,
        actual_value=Decimal("1"),
    )
    with (
        pytest.raises(IntegrityError, match="sla_measurement_one_per_period"),
        transaction.atomic(),
    ):
        twin.save()
