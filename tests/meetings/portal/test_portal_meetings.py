"""The portal's meetings: a customer reads every meeting of their customer, a purchaser only the
ones they were invited to; the agenda without withdrawn items, the minutes only once published;
another customer's or another office's meeting is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem
from tests.factories import ContactFactory, CustomerFactory
from tests.kit import in_tenant, make_member, make_portal_member
from tests.meetings.builders import held, one_off

pytestmark = pytest.mark.django_db


def _list(tenant):
    return reverse("meetings:portal_meeting_list", kwargs={"tenant_slug": tenant.slug})


def _page(tenant, meeting):
    return reverse("meetings:portal_meeting", kwargs={"tenant_slug": tenant.slug, "pk": meeting.pk})


def test_customer_sees_every_meeting_of_their_customer(client, tenant_a, mworld):
    with_bea = one_off(mworld, title="Review with Bea")
    without_bea = one_off(mworld, title="Review without Bea", contacts=[])
    client.force_login(mworld.line_manager.user)  # Lina: customer role, invited to neither
    body = client.get(_list(tenant_a)).content.decode()
    assert "Review with Bea" in body and "Review without Bea" in body
    assert client.get(_page(tenant_a, with_bea)).status_code == 200
    assert client.get(_page(tenant_a, without_bea)).status_code == 200


def test_purchaser_sees_only_the_meetings_they_were_invited_to(client, tenant_a, mworld):
    invited = one_off(mworld, title="Payroll review", contacts=[mworld.paul])
    other = one_off(mworld, title="Board budget talk")
    client.force_login(mworld.purchaser.user)
    body = client.get(_list(tenant_a)).content.decode()
    assert "Payroll review" in body
    assert "Board budget talk" not in body
    assert client.get(_page(tenant_a, invited)).status_code == 200
    assert client.get(_page(tenant_a, other)).status_code == 404


def test_a_removed_invitation_takes_the_meeting_off_the_purchasers_portal(client, tenant_a, mworld):
    meeting = one_off(mworld, title="Payroll review", contacts=[mworld.paul])
    with in_tenant(tenant_a):
        attendee = meeting.attendees.get(contact=mworld.paul)
        services.attendee_remove(attendee=attendee, actor=mworld.rm.user)
    client.force_login(mworld.purchaser.user)
    assert "Payroll review" not in client.get(_list(tenant_a)).content.decode()
    assert client.get(_page(tenant_a, meeting)).status_code == 404


def test_another_customers_meeting_is_not_found(client, tenant_a, mworld):
    with in_tenant(tenant_a):
        other = CustomerFactory(tenant=tenant_a, name="Sales", relationship_manager=mworld.rm)
        sam = ContactFactory(customer=other, name="Sam Sales", email="sam@sales.example")
    theirs = one_off(mworld, title="Sales review", contacts=[])
    with in_tenant(tenant_a):
        theirs.customer = other
        theirs.save(update_fields=["customer"])
    client.force_login(mworld.business_manager.user)
    assert client.get(_page(tenant_a, theirs)).status_code == 404
    assert "Sales review" not in client.get(_list(tenant_a)).content.decode()
    assert sam.pk  # the other customer has people of its own, none of whom is Bea


def test_another_offices_meeting_is_not_found(client, tenant_a, tenant_b, mworld):
    with in_tenant(tenant_b):
        rm_b = make_member(tenant_b, "relationship_manager", email="rm-b@example.test")
        customer_b = CustomerFactory(tenant=tenant_b, name="B Finance", relationship_manager=rm_b)
        contact_b = ContactFactory(customer=customer_b, name="B Bea", email="bea@b.example")
    make_portal_member(contact_b)
    with in_tenant(tenant_b):
        starts = timezone.now() + timedelta(days=3)
        theirs = services.meeting_create(
            actor=rm_b.user,
            customer=customer_b,
            title="Office B review",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            organiser=rm_b,
        )
    client.force_login(mworld.business_manager.user)
    assert client.get(_page(tenant_a, theirs)).status_code == 404
    assert client.post(_page(tenant_a, theirs)).status_code == 404


def test_draft_minutes_are_never_shown(client, tenant_a, mworld):
    meeting = held(mworld, summary="Secret draft wording", publish=False)
    client.force_login(mworld.business_manager.user)
    body = client.get(_page(tenant_a, meeting)).content.decode()
    assert "Secret draft wording" not in body  # neither the summary nor the item's notes
    assert "The minutes are not published yet." in body
    assert "Published" not in client.get(_list(tenant_a)).content.decode()


def test_published_minutes_are_shown_with_each_items_notes(client, tenant_a, mworld):
    meeting = held(mworld, summary="We agreed the budget")
    client.force_login(mworld.business_manager.user)
    body = client.get(_page(tenant_a, meeting)).content.decode()
    assert "We agreed the budget" in body
    assert "Item notes: We agreed the budget" in body
    assert "Published" in client.get(_list(tenant_a)).content.decode()


def test_a_purchaser_reads_the_published_minutes_of_a_meeting_they_attended(
    client, tenant_a, mworld
):
    meeting = held(mworld, summary="Payroll runs on the new ERP", contacts=[mworld.paul])
    client.force_login(mworld.purchaser.user)
    assert "Payroll runs on the new ERP" in client.get(_page(tenant_a, meeting)).content.decode()


def test_withdrawn_agenda_items_are_not_shown(client, tenant_a, mworld):
    meeting = one_off(mworld)
    with in_tenant(tenant_a):
        AgendaItem.objects.create(
            meeting=meeting,
            position=9,
            title="A stale proposal",
            source="x",
            source_key="1",
            withdrawn=True,
        )
    client.force_login(mworld.business_manager.user)
    body = client.get(_page(tenant_a, meeting)).content.decode()
    assert "The budget" in body
    assert "A stale proposal" not in body


def test_upcoming_meetings_come_before_the_past_ones(client, tenant_a, mworld):
    one_off(mworld, days=-10, title="Last review")
    one_off(mworld, days=10, title="Next review")
    client.force_login(mworld.business_manager.user)
    body = client.get(_list(tenant_a)).content.decode()
    upcoming, past = body.index("Upcoming"), body.index("Past and cancelled")
    assert upcoming < body.index("Next review") < past < body.index("Last review")


def test_a_portal_login_not_linked_yet_is_told_so(client, tenant_a, customer_a):
    client.force_login(customer_a.user)
    response = client.get(_list(tenant_a))
    assert response.status_code == 200
    assert "relationship manager" in response.content.decode()


def test_the_meeting_page_is_read_only(client, tenant_a, mworld):
    meeting = one_off(mworld)
    client.force_login(mworld.business_manager.user)
    assert client.post(_page(tenant_a, meeting)).status_code == 405


def test_the_portal_menu_has_meetings(client, tenant_a, mworld):
    client.force_login(mworld.purchaser.user)
    body = client.get(_list(tenant_a)).content.decode()
    assert 'aria-current="page" href="/t/tenant-a/portal/meetings/">Meetings</a>' in body
