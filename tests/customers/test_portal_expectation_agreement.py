"""The customer agrees a proposed expectation on the portal; a purchaser (no mandate) cannot."""

import pytest
from django.urls import reverse

from brm.audit.models import AuditEvent
from brm.tenancy.models import Role
from customers.models import BusinessExpectation
from tests.factories import ContactFactory, ExpectationFactory, PurchaserFactory
from tests.kit import assert_audited, in_tenant, make_portal_member, refreshed

pytestmark = pytest.mark.django_db


@pytest.fixture
def expectation(tenant_a, customer_record):
    return ExpectationFactory(
        customer=customer_record,
        title="Payroll runs on time",
        acceptance_criteria="Salaries paid by the 25th",
        metrics="99.5% of runs on time",
    )


def _agree_url(tenant, expectation):
    return reverse(
        "customers:portal_expectation_agree",
        kwargs={"tenant_slug": tenant.slug, "pk": expectation.pk},
    )


def test_customer_agrees_a_proposed_expectation_after_seeing_what_is_agreed(
    client, tenant_a, customer_record, expectation
):
    bea = customer_record.business_manager
    member = make_portal_member(bea, Role.CUSTOMER)
    client.force_login(member.user)
    confirm = client.get(_agree_url(tenant_a, expectation)).content.decode()
    assert "I agree to “Payroll runs on time”" in confirm
    assert "Salaries paid by the 25th" in confirm and "99.5% of runs on time" in confirm

    response = client.post(_agree_url(tenant_a, expectation), follow=True)

    assert response.status_code == 200
    assert "You agreed" in response.content.decode()
    refreshed(expectation)
    assert_audited(tenant_a, "expectation.agreed", obj=expectation, actor=member.user)
    assert expectation.status == BusinessExpectation.Status.AGREED
    assert expectation.agreed_by_business_id == bea.pk
    assert expectation.agreed_at is not None


def test_an_agreed_expectation_is_not_agreed_twice(client, tenant_a, customer_record, expectation):
    member = make_portal_member(customer_record.business_manager, Role.CUSTOMER)
    client.force_login(member.user)
    client.post(_agree_url(tenant_a, expectation))
    response = client.post(_agree_url(tenant_a, expectation), follow=True)
    assert "Only a proposed expectation can be agreed." in response.content.decode()
    assert in_tenant(
        tenant_a, lambda: AuditEvent.objects.filter(action="expectation.agreed").count() == 1
    )


def test_purchaser_reads_the_expectation_but_gets_403_when_agreeing(
    client, tenant_a, customer_record, expectation
):
    unit = PurchaserFactory(customer=customer_record, name="Payroll")
    pat = ContactFactory(customer=customer_record, purchaser=unit, name="Pat Payroll")
    member = make_portal_member(pat, Role.PURCHASER)
    client.force_login(member.user)

    detail = client.get(
        reverse(
            "customers:portal_expectation",
            kwargs={"tenant_slug": tenant_a.slug, "pk": expectation.pk},
        )
    )
    assert detail.status_code == 200
    assert _agree_url(tenant_a, expectation) not in detail.content.decode()
    assert "I agree" not in client.get(_agree_url(tenant_a, expectation)).content.decode()

    assert client.post(_agree_url(tenant_a, expectation)).status_code == 403
    refreshed(expectation)
    assert expectation.status == BusinessExpectation.Status.PROPOSED
