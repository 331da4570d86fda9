"""A draft is edited freely, section by section, and only while it is a draft."""

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import ActionPlanRow, AgreementVersion, PartnerPlanRow
from brm.tenancy.models import Role
from customers.models import ActionItem
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import assert_audited, make_member

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_a_draft_is_version_one_of_the_customers_new_agreement(tenant_a, world):
    version = services.agreement_draft_create(customer=world.customer, actor=world.rm.user)
    assert (version.number, version.status) == (1, AgreementVersion.Status.DRAFT)
    assert version.agreement.customer == world.customer
    assert_audited(tenant_a, "agreement.created", obj=version.agreement, actor=world.rm.user)


def test_a_customer_has_one_agreement(world, draft):
    with pytest.raises(ValidationError, match="has an agreement already"):
        services.agreement_draft_create(customer=world.customer, actor=world.rm.user)


def test_a_partner_plan_row_copies_the_contacts_details_as_of_this_version(world, draft):
    row = PartnerPlanRow.objects.get(version=draft)
    assert (row.name, row.email) == ("Bea Budget", "bea@finance.example")
    world.bea.name = "Bea Renamed"
    world.bea.save()
    row.refresh_from_db()
    assert row.name == "Bea Budget"


def test_a_partner_plan_row_names_a_contact_or_a_staff_member_not_both(world, draft):
    with pytest.raises(ValidationError, match="either a contact"):
        services.section_row_add(
            version=draft,
            section="partner_plan",
            actor=world.rm.user,
            contact=world.lina,
            member=world.rm,
            role="Both",
        )
    with pytest.raises(ValidationError, match="either a contact"):
        services.section_row_add(
            version=draft, section="partner_plan", actor=world.rm.user, name="Nobody", role="x"
        )


def test_a_partner_plan_staff_row_takes_the_members_name_and_email(world, draft):
    row = services.section_row_add(
        version=draft,
        section="partner_plan",
        actor=world.rm.user,
        member=world.it_manager,
        role="Escalation",
    )
    assert row.name == "Ivo IT" and row.email == world.it_manager.user.email


def test_a_contact_of_another_customer_cannot_be_in_the_partner_plan(world, draft):
    stranger = ContactFactory(customer=CustomerFactory(relationship_manager=world.rm))
    with pytest.raises(ValidationError, match="another customer"):
        services.section_row_add(
            version=draft,
            section="partner_plan",
            actor=world.rm.user,
            contact=stranger,
            role="x",
        )


def test_a_portal_member_cannot_own_an_objective_as_staff(world, draft):
    with pytest.raises(ValidationError, match="staff member"):
        services.section_row_add(
            version=draft,
            section="objectives",
            actor=world.rm.user,
            objective="x",
            owner_member=world.business_manager,
        )


@pytest.mark.parametrize(
    "frequency,extra,message",
    [
        ("monthly", {}, "day of the month or a weekday position"),
        ("monthly", {"month_day": 3, "weekday": 1, "week_of_month": 2}, "not both"),
        ("weekly", {"month_day": 3}, "weekday, not a day"),
        ("monthly", {"week_of_month": 2}, "needs a weekday"),
    ],
)
def test_an_engagement_frequency_must_be_one_a_calendar_can_express(
    world, draft, frequency, extra, message
):
    with pytest.raises(ValidationError, match=message):
        services.section_row_add(
            version=draft,
            section="engagement",
            actor=world.rm.user,
            meeting_type="quarterly_initiative_review",
            frequency=frequency,
            **extra,
        )


def test_an_other_meeting_needs_a_name_and_attendees_must_be_the_customers(world, draft):
    with pytest.raises(ValidationError, match="Name the meeting"):
        services.section_row_add(
            version=draft,
            section="engagement",
            actor=world.rm.user,
            meeting_type="other",
            frequency="yearly",
        )
    stranger = ContactFactory(customer=CustomerFactory(relationship_manager=world.rm))
    with pytest.raises(ValidationError, match="contacts of this customer"):
        services.section_row_add(
            version=draft,
            section="engagement",
            actor=world.rm.user,
            meeting_type="annual_alignment",
            frequency="yearly",
            attendee_contact_ids=[stranger.pk],
        )


def test_the_action_plan_is_the_customers_action_items_from_the_agreement(world, draft):
    row = ActionPlanRow.objects.get(version=draft)
    item = row.action_item
    assert item.customer == world.customer
    assert item.source == ActionItem.Source.AGREEMENT
    assert (row.title, row.owner_name) == ("Map the close process", world.rm.user.get_full_name())
    services.section_row_update(row=row, actor=world.rm.user, title="Map the year-end close")
    item.refresh_from_db()
    assert item.title == "Map the year-end close"


def test_removing_an_action_plan_row_from_a_draft_removes_its_item(world, draft):
    row = ActionPlanRow.objects.get(version=draft)
    item_id = row.action_item_id
    services.section_row_delete(row=row, actor=world.rm.user)
    assert not ActionItem.objects.filter(pk=item_id).exists()


def test_rows_are_reordered_and_the_order_must_name_every_row_once(tenant_a, world, draft):
    second = services.section_row_add(
        version=draft, section="objectives", actor=world.rm.user, objective="Second"
    )
    first = services.section_rows(draft, "objectives").first()
    services.section_rows_reorder(
        version=draft, section="objectives", order=[second.pk, first.pk], actor=world.rm.user
    )
    assert list(services.section_rows(draft, "objectives")) == [second, first]
    assert_audited(tenant_a, "agreement_objectives_rows.reordered", obj=draft)
    with pytest.raises(ValidationError, match="every row"):
        services.section_rows_reorder(
            version=draft, section="objectives", order=[second.pk], actor=world.rm.user
        )


def test_a_submitted_version_cannot_be_edited_in_any_section(world, draft):
    services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    row = PartnerPlanRow.objects.get(version=draft)
    refusals = [
        lambda: services.version_update(
            version=draft, actor=world.rm.user, relationship_philosophy="Changed"
        ),
        lambda: services.section_row_add(
            version=draft, section="objectives", actor=world.rm.user, objective="Late"
        ),
        lambda: services.section_row_update(row=row, actor=world.rm.user, role="Changed"),
        lambda: services.section_row_delete(row=row, actor=world.rm.user),
        lambda: services.section_rows_reorder(
            version=draft, section="partner_plan", order=[row.pk], actor=world.rm.user
        ),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match="only a draft can be changed"):
            refuse()


def test_a_staff_member_of_another_office_cannot_be_in_the_partner_plan(tenant_b, world, draft):
    outsider = make_member(tenant_b, Role.RELATIONSHIP_MANAGER, email="rm-b@example.test")
    with pytest.raises(ValidationError, match="staff member of the office"):
        services.section_row_add(
            version=draft,
            section="partner_plan",
            actor=world.rm.user,
            member=outsider,
            role="x",
            name="Outsider",
        )
