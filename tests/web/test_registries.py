"""A later area adds to the customer page, the navigation, the portal home, meetings' agendas and
the demo data through brm.web.registry, without a lower layer importing it."""

import io

import pytest
from django.core.management import call_command

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role, Tenant
from brm.web import registry
from tests.kit import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def restore():
    """Registrations made by a test are taken back after it."""
    added = []

    def add(reg, key, **kwargs):
        previous = reg.get(key)
        added.append((reg, key, previous))
        return reg.register(key, **kwargs)

    yield add
    for reg, key, previous in reversed(added):
        reg.unregister(key)
        if previous is not None:
            reg.add(previous)


def test_a_registered_panel_shows_on_the_customer_page_in_its_order(
    client, rm_a, customer_record, restore, settings, tmp_path
):
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "_panel.html").write_text(
        '<section id="extra-panel">Panel for {{ customer.name }}: {{ figure }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    seen = []

    def context(request, customer):
        seen.append((request.membership, customer.pk))
        return {"figure": 42}

    restore(
        registry.customer_panels,
        "extra",
        template="extra/_panel.html",
        context=context,
        order=65,  # between the register (60) and the action items (70)
    )
    client.force_login(rm_a.user)
    body = client.get(f"/t/{customer_record.tenant.slug}/customers/{customer_record.pk}/")
    body = body.content.decode()
    assert "Panel for Finance: 42" in body
    assert body.index('id="register"') < body.index("extra-panel") < body.index('id="actions"')
    assert seen == [(rm_a, customer_record.pk)]


def test_a_panel_whose_context_is_none_is_left_out(client, rm_a, customer_record, restore):
    restore(
        registry.customer_panels,
        "hidden",
        template="does/not/exist.html",
        context=lambda request, customer: None,
    )
    client.force_login(rm_a.user)
    response = client.get(f"/t/{customer_record.tenant.slug}/customers/{customer_record.pk}/")
    assert response.status_code == 200


def test_navigation_entries_show_to_their_roles_and_mark_the_page(client, tenant_a, restore):
    restore(
        registry.staff_nav,
        "office_only",
        label="Office settings link",
        url_name="tenancy:tenant_settings",
        order=50,
        roles={Role.ADMIN, Role.IT_MANAGER},
    )
    itm = make_member(tenant_a, Role.IT_MANAGER)
    analyst = make_member(tenant_a, Role.ANALYST)
    client.force_login(itm.user)
    body = client.get("/t/tenant-a/coverage/").content.decode()
    assert "Office settings link" in body
    assert '<a class="nav-link active" aria-current="page" href="/t/tenant-a/coverage/"' in body
    client.force_login(analyst.user)
    assert "Office settings link" not in client.get("/t/tenant-a/coverage/").content.decode()


def test_the_longest_prefix_is_the_active_entry(rf, tenant_a, rm_a):
    request = rf.get("/t/tenant-a/customers/mine/")
    request.tenant, request.membership = tenant_a, rm_a
    links = {link["key"]: link for link in registry.staff_nav.links(request)}
    assert links["my_customers"]["active"] and links["my_customers"]["current"]
    assert not links["customers"]["active"]
    request = rf.get("/t/tenant-a/customers/12/")
    request.tenant, request.membership = tenant_a, rm_a
    links = {link["key"]: link for link in registry.staff_nav.links(request)}
    assert links["customers"]["active"] and not links["customers"]["current"]


def test_agenda_providers_each_propose_items_in_order():
    providers = registry.AgendaRegistry("agenda providers under test")
    providers.register(
        "second",
        label="Second",
        propose=lambda meeting: [{"title": f"B for {meeting}"}],
        order=20,
    )
    providers.register(
        "first",
        label="First",
        propose=lambda meeting: [{"title": f"A for {meeting}"}, {"title": "A2"}],
        order=10,
    )
    proposals = providers.proposals("M1")
    assert proposals == [
        {"source": "first", "title": "A for M1"},
        {"source": "first", "title": "A2"},
        {"source": "second", "title": "B for M1"},
    ]


def test_seed_demo_runs_every_registered_contribution_in_its_tenant_once(restore):
    calls = []

    def seed(members):
        from customers.models import Customer

        calls.append((sorted(members), Customer.objects.count()))

    restore(registry.demo_data, "zz_later_area", seed=seed, order=500)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    # After the customers area's own data (order 10), in the demo office, on every run.
    assert len(calls) == 2
    emails, customers = calls[0]
    assert "rm@demo.example" in emails and customers == 4
    with tenant_context(Tenant.objects.get(slug="demo")):
        from customers.models import Customer

        assert Customer.objects.count() == 4  # the customers seed is idempotent


def test_registry_entries_are_read_in_order_then_key():
    keys = [entry.key for entry in registry.staff_nav]
    assert keys[0] == "overview"
    assert keys.index("customers") < keys.index("my_customers") < keys.index("members")


def test_a_home_provider_draws_the_staff_home_for_its_roles_and_may_pass(client, restore, tenant_a):
    from django.http import HttpResponse

    analyst = make_member(tenant_a, Role.ANALYST)
    admin = make_member(tenant_a, Role.ADMIN)
    restore(
        registry.staff_home_providers,
        "test_pass",
        roles=[Role.ANALYST, Role.ADMIN],
        render=lambda request: None,
        order=1,
    )
    restore(
        registry.staff_home_providers,
        "test_home",
        roles=[Role.ANALYST],
        render=lambda request: HttpResponse("The analyst's own home"),
        order=2,
    )
    home = f"/t/{tenant_a.slug}/"
    client.force_login(analyst.user)
    assert client.get(home).content == b"The analyst's own home"
    client.force_login(admin.user)
    body = client.get(home).content.decode()
    assert "Staff members" in body and "own home" not in body
