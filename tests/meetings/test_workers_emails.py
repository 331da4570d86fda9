"""The emails that are not invitations: published minutes to each attendee with an address,
a decision to the accountable person, its outcome to the RM and the organiser. Each once, in
the office's language and time, with the page where the reader acts (the portal for a
business reader with a login, the staff page for staff, no link for a contact without a login)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Decision
from tests.meetings.workers import held_in_the_past, mails, one_off

pytestmark = pytest.mark.usefixtures("as_tenant_a")


@pytest.fixture
def meeting(mworld):
    planned = one_off(
        mworld, starts_at=timezone.now() + timedelta(days=1), contacts=[mworld.bea, mworld.carl]
    )
    return held_in_the_past(mworld, planned)


def _publish(world, meeting):
    item = meeting.agenda_items.filter(source="").first() or services.agenda_item_add(
        meeting=meeting, actor=world.rm.user, title="Payroll run"
    )
    services.minutes_save(
        meeting=meeting,
        actor=world.rm.user,
        summary="The run is fixed & tested.",
        item_minutes={item.pk: "Root cause: a certificate expired."},
    )
    return services.minutes_publish(meeting=meeting, actor=world.rm.user)


class TestMinutesPublished:
    def test_each_attendee_with_an_address_gets_the_minutes_once(self, tenant_a, mworld, meeting):
        minutes = _publish(mworld, meeting)
        sent = mails(f"meetings-minutes-published:{minutes.pk}:")
        assert sorted(m.to[0] for m in sent) == sorted(
            [mworld.bea.email, mworld.carl.email, mworld.rm.user.email]
        )
        for mail in sent:
            assert mail.subject.startswith("Minutes: Escalation: payroll run of ")
            assert "The run is fixed & tested." in mail.text  # plain text is not escaped
            assert "The run is fixed &amp; tested." in mail.html
            assert "Root cause: a certificate expired." in mail.text

    def test_business_readers_with_a_login_get_the_portal_staff_the_staff_page(
        self, tenant_a, mworld, meeting
    ):
        minutes = _publish(mworld, meeting)
        by_address = {m.to[0]: m for m in mails(f"meetings-minutes-published:{minutes.pk}:")}
        assert (
            f"/t/{tenant_a.slug}/portal/meetings/{meeting.pk}/" in by_address[mworld.bea.email].text
        )
        staff = by_address[mworld.rm.user.email].text
        assert f"/t/{tenant_a.slug}/meetings/{meeting.pk}/" in staff
        assert "/meetings/" not in by_address[mworld.carl.email].text

    def test_a_removed_attendee_and_one_without_an_address_get_nothing(
        self, tenant_a, mworld, meeting
    ):
        carl = meeting.attendees.get(contact=mworld.carl)
        carl.removed_at = timezone.now()
        carl.save(update_fields=["removed_at"])
        bea = meeting.attendees.get(contact=mworld.bea)
        bea.email = ""
        bea.save(update_fields=["email"])
        minutes = _publish(mworld, meeting)
        sent = mails(f"meetings-minutes-published:{minutes.pk}:")
        assert [m.to for m in sent] == [[mworld.rm.user.email]]


class TestDecisions:
    def _business(self, world, meeting=None):
        return services.decision_create(
            actor=world.rm.user,
            customer=world.customer,
            meeting=meeting,
            title="Move payroll to the cloud",
            description="Start with the test environment.",
            kind="business",
            accountable_contact=world.bea,
        )

    def test_the_accountable_contact_is_asked_with_the_portal_link(self, tenant_a, mworld, meeting):
        decision = self._business(mworld, meeting)
        (mail,) = mails(f"meetings-decision-requested:{decision.pk}")
        assert mail.to == [mworld.bea.email]
        assert mail.subject == "Your approval: Move payroll to the cloud"
        assert "Start with the test environment." in mail.text
        assert f"/t/{tenant_a.slug}/portal/meetings/decisions/{decision.pk}/" in mail.text
        assert "Taken in Escalation: payroll run" in mail.text

    def test_an_it_decision_asks_the_it_manager_on_the_staff_page(self, tenant_a, mworld):
        decision = services.decision_create(
            actor=mworld.rm.user,
            customer=mworld.customer,
            title="Renew the certificates yearly",
            kind="it",
            accountable_member=mworld.it_manager,
        )
        (mail,) = mails(f"meetings-decision-requested:{decision.pk}")
        assert mail.to == [mworld.it_manager.user.email]
        text = mail.text
        assert f"/t/{tenant_a.slug}/meetings/decisions/{decision.pk}/" in text
        assert "/portal/" not in text

    def test_the_outcome_goes_to_the_rm_and_the_organiser_once(self, tenant_a, mworld, meeting):
        other = services.meeting_update(
            meeting=meeting, actor=mworld.rm.user, organiser=mworld.it_manager
        )
        decision = self._business(mworld, other)
        services.decision_decide(
            decision=decision, membership=mworld.business_manager, approve=False, note="Too soon"
        )
        (mail,) = mails(f"meetings-decision-decided:{decision.pk}")
        assert mail.to == [mworld.rm.user.email, mworld.it_manager.user.email]
        assert mail.subject == "Rejected: Move payroll to the cloud"
        assert "rejected" in mail.text and "Too soon" in mail.text
        assert "(Europe/Amsterdam)" in mail.text
        decided = timezone.localtime(Decision.objects.get(pk=decision.pk).decided_at, tenant_a.zone)
        assert decided.strftime("%H:%M") in mail.text

    def test_the_rm_who_organised_the_meeting_gets_the_outcome_once(self, mworld, meeting):
        decision = self._business(mworld, meeting)
        services.decision_decide(
            decision=decision, membership=mworld.business_manager, approve=True
        )
        (mail,) = mails(f"meetings-decision-decided:{decision.pk}")
        assert mail.to == [mworld.rm.user.email]
        assert mail.subject == "Approved: Move payroll to the cloud"


@pytest.mark.urls("tests.meetings.no_urls")
def test_where_a_page_is_not_routed_the_email_goes_without_a_link(mworld, meeting):
    minutes = _publish(mworld, meeting)
    sent = mails(f"meetings-minutes-published:{minutes.pk}:")
    assert len(sent) == 3
    assert all("/meetings/" not in m.text and "/meetings/" not in m.html for m in sent)
