"""`make run`'s demo office: every role can sign in, realistic records, safe to run twice."""

import pytest
from django.core.management import call_command

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
        assert ActionItem.objects.count() == 5
        assert Contact.objects.filter(membership__isnull=False).count() == 3
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
