"""Reads of the SLA appendix: the table of lines by period, attainment per period, the last
finished period's attainment per agreement, and the seed measure per office and per RM."""

from decimal import Decimal

import pytest

from agreements import selectors, services
from agreements.models import Agreement
from brm.tenancy.models import Role
from tests.agreements.conftest import months_ago
from tests.factories import CustomerFactory, ServiceFactory
from tests.kit import make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _record(world, line, n, value):
    period = months_ago(n)
    return services.sla_measurement_record(
        line=line,
        period_start=period[0],
        period_end=period[1],
        actual_value=Decimal(value),
        actor=world.rm.user,
    )


def test_the_table_shows_each_line_by_the_last_finished_months_met_not_met_or_missing(
    world, sla_line
):
    _record(world, sla_line, 1, "99.9")
    _record(world, sla_line, 2, "98")
    agreement = sla_line.version.agreement
    (table,) = selectors.sla_measurement_table(agreement, version=sla_line.version)
    assert table.kind == "month" and len(table.periods) == 6
    assert table.periods[-1] == months_ago(1) and table.labels[-1] == f"{months_ago(1)[0]:%Y-%m}"
    (row,) = table.rows
    assert row.line == sla_line
    assert [cell.state for cell in row.cells] == ["missing"] * 4 + ["not_met", "met"]
    assert [(a.measured, a.met, a.percent) for a in table.attainment][-3:] == [
        (0, 0, None),
        (1, 0, 0.0),
        (1, 1, 100.0),
    ]


def test_the_table_takes_a_number_of_periods(world, sla_line):
    agreement = sla_line.version.agreement
    (table,) = selectors.sla_measurement_table(agreement, version=sla_line.version, count=12)
    assert len(table.periods) == 12


def test_an_agreement_without_a_version_in_force_has_no_table(draft):
    assert selectors.version_in_force(draft.agreement) is None
    assert selectors.sla_measurement_table(draft.agreement, version=None) == []


def test_attainment_per_period_is_lines_met_of_lines_measured(world, sla_line):
    _record(world, sla_line, 1, "99.9")
    _record(world, sla_line, 2, "90")
    figures = selectors.sla_attainment_by_period()
    assert [(f.start, f.measured, f.met, f.percent) for f in figures] == [
        (months_ago(2)[0], 1, 0, 0.0),
        (months_ago(1)[0], 1, 1, 100.0),
    ]
    assert selectors.sla_attainment_by_period(since=months_ago(1)[0])[0].percent == 100.0


def test_the_agreements_list_can_show_the_last_finished_periods_attainment(world, sla_line):
    _record(world, sla_line, 1, "99.9")
    _record(world, sla_line, 2, "90")
    other = services.agreement_draft_create(
        customer=CustomerFactory(relationship_manager=world.rm), actor=world.rm.user
    )
    rows = {a.pk: a for a in selectors.with_sla_attainment(selectors.agreement_list())}
    measured = rows[sla_line.version.agreement_id]
    assert (measured.sla_measured, measured.sla_met, measured.sla_attainment) == (1, 1, 100.0)
    unmeasured = rows[other.agreement_id]
    assert (unmeasured.sla_measured, unmeasured.sla_attainment) == (0, None)


def test_the_seed_measure_is_given_per_relationship_manager(tenant_a, world, sla_line):
    _record(world, sla_line, 1, "99.9")
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="rm2@example.test")
    customer = CustomerFactory(relationship_manager=other_rm, name="Sales")
    version = services.agreement_draft_create(customer=customer, actor=world.rm.user)
    assert Agreement.objects.count() == 2
    by_rm = dict(selectors.sla_attainment_by_rm())
    assert list(by_rm) == [world.rm]
    assert [(f.measured, f.met) for f in by_rm[world.rm]] == [(1, 1)]
    assert selectors.sla_attainment_by_period(relationship_manager=other_rm) == []
    assert version.status == "draft"


def test_quarterly_lines_have_a_table_of_their_own(world, draft):
    services.section_row_add(
        version=draft,
        section="sla",
        actor=world.rm.user,
        service=ServiceFactory(name="Payroll"),
        metric="Runs on time",
        target_value=Decimal("100"),
        period="quarter",
    )
    tables = selectors.sla_measurement_table(draft.agreement, version=draft)
    assert [(t.kind, len(t.periods), len(t.rows)) for t in tables] == [
        ("month", 6, 1),
        ("quarter", 4, 1),
    ]
