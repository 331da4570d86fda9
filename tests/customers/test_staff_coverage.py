"""The coverage page: designated IT contacts and named counterparts, overall and per RM."""

import pytest

from brm.tenancy.models import Role
from tests.factories import ContactFactory, CustomerFactory, PurchaserFactory
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(tenant_a, rm_a):
    """rm_a: 2 live customers (1 with a counterpart) with 3 purchasers (2 with an IT contact),
    plus a dormant one, left out. Olga: 1 customer with a counterpart, 1 purchaser without."""
    olga = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="olga@a.example", name="Olga")
    named = CustomerFactory(name="Finance", relationship_manager=rm_a)
    named.counterpart = ContactFactory(customer=named)
    in_tenant(tenant_a, named.save)
    unnamed = CustomerFactory(name="Human resources", relationship_manager=rm_a)
    PurchaserFactory(customer=named, name="Payroll", it_contact=rm_a)
    PurchaserFactory(customer=named, name="Treasury", it_contact=olga)
    PurchaserFactory(customer=unnamed, name="Recruiting")
    dormant = CustomerFactory(name="Old plant", status="dormant", relationship_manager=rm_a)
    PurchaserFactory(customer=dormant, name="Old unit")
    olgas = CustomerFactory(name="Logistics", relationship_manager=olga)
    olgas.counterpart = ContactFactory(customer=olgas)
    in_tenant(tenant_a, olgas.save)
    PurchaserFactory(customer=olgas, name="Warehouse")
    return {"olga": olga}


def rows(body):
    table = body.split('id="per-rm-heading"')[1].split("</table>")[0]
    return [
        " ".join(row.split()) for row in table.split("<tbody>")[1].split("</tr>") if "<th" in row
    ]


def test_overall_counts_and_percentages(client, tenant_a, admin_a, office):
    client.force_login(admin_a.user)
    response = client.get(f"/t/{tenant_a.slug}/coverage/")
    assert response.status_code == 200
    overall = response.context["overall"]
    assert (overall.customers, overall.customers_with_counterpart) == (3, 2)
    assert (overall.purchasers, overall.purchasers_with_it_contact) == (4, 2)
    body = response.content.decode()
    assert "66.7%" in body  # customers with a counterpart
    assert "50.0%" in body  # purchasers with an IT contact
    assert "2 of 3" in body and "2 of 4" in body


def test_one_row_per_relationship_manager(client, tenant_a, admin_a, rm_a, office):
    client.force_login(admin_a.user)
    response = client.get(f"/t/{tenant_a.slug}/coverage/")
    per_rm = {row["member"].pk: row for row in response.context["per_rm"]}
    assert set(per_rm) == {rm_a.pk, office["olga"].pk}
    mine = per_rm[rm_a.pk]
    assert (mine["cov"].customers, mine["cov"].customers_with_counterpart) == (2, 1)
    assert mine["customers_without_counterpart"] == 1
    assert (mine["cov"].purchasers, mine["cov"].purchasers_with_it_contact) == (3, 2)
    assert mine["purchasers_without_it_contact"] == 1
    olgas = per_rm[office["olga"].pk]
    assert (
        olgas["cov"].customers_with_counterpart_pct,
        olgas["purchasers_without_it_contact"],
    ) == (
        100.0,
        1,
    )
    table = rows(response.content.decode())
    assert len(table) == 2
    assert any("Olga" in row and "100.0%" in row for row in table)


def test_lists_what_is_missing(client, tenant_a, admin_a, office):
    client.force_login(admin_a.user)
    body = client.get(f"/t/{tenant_a.slug}/coverage/").content.decode()
    missing_counterpart = body.split('id="no-counterpart-heading"')[1].split("</section>")[0]
    assert "Human resources" in missing_counterpart
    assert "Finance" not in missing_counterpart
    assert "Old plant" not in missing_counterpart  # dormant customers are left out
    missing_it = body.split('id="no-it-contact-heading"')[1].split("</section>")[0]
    assert "Recruiting" in missing_it and "Warehouse" in missing_it
    assert "Payroll" not in missing_it and "Old unit" not in missing_it


def test_long_lists_are_capped_with_the_total(client, tenant_a, admin_a, rm_a):
    for i in range(30):
        CustomerFactory(name=f"Unit {i:02d}", relationship_manager=rm_a)
    client.force_login(admin_a.user)
    body = client.get(f"/t/{tenant_a.slug}/coverage/").content.decode()
    assert "The first 25 of 30, by name." in body
    assert "Unit 24" in body and "Unit 25" not in body


def test_empty_office_has_no_division_by_zero(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    body = client.get(f"/t/{tenant_a.slug}/coverage/").content.decode()
    assert "0.0%" in body
    assert "Every customer has a named counterpart." in body
