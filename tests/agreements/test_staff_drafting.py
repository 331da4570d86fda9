"""Drafting on the staff pages: start an agreement (from the list or the customer), write the
philosophy, add, edit, delete (confirmed) and reorder the rows of every section; bad input
re-renders the form with its message; a frozen version refuses every change."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import (
    ActionPlanRow,
    Agreement,
    AgreementVersion,
    EngagementRow,
    ObjectiveRow,
    PartnerPlanRow,
)
from customers.models import ActionItem
from tests.factories import ActionItemFactory, CustomerFactory
from tests.kit import assert_audited, in_tenant, refreshed

pytestmark = pytest.mark.django_db


def _url(tenant, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


@pytest.fixture
def rm(client, world):
    client.force_login(world.rm.user)
    return world.rm


def test_an_agreement_is_started_from_the_list_for_a_customer(client, tenant_a, world, rm):
    response = client.post(
        _url(tenant_a, "agreement_create"),
        {"customer": world.customer.pk, "relationship_philosophy": "Partners."},
    )
    version = in_tenant(tenant_a, lambda: AgreementVersion.objects.get())
    assert response.status_code == 302
    assert response.url == _url(tenant_a, "version_detail", pk=version.pk)
    assert (version.number, version.status, version.relationship_philosophy) == (
        1,
        "draft",
        "Partners.",
    )
    assert_audited(tenant_a, "agreement.created", actor=world.rm.user)


def test_an_agreement_is_started_from_the_customer_page(client, tenant_a, world, rm):
    customer_page = reverse(
        "customers:customer_detail", kwargs={"tenant_slug": tenant_a.slug, "pk": world.customer.pk}
    )
    start = _url(tenant_a, "agreement_create_for_customer", pk=world.customer.pk)
    assert start in client.get(customer_page).content.decode()
    client.post(start, {"relationship_philosophy": ""})
    assert (
        in_tenant(tenant_a, lambda: Agreement.objects.filter(customer=world.customer).count()) == 1
    )
    panel = client.get(customer_page).content.decode()
    assert "Open the agreement" in panel and start not in panel


def test_a_second_agreement_for_a_customer_is_refused_on_the_form(
    client, tenant_a, world, rm, page_draft
):
    response = client.post(
        _url(tenant_a, "agreement_create_for_customer", pk=world.customer.pk),
        {"relationship_philosophy": "Again"},
    )
    assert response.status_code == 200
    assert "has an agreement already" in response.content.decode()
    assert in_tenant(tenant_a, lambda: AgreementVersion.objects.count()) == 1


def test_the_start_page_offers_only_customers_without_an_agreement(
    client, tenant_a, world, rm, page_draft
):
    other = CustomerFactory(tenant=tenant_a, name="Sales", relationship_manager=world.rm)
    body = client.get(_url(tenant_a, "agreement_create")).content.decode()
    assert f'<option value="{other.pk}">Sales</option>' in body
    assert f'<option value="{world.customer.pk}">' not in body


def test_the_philosophy_of_a_draft_is_edited(client, tenant_a, rm, page_draft):
    response = client.post(
        _url(tenant_a, "version_edit", pk=page_draft.pk), {"relationship_philosophy": "New words."}
    )
    assert response.status_code == 302
    assert refreshed(page_draft).relationship_philosophy == "New words."


def test_the_draft_page_shows_every_section_with_its_editor(client, tenant_a, rm, page_draft):
    body = client.get(_url(tenant_a, "version_detail", pk=page_draft.pk)).content.decode()
    for section in ("partner_plan", "engagement", "objectives", "action_plan"):
        assert _url(tenant_a, "row_create", pk=page_draft.pk, section=section) in body
    assert "Bea Budget" in body and "Monthly, on the second Tuesday" in body
    assert "Close the books in 3 days" in body and "Map the close process" in body
    assert "Submit for signature" in body


def test_a_partner_plan_row_copies_the_contacts_details(client, tenant_a, world, rm, page_draft):
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="partner_plan"),
        {"contact": world.lina.pk, "role": "Line manager"},
    )
    assert response.status_code == 302
    row = in_tenant(tenant_a, lambda: PartnerPlanRow.objects.get(role="Line manager"))
    assert (row.name, row.email) == ("Lina Line", "lina@finance.example")


def test_a_partner_plan_row_needs_exactly_one_person(client, tenant_a, world, rm, page_draft):
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="partner_plan"),
        {"contact": world.lina.pk, "member": world.rm.pk, "role": "Both"},
    )
    assert response.status_code == 200
    assert "Name either a contact of the customer or a staff member." in response.content.decode()


def test_an_engagement_row_is_added_with_its_attendees_and_cadence(
    client, tenant_a, world, rm, page_draft
):
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="engagement"),
        {
            "meeting_type": "quarterly_initiative_review",
            "purpose": "Initiatives",
            "attendee_roles": "finance lead, service owner",
            "attendee_contact_ids": [world.bea.pk, world.lina.pk],
            "attendee_member_ids": [world.it_manager.pk],
            "frequency": "quarterly",
            "interval": "1",
            "weekday": "4",
            "week_of_month": "-1",
            "duration_minutes": "90",
        },
    )
    assert response.status_code == 302, response.content.decode()
    row = in_tenant(
        tenant_a, lambda: EngagementRow.objects.get(meeting_type="quarterly_initiative_review")
    )
    assert row.attendee_roles == ["finance lead", "service owner"]
    assert sorted(row.attendee_contact_ids) == sorted([world.bea.pk, world.lina.pk])
    assert row.attendee_member_ids == [world.it_manager.pk]
    body = client.get(_url(tenant_a, "version_detail", pk=page_draft.pk)).content.decode()
    assert "Quarterly, on the last Friday" in body and "Ivo IT" in body


def test_a_monthly_meeting_without_a_day_re_renders_with_the_models_message(
    client, tenant_a, rm, page_draft
):
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="engagement"),
        {
            "meeting_type": "monthly_service_review",
            "frequency": "monthly",
            "interval": "1",
            "duration_minutes": "60",
            "purpose": "Kept as typed",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A monthly meeting needs a day of the month or a weekday position." in body
    assert "Kept as typed" in body


def test_garbage_in_a_row_form_is_refused_field_by_field(client, tenant_a, rm, page_draft):
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="engagement"),
        {
            "meeting_type": "nonsense",
            "frequency": "1e309",
            "interval": "-1",
            "attendee_contact_ids": ["abc"],
            "weekday": "9",
            "week_of_month": "x",
            "duration_minutes": "9" * 40,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "meeting_type",
        "frequency",
        "interval",
        "attendee_contact_ids",
        "weekday",
        "week_of_month",
    }


def test_a_duration_out_of_range_is_refused_on_its_field(client, tenant_a, rm, page_draft):
    response = client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="engagement"),
        {
            "meeting_type": "annual_alignment",
            "frequency": "yearly",
            "interval": "1",
            "duration_minutes": "9" * 40,
        },
    )
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors


def test_an_unknown_section_is_404(client, tenant_a, rm, page_draft):
    assert (
        client.get(_url(tenant_a, "row_create", pk=page_draft.pk, section="nothing")).status_code
        == 404
    )


def test_an_action_plan_row_creates_the_customers_action_item(
    client, tenant_a, world, rm, page_draft
):
    client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="action_plan"),
        {
            "title": "Agree the budget calendar",
            "owner_contact": world.bea.pk,
            "due_date": "2027-03-01",
        },
    )
    item = in_tenant(tenant_a, lambda: ActionItem.objects.get(title="Agree the budget calendar"))
    assert item.source == ActionItem.Source.AGREEMENT and item.owner_contact_id == world.bea.pk
    row = in_tenant(tenant_a, lambda: ActionPlanRow.objects.get(action_item=item))
    assert (row.owner_name, row.due_date.isoformat()) == ("Bea Budget", "2027-03-01")


def test_an_action_plan_row_links_an_open_action_item_of_the_customer(
    client, tenant_a, world, rm, page_draft
):
    item = ActionItemFactory(customer=world.customer, title="Existing item", source="meeting")
    client.post(
        _url(tenant_a, "row_create", pk=page_draft.pk, section="action_plan"),
        {"action_item": item.pk},
    )
    assert in_tenant(tenant_a, lambda: ActionPlanRow.objects.filter(action_item=item).count()) == 1
    assert refreshed(item).source == ActionItem.Source.AGREEMENT


def test_editing_an_action_plan_row_edits_its_item(client, tenant_a, rm, page_draft):
    row = in_tenant(tenant_a, lambda: ActionPlanRow.objects.get())
    response = client.post(
        _url(tenant_a, "row_edit", section="action_plan", pk=row.pk),
        {"title": "Map the whole close", "due_date": "2027-01-31"},
    )
    assert response.status_code == 302
    assert refreshed(row).title == "Map the whole close"
    assert (
        in_tenant(tenant_a, lambda: ActionItem.objects.get(pk=row.action_item_id).title)
        == "Map the whole close"
    )


def test_a_partner_plan_row_moves_from_a_contact_to_a_staff_member(
    client, tenant_a, world, rm, page_draft
):
    row = in_tenant(tenant_a, lambda: PartnerPlanRow.objects.get())
    response = client.post(
        _url(tenant_a, "row_edit", section="partner_plan", pk=row.pk),
        {"member": world.it_manager.pk, "name": "Ivo IT", "title": "", "role": "IT manager"},
    )
    assert response.status_code == 302
    row = refreshed(row)
    assert (row.contact_id, row.member_id, row.name, row.title) == (
        None,
        world.it_manager.pk,
        "Ivo IT",
        "",
    )


def test_a_row_is_edited_with_its_values_shown_first(client, tenant_a, rm, page_draft):
    row = in_tenant(tenant_a, lambda: ObjectiveRow.objects.get())
    url = _url(tenant_a, "row_edit", section="objectives", pk=row.pk)
    assert "Close the books in 3 days" in client.get(url).content.decode()
    client.post(url, {"objective": "Close in 2 days", "status": "in_progress"})
    assert (refreshed(row).objective, row.status) == ("Close in 2 days", "in_progress")


def test_deleting_a_row_asks_first_and_its_action_item_goes_with_it(
    client, tenant_a, rm, page_draft
):
    row = in_tenant(tenant_a, lambda: ActionPlanRow.objects.get())
    url = _url(tenant_a, "row_delete", section="action_plan", pk=row.pk)
    page = client.get(url).content.decode()
    assert "will be deleted" in page and "Its action item is deleted with it" in page
    assert in_tenant(tenant_a, lambda: ActionPlanRow.objects.count()) == 1
    client.post(url)
    assert in_tenant(
        tenant_a, lambda: (ActionPlanRow.objects.count(), ActionItem.objects.count())
    ) == (0, 0)
    assert_audited(tenant_a, "agreement_action_plan_row.deleted")


def test_rows_are_reordered_one_step_at_a_time(client, tenant_a, world, rm, page_draft):
    with in_tenant(tenant_a):
        second = services.section_row_add(
            version=page_draft, section="objectives", actor=world.rm.user, objective="Second"
        )
    url = _url(tenant_a, "rows_reorder", pk=page_draft.pk, section="objectives")
    assert "Move up" in client.get(url).content.decode()
    assert client.post(url, {"row": second.pk, "direction": "up"}).status_code == 302
    order = in_tenant(
        tenant_a,
        lambda: list(
            services.section_rows(page_draft, "objectives").values_list("objective", flat=True)
        ),
    )
    assert order == ["Second", "Close the books in 3 days"]
    assert_audited(tenant_a, "agreement_objectives_rows.reordered")


def test_moving_a_row_of_another_section_or_garbage_changes_nothing(
    client, tenant_a, rm, page_draft
):
    other = in_tenant(tenant_a, lambda: EngagementRow.objects.get())
    url = _url(tenant_a, "rows_reorder", pk=page_draft.pk, section="objectives")
    for row in (other.pk, "abc", "9" * 30, ""):
        response = client.post(url, {"row": row, "direction": "down"}, follow=True)
        assert response.status_code == 200
    assert in_tenant(tenant_a, lambda: ObjectiveRow.objects.get().position) == 0


def test_a_version_in_signature_refuses_changes_on_its_forms(client, tenant_a, rm, page_submitted):
    response = client.post(
        _url(tenant_a, "version_edit", pk=page_submitted.pk), {"relationship_philosophy": "Changed"}
    )
    assert response.status_code == 200
    assert "only a draft can be changed" in response.content.decode()
    row = in_tenant(tenant_a, lambda: ObjectiveRow.objects.get())
    response = client.post(
        _url(tenant_a, "row_delete", section="objectives", pk=row.pk), follow=True
    )
    assert "only a draft can be changed" in response.content.decode()
    assert in_tenant(tenant_a, lambda: ObjectiveRow.objects.count()) == 1
    body = client.get(_url(tenant_a, "version_detail", pk=page_submitted.pk)).content.decode()
    assert _url(tenant_a, "row_create", pk=page_submitted.pk, section="objectives") not in body
