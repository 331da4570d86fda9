"""The SLA and OLA appendix of a version: lines naming catalogue services, with a stable key."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import SlaLine
from brm.tenancy.models import Role
from tests.agreements.conftest import sign_all
from tests.factories import ServiceFactory
from tests.kit import assert_audited, make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _add(world, version, **values):
    data = {
        "metric": "Calls answered within 30 s",
        "target_value": Decimal("80"),
        "unit": "%",
        "direction": "at_least",
        "period": "month",
    }
    data.update(values)
    data.setdefault("service", ServiceFactory())
    return services.section_row_add(version=version, section="sla", actor=world.rm.user, **data)


def test_an_sla_line_gets_a_stable_key_from_its_service_and_metric(tenant_a, world, draft):
    line = _add(world, draft, kind="ola", service=ServiceFactory(name="Service desk"))
    assert line.key == "service-desk-calls-answered-within-30-s"
    assert line.kind == "ola" and line.position == 1
    assert_audited(tenant_a, "agreement_sla_row.created", obj=line, actor=world.rm.user)


def test_a_version_has_one_line_per_service_and_metric(world, draft):
    erp = SlaLine.objects.get(version=draft).service
    with pytest.raises(ValidationError) as caught:
        _add(world, draft, service=erp, metric="Availability")
    assert "a line for this service and metric already" in caught.value.message_dict["metric"][0]


def test_an_sla_line_names_a_service_of_the_same_office(tenant_b, world, draft):
    foreign = ServiceFactory(tenant=tenant_b, name="Their ERP")
    with pytest.raises(ValidationError) as caught:
        _add(world, draft, service=foreign)
    assert "service" in caught.value.message_dict


def test_an_sla_lines_owner_is_a_staff_member_of_the_office(world, draft):
    with pytest.raises(ValidationError) as caught:
        _add(world, draft, owner=world.business_manager)
    assert "owner" in caught.value.message_dict
    line = _add(world, draft, owner=world.it_manager)
    assert line.owner == world.it_manager


def test_the_owner_falls_back_to_the_service_owner_then_the_relationship_manager(
    tenant_a, world, draft
):
    line = SlaLine.objects.get(version=draft)
    assert services.sla_line_owner(line) == world.rm
    owner = make_member(tenant_a, Role.IT_MANAGER, email="ops@example.test")
    line.service.owner = owner
    line.service.save()
    assert services.sla_line_owner(line) == owner
    services.section_row_update(row=line, actor=world.rm.user, owner=world.it_manager)
    assert services.sla_line_owner(line) == world.it_manager


def test_changing_the_metric_of_a_draft_line_derives_a_new_key_unless_one_is_given(world, draft):
    line = SlaLine.objects.get(version=draft)
    services.section_row_update(row=line, actor=world.rm.user, metric="Availability in hours")
    assert line.key == "erp-availability-in-hours"
    services.section_row_update(row=line, actor=world.rm.user, key="ERP uptime", metric="Uptime")
    assert line.key == "erp-uptime"
    services.section_row_update(row=line, actor=world.rm.user, target_value=Decimal("99.9"))
    assert line.key == "erp-uptime"


def test_a_line_needs_a_metric_and_a_target(world, draft):
    with pytest.raises(ValidationError) as caught:
        _add(world, draft, metric="", target_value=None)
    assert {"metric", "target_value"} <= set(caught.value.message_dict)


def test_the_lines_are_part_of_the_content_and_its_hash(world, draft):
    before = services.content_sha256(draft)
    line = SlaLine.objects.get(version=draft)
    services.section_row_update(row=line, actor=world.rm.user, target_value=Decimal("99.9"))
    assert services.content_sha256(draft) != before


def test_sla_lines_are_reordered_like_the_other_sections(world, draft):
    second = _add(world, draft)
    first = SlaLine.objects.get(version=draft, position=0)
    services.section_rows_reorder(
        version=draft, section="sla", order=[second.pk, first.pk], actor=world.rm.user
    )
    assert [row.pk for row in services.section_rows(draft, "sla")] == [second.pk, first.pk]


def test_a_submitted_versions_lines_cannot_be_added_changed_or_deleted(world, draft):
    line = SlaLine.objects.get(version=draft)
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    for attempt in (
        lambda: _add(world, draft),
        lambda: services.section_row_update(row=line, actor=world.rm.user, metric="x"),
        lambda: services.section_row_delete(row=line, actor=world.rm.user),
    ):
        with pytest.raises(ValidationError, match="only a draft can be changed"):
            attempt()


def test_a_revision_copies_the_lines_with_their_keys(world, draft):
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    sign_all(draft, world)
    revision = services.version_revise(version=draft, actor=world.rm.user)
    original = SlaLine.objects.get(version=draft)
    copy = SlaLine.objects.get(version=revision)
    assert copy.pk != original.pk
    assert (copy.key, copy.target_value, copy.workload_limit, copy.exceptions) == (
        original.key,
        original.target_value,
        original.workload_limit,
        original.exceptions,
    )


def test_a_target_is_met_by_direction():
    at_least = SlaLine(target_value=Decimal("99.5"), direction="at_least")
    at_most = SlaLine(target_value=Decimal("4"), direction="at_most")
    assert at_least.met_by("99.5") and not at_least.met_by("99.4999")
    assert at_most.met_by("4") and at_most.met_by("0") and not at_most.met_by("4.01")
