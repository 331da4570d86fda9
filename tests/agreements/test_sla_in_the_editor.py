"""The SLA appendix is a section of the agreement like the others: drafted in the section
editor, shown on the agreement page, its changes named in compare, the page linking to its
measurements and the PDF."""

import pytest
from django.urls import reverse

from agreements import presentation, services
from agreements.models import SlaLine
from tests.agreements.conftest import sign_all
from tests.factories import ServiceFactory
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db


def _url(tenant, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def test_a_service_level_is_added_to_a_draft_from_the_section_editor(
    client, tenant_a, world, page_draft
):
    client.force_login(world.rm.user)
    desk = ServiceFactory(tenant=tenant_a, name="Service desk")
    url = _url(tenant_a, "row_create", pk=page_draft.pk, section="sla")
    assert "Target" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "sla",
            "service": desk.pk,
            "metric": "Incidents resolved within target",
            "target_value": "90",
            "unit": "%",
            "direction": "at_least",
            "period": "month",
            "workload_limit": "Up to 300 incidents a month",
            "exceptions": "",
            "owner": "",
        },
    )
    assert response.status_code == 302
    line = in_tenant(tenant_a, lambda: SlaLine.objects.get(version=page_draft, service=desk))
    assert line.key == "service-desk-incidents-resolved-within-target"
    page = client.get(_url(tenant_a, "version_detail", pk=page_draft.pk)).content.decode()
    assert "Appendix: service levels (SLA and OLA)" in page
    assert "Service desk: Incidents resolved within target" in page and "≥ 90 %" in page


def test_a_service_level_without_a_target_re_renders_with_its_message(
    client, tenant_a, world, page_draft
):
    client.force_login(world.rm.user)
    desk = ServiceFactory(tenant=tenant_a, name="Service desk")
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="sla"),
        {"kind": "sla", "service": desk.pk, "metric": "Speed", "direction": "at_least"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not in_tenant(tenant_a, lambda: SlaLine.objects.filter(service=desk).exists())


def test_compare_names_a_changed_target_of_the_same_line(tenant_a, world, page_draft):
    with in_tenant(tenant_a):
        services.version_submit(version=page_draft, actor=world.rm.user, signers=world.signers)
        sign_all(page_draft, world)
        revised = services.version_revise(version=page_draft, actor=world.rm.user)
        line = SlaLine.objects.get(version=revised)
        services.section_row_update(row=line, actor=world.rm.user, target_value="99.7")
        changes = presentation.compare_versions(page_draft, revised)
    (sla,) = [s for s in changes["sections"] if s.key == "sla"]
    (row,) = sla.rows
    assert row.change == "changed"
    assert [(c.old, c.new) for c in row.cells if c.changed] == [("≥ 99.5 %", "≥ 99.7 %")]


def test_the_agreement_page_links_its_pdf_and_its_sla_measurements(
    client, tenant_a, world, page_in_force
):
    client.force_login(world.it_manager.user)
    agreement_pk = page_in_force.agreement_id
    page = client.get(_url(tenant_a, "agreement_detail", pk=agreement_pk)).content.decode()
    assert (
        reverse(
            "agreement_pdf:version_pdf",
            kwargs={"tenant_slug": tenant_a.slug, "pk": page_in_force.pk},
        )
        in page
    )
    assert (
        reverse(
            "sla:sla_table", kwargs={"tenant_slug": tenant_a.slug, "agreement_pk": agreement_pk}
        )
        in page
    )


def test_the_agreements_list_shows_and_sorts_by_last_months_sla_attainment(client, tenant_a, world):
    from tests.agreements.conftest import agreement_in_force, record

    line = agreement_in_force(world)
    record(world, line, 1, "99.9")
    client.force_login(world.rm.user)
    page = client.get(_url(tenant_a, "agreement_list") + "?sort=-sla").content.decode()
    assert "SLA met, last month" in page
    assert "100 %" in page and "1 of 1" in page
