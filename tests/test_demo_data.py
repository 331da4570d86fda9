"""`make run`'s demo office: every role can sign in, realistic records, safe to run twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Signature, SlaMeasurement
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant
from customers.models import ActionItem, Contact, Customer

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_creates_one_office_with_its_records_and_sign_ins(client):
    call_command("seed_demo")
    call_command("seed_demo")
    tenant = Tenant.objects.get(slug="demo")
    with tenant_context(tenant):
        assert Customer.objects.count() == 4
        assert ActionItem.objects.count() == 6  # one of them from the agreement's action plan
        assert Contact.objects.filter(membership__isnull=False).count() == 3
        finance = Agreement.objects.get(customer__name="Finance")
        v1, v2 = AgreementVersion.objects.filter(agreement=finance).order_by("number")
        assert (v1.status, v2.status) == ("in_force", "in_signature")
        assert v1.in_force_at < timezone.now() - timedelta(days=180)
        assert SlaMeasurement.objects.filter(line__version=v1).count() == 6 * 4
        awaited = Signature.objects.filter(version=v2, status="pending")
        assert sorted(awaited.values_list("user__email", flat=True)) == [
            "customer@demo.example",
            "line@demo.example",
        ]
        sales = AgreementVersion.objects.get(agreement__customer__name="Sales & Marketing")
        assert sales.status == "draft"
    for email, password, home in [
        ("admin@demo.example", "demo-admin-pass", "/t/demo/"),
        ("rm@demo.example", "demo-rm-pass", "/t/demo/"),
        ("itm@demo.example", "demo-itm-pass", "/t/demo/"),
        ("customer@demo.example", "demo-customer-pass", "/t/demo/portal/"),
        ("line@demo.example", "demo-line-pass", "/t/demo/portal/"),
        ("purchaser@demo.example", "demo-purchaser-pass", "/t/demo/portal/"),
    ]:
        assert client.login(email=email, password=password), email
        assert client.get(home).status_code == 200
        client.logout()
