"""The page layer's pieces: access decorators, badges, the audited update and the history."""

import pytest
from django.db import models
from django.template import Context, Template

from brm.audit.history import history_context
from brm.audit.models import AuditEvent
from brm.audit.services import audited_update, changed_fields
from brm.tenancy.context import tenant_context
from brm.tenancy.models import STAFF_ROLES, WRITE_ROLES, Role
from brm.web.access import admin_required, roles_required, staff_required, write_required
from brm.web.badges import badge_colours
from customers import views as customer_views
from customers.models import BusinessExpectation, Customer
from tests.factories import ContactFactory, ExpectationFactory
from tests.kit import in_tenant


def test_roles_required_keeps_the_view_and_records_its_roles():
    def my_view(request):
        """Docs."""

    wrapped = roles_required(Role.ADMIN, Role.ANALYST)(my_view)
    assert wrapped.__name__ == "my_view" and wrapped.__doc__ == "Docs."
    assert wrapped.allowed_roles == frozenset({Role.ADMIN, Role.ANALYST})
    assert admin_required(my_view).allowed_roles == {Role.ADMIN}
    assert write_required(my_view).allowed_roles == WRITE_ROLES
    assert staff_required(my_view).allowed_roles == STAFF_ROLES
    assert customer_views.customer_create.allowed_roles == WRITE_ROLES
    assert customer_views.customer_list.allowed_roles == STAFF_ROLES


def test_roles_required_records_role_members_and_refuses_an_unknown_role():
    """The URL walk (tests/test_read_only_roles.py) compares `Role` members with what it finds."""

    def my_view(request):
        pass

    (recorded,) = roles_required("analyst")(my_view).allowed_roles
    assert type(recorded) is Role and recorded is Role.ANALYST
    with pytest.raises(ValueError, match="'analysts' is not a valid Role"):
        roles_required("analysts")


def test_roles_required_refuses_other_roles_before_the_view_runs(rf, tenant_a):
    from django.core.exceptions import PermissionDenied

    from tests.kit import make_member

    calls = []
    view = roles_required(Role.ADMIN)(lambda request: calls.append(request) or "shown")
    request = rf.get("/")
    request.membership = make_member(tenant_a, Role.ANALYST)
    with pytest.raises(PermissionDenied):
        view(request)
    request.membership = make_member(tenant_a, Role.ADMIN)
    assert view(request) == "shown" and len(calls) == 1


def test_badge_colours_must_cover_every_choice():
    with pytest.raises(ValueError, match="no badge colour"):

        @badge_colours(a="success")
        class Two(models.TextChoices):
            A = "a", "A"
            B = "b", "B"

    with pytest.raises(ValueError, match="Unknown badge colours"):
        badge_colours(a="pink")


@pytest.mark.django_db
def test_staff_and_portal_show_a_status_in_the_same_colour(tenant_a, customer_record):
    expectation = ExpectationFactory(customer=customer_record, status="proposed")
    html = Template("{% load brm_web %}{% status_badge e %}").render(Context({"e": expectation}))
    assert html == '<span class="badge text-bg-info" data-status="proposed">Proposed</span>'
    assert BusinessExpectation.Status.badge_colours["proposed"] == "info"
    customer = Template("{% load brm_web %}{% status_badge c %}").render(
        Context({"c": Customer(status="dormant")})
    )
    assert "text-bg-secondary" in customer and "Dormant" in customer


@pytest.mark.django_db
def test_audited_update_records_only_what_changed(tenant_a, admin_a, customer_record):
    with tenant_context(tenant_a):
        before = AuditEvent.objects.count()
        customer_record_division = customer_record.division
        other = ContactFactory(customer=customer_record, name="Otto Other")
        data = {
            "division": "Corporate",
            "counterpart": other,
            "business_manager": customer_record.business_manager,
            "notes": None,  # blank text is blank, whether None or ""
        }
        assert changed_fields(customer_record, data) == ["division", "counterpart"]
        changes = audited_update(
            customer_record, actor=admin_a.user, action="customer.updated", data=data
        )
        assert changes == {
            "division": [customer_record_division, "Corporate"],
            "counterpart": [None, "Otto Other"],
        }
        event = AuditEvent.objects.get(action="customer.updated")
        assert event.changes == changes and event.actor == admin_a.user
        assert (
            audited_update(
                customer_record, actor=admin_a.user, action="customer.updated", data=data
            )
            == {}
        )
        assert AuditEvent.objects.count() == before + 1


@pytest.mark.django_db
def test_history_reads_changes_in_words_and_hides_what_the_page_says(
    tenant_a, admin_a, customer_record
):
    from customers import services

    with tenant_context(tenant_a):
        contact = services.contact_create(
            actor=admin_a.user, customer=customer_record, name="Nia New", authority="decides"
        )
        context = history_context(
            [customer_record, contact], limit=5, hide_for={type(contact): {"customer"}}
        )
    row = context["history"][0]
    assert row["what"] == "Contact added" and row["created"]
    labels = dict(row["changes"])
    assert "customer" not in labels
    assert labels["authority"][1] == "Decides (budget mandate)"  # the choice label, not "decides"
    assert context["history_shown"] == 5


@pytest.mark.django_db
def test_the_generic_confirmation_page_takes_the_shell_of_who_asks(
    client, tenant_a, rm_a, customer_a, customer_record
):
    from tests.factories import ActionItemFactory

    contact = ContactFactory(customer=customer_record, membership=customer_a, name="Cleo")
    customer_record.business_manager = contact
    in_tenant(tenant_a, customer_record.save)
    item = ActionItemFactory(customer=customer_record, owner_contact=contact, title="Sign")
    client.force_login(customer_a.user)
    portal = client.get(f"/t/tenant-a/portal/action-items/{item.pk}/done/").content.decode()
    assert "Business portal" in portal and "Main navigation" not in portal
    assert "Mark “Sign” as done?" in portal
    client.force_login(rm_a.user)
    staff = client.get(f"/t/tenant-a/action-items/{item.pk}/done/").content.decode()
    assert "Main navigation" in staff and "Business portal" not in staff
