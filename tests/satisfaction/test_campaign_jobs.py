"""The campaign's due jobs: the opening records an invitation for every contact and queues one
email each (with its own hashed token, the raw one only in the email), the outbox's delivery
sets the invitation's status, reminders are capped and never reach those who answered or opted
out (anonymous ones reach everyone not opted out, worded generally), the close ends it and a
repeat makes the next one; opening reads a fixed number of queries whatever the audience."""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brm.outbox.models import DueJob, OutboxMessage
from satisfaction import campaigns, tokens
from satisfaction.models import Campaign, Invitation, InvitationToken, Response, Survey
from tests.factories import ContactFactory
from tests.satisfaction.conftest import mails, run_due
from tests.satisfaction.workers_kit import deliver_all, draft, opened, tokens_in

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _scheduled(world, **fields):
    return campaigns.campaign_schedule(campaign=draft(world, **fields), actor=world.rm)


class TestOpening:
    def test_the_opening_job_invites_the_audience_and_queues_one_email_each(self, sworld, tenant_a):
        campaign = _scheduled(sworld)
        assert run_due(tenant_a, now=timezone.now()) == []  # not yet
        assert run_due(tenant_a, now=campaign.opens_at + timedelta(seconds=1)) == ["done"]
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.OPEN and campaign.opened_at
        invited = campaign.invitations.order_by("name")
        assert [(i.name, i.status) for i in invited] == [
            ("Bea Budget", "queued"),
            ("Carl Counterpart", "queued"),
            ("Olga Ops", "queued"),
            ("Paul Payroll", "queued"),
        ]
        emails = mails(f"satisfaction.invite:{campaign.pk}:")
        assert sorted(m.to[0] for m in emails) == sorted(i.email for i in invited)
        # Run again (a retried or raced job): nothing more.
        assert campaigns.campaign_open(campaign) is None
        assert len(mails("satisfaction.invite:")) == 4

    def test_each_email_has_its_own_token_stored_only_as_its_hash(self, sworld):
        campaign = opened(sworld)
        emails = mails(f"satisfaction.invite:{campaign.pk}:")
        stored = set(InvitationToken.objects.values_list("token_hash", flat=True))
        raw = [tokens_in(m)[0] for m in emails]
        assert len(set(raw)) == 4 and {tokens.token_hash(t) for t in raw} == stored
        for token in raw:
            assert not InvitationToken.objects.filter(token_hash=token).exists()
            assert not Invitation.objects.filter(held_back_detail__contains=token).exists()
        bea = Invitation.objects.get(campaign=campaign, contact=sworld.bea)
        (token,) = tokens_in(OutboxMessage.objects.get(to=[sworld.bea.email]))
        assert bea.tokens.get().token_hash == tokens.token_hash(token)

    def test_the_invitation_says_what_a_person_needs(self, sworld, tenant_a):
        tenant_a.name = "Acme IT"
        tenant_a.save(update_fields=["name"])
        closes = timezone.make_aware(timezone.datetime(2031, 3, 14, 17, 0), tenant_a.zone)
        campaign = opened(sworld, name="Spring pulse", closes_at=closes)
        message = OutboxMessage.objects.get(to=[sworld.bea.email])
        (token,) = tokens_in(message)
        assert message.subject == "Acme IT asks: Spring pulse"
        assert message.text.startswith("Dear Bea Budget,")
        assert f"{settings.BRM_BASE_URL}/s/{token}/\n" in message.text
        assert f"{settings.BRM_BASE_URL}/s/{token}/opt-out/" in message.text
        assert "open until Friday 14 March 2031, 17:00 (Europe/Amsterdam)" in message.text
        assert f'href="{settings.BRM_BASE_URL}/s/{token}/"' in message.html
        assert "<strong>Spring pulse</strong>" in message.html
        assert campaign.survey.name  # the survey's introduction is optional

    def test_names_are_escaped_in_the_html_body(self, sworld):
        ContactFactory(customer=sworld.customer, name="Tom <b>&</b>", email="tom@finance.example")
        opened(sworld)
        message = OutboxMessage.objects.get(to=["tom@finance.example"])
        assert "Dear Tom &lt;b&gt;&amp;&lt;/b&gt;," in message.html
        assert message.text.startswith("Dear Tom <b>&</b>,")

    def test_the_office_language_is_used(self, sworld, tenant_a):
        tenant_a.language = "nl"
        tenant_a.save(update_fields=["language"])
        closes = timezone.make_aware(timezone.datetime(2031, 3, 14, 17, 0), tenant_a.zone)
        opened(sworld, closes_at=closes)
        message = OutboxMessage.objects.get(to=[sworld.bea.email])
        assert "vrijdag 14 maart 2031, 17:00 (Europe/Amsterdam)" in message.text

    def test_anonymous_and_confidential_invitations_say_so(self, sworld):
        opened(sworld, anonymity="anonymous", audience_role="business_managers")
        assert "Your answers are anonymous" in mails("satisfaction.invite:")[0].text
        OutboxMessage.objects.all().delete()
        campaigns.settings_update(actor=sworld.admin, invitation_gap_days=0, invitations_per_year=9)
        opened(sworld, anonymity="confidential", audience_role="business_managers")
        assert "confidential" in mails("satisfaction.invite:")[0].text

    def test_held_back_contacts_get_no_email(self, sworld):
        campaigns.opt_out(sworld.carl.email)
        campaign = opened(sworld)
        carl = campaign.invitations.get(contact=sworld.carl)
        assert carl.status == Invitation.Status.HELD_BACK and carl.tokens.count() == 0
        assert sworld.carl.email not in [m.to[0] for m in mails("satisfaction.invite:")]

    def test_opening_reads_a_fixed_number_of_queries_whatever_the_audience(self, sworld):
        def statements():
            campaign = _scheduled(sworld, audience_scope="chosen", customers=[sworld.customer])
            with CaptureQueriesContext(connection) as ctx:
                campaigns.campaign_open(campaign)
            return len(
                [
                    q
                    for q in ctx.captured_queries
                    if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
                ]
            )

        campaigns.settings_update(
            actor=sworld.admin, invitation_gap_days=0, invitations_per_year=50
        )
        few = statements()
        for n in range(40):
            ContactFactory(customer=sworld.customer, email=f"more{n}@finance.example")
        assert statements() == few


class TestDelivery:
    def test_a_delivered_invitation_is_sent_with_its_time(self, sworld, tenant_a):
        campaign = opened(sworld)
        assert set(deliver_all(tenant_a)) == {"sent"}
        invitations = campaign.invitations.all()
        assert {i.status for i in invitations} == {Invitation.Status.SENT}
        assert all(i.sent_at is not None for i in invitations)

    def test_a_refused_address_fails_the_invitation(self, sworld, tenant_a, monkeypatch):
        from django.core.mail.backends.locmem import EmailBackend

        def refuse(self, messages):
            raise SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})

        campaign = opened(sworld, audience_role="business_managers")
        monkeypatch.setattr(EmailBackend, "send_messages", refuse)
        assert set(deliver_all(tenant_a)) == {"failed"}
        assert {i.status for i in campaign.invitations.all()} == {Invitation.Status.FAILED}

    def test_a_reminder_delivered_leaves_the_invitation_as_it_is(self, sworld, tenant_a):
        campaign = opened(sworld, audience_role="business_managers")
        deliver_all(tenant_a)
        Invitation.objects.filter(campaign=campaign).update(status=Invitation.Status.QUEUED)
        campaigns.campaign_remind(campaign, 1)
        deliver_all(tenant_a)
        assert {i.status for i in campaign.invitations.all()} == {Invitation.Status.QUEUED}


def _answered(invitation):
    Response.objects.create(
        campaign=invitation.campaign,
        invitation=invitation,
        customer=invitation.customer,
        submitted_at=timezone.now(),
    )


class TestReminders:
    def test_reminders_go_to_those_who_have_not_answered_each_with_a_fresh_link(
        self, sworld, tenant_a
    ):
        campaign = opened(sworld)
        bea = campaign.invitations.get(contact=sworld.bea)
        carl = campaign.invitations.get(contact=sworld.carl)
        _answered(bea)
        carl.answered_at = timezone.now()
        carl.save(update_fields=["answered_at"])
        assert campaigns.campaign_remind(campaign, 1) == 2
        reminded = mails(f"satisfaction.reminder:{campaign.pk}:")
        assert sorted(m.to[0] for m in reminded) == sorted([sworld.olga.email, sworld.paul.email])
        assert reminded[0].subject == f"Reminder: {campaign.name}"
        assert "You have not answered" in reminded[0].text
        paul = campaign.invitations.get(contact=sworld.paul)
        assert paul.reminders_sent == 1 and paul.last_reminded_at and paul.tokens.count() == 2
        invitation_token = tokens_in(
            OutboxMessage.objects.get(
                key__startswith="satisfaction.invite:", to=[sworld.paul.email]
            )
        )
        reminder_token = tokens_in(
            OutboxMessage.objects.get(
                key__startswith="satisfaction.reminder:", to=[sworld.paul.email]
            )
        )
        assert invitation_token != reminder_token

    def test_reminders_are_capped_and_the_last_says_it_is_the_last(self, sworld, tenant_a):
        campaign = opened(sworld, audience_role="business_managers", reminders_max=2)
        assert campaigns.campaign_remind(campaign, 1) == 2
        assert campaigns.campaign_remind(campaign, 1) == 0  # run again: nobody twice
        assert campaigns.campaign_remind(campaign, 2) == 2
        last = mails(f"satisfaction.reminder:{campaign.pk}:")[-1]
        assert last.subject.startswith(f"Last reminder: {campaign.name} closes on ")
        assert "This is the last reminder" in last.text
        assert campaigns.campaign_remind(campaign, 3) is None  # beyond the cap
        assert {i.reminders_sent for i in campaign.invitations.all()} == {2}
        assert len(mails("satisfaction.reminder:")) == 4

    def test_an_opt_out_after_the_invitation_stops_the_reminders(self, sworld):
        campaign = opened(sworld, audience_role="business_managers")
        campaigns.opt_out(sworld.olga.email.upper())
        assert campaigns.campaign_remind(campaign, 1) == 1
        assert [m.to[0] for m in mails("satisfaction.reminder:")] == [sworld.bea.email]

    def test_failed_and_held_back_invitations_are_not_reminded(self, sworld):
        campaigns.opt_out(sworld.carl.email)
        campaign = opened(sworld)
        Invitation.objects.filter(campaign=campaign, contact=sworld.paul).update(
            status=Invitation.Status.FAILED
        )
        campaigns.campaign_remind(campaign, 1)
        assert sorted(m.to[0] for m in mails("satisfaction.reminder:")) == sorted(
            [sworld.bea.email, sworld.olga.email]
        )

    def test_anonymous_reminders_go_to_everyone_not_opted_out_worded_generally(self, sworld):
        campaign = opened(sworld, anonymity="anonymous", audience_role="business_managers")
        # An anonymous response has no invitation: nobody can tell who answered.
        Response.objects.create(
            campaign=campaign,
            customer=sworld.customer,
            respondent_key="k" * 64,
            submitted_at=timezone.now(),
        )
        assert campaigns.campaign_remind(campaign, 1) == 2
        text = mails("satisfaction.reminder:")[0].text
        assert "If you have already answered" in text and "thank you" in text
        assert "You have not answered" not in text

    def test_the_reminder_jobs_run_at_their_times(self, sworld, tenant_a):
        campaign = _scheduled(sworld, audience_role="business_managers")
        run_due(tenant_a, now=campaign.opens_at + timedelta(seconds=1))
        first, last = campaigns.reminder_times(campaign)
        assert run_due(tenant_a, now=first + timedelta(seconds=1)) == ["done"]
        assert len(mails("satisfaction.reminder:")) == 2
        assert run_due(tenant_a, now=last + timedelta(seconds=1)) == ["done"]
        assert len(mails("satisfaction.reminder:")) == 4


class TestClose:
    def test_the_close_job_closes_it(self, sworld, tenant_a):
        campaign = _scheduled(sworld)
        run_due(tenant_a, now=campaign.closes_at + timedelta(seconds=1))
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.CLOSED and campaign.closed_at
        assert Campaign.objects.count() == 1
        assert set(campaigns.campaign_jobs(campaign).values_list("status", flat=True)) == {
            DueJob.Status.DONE
        }

    def test_a_quarterly_campaign_makes_the_next_one_scheduled_a_quarter_later(
        self, sworld, tenant_a
    ):
        opens = timezone.make_aware(timezone.datetime(2031, 1, 31, 9, 0), tenant_a.zone)
        campaign = _scheduled(
            sworld,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
            repeat="quarterly",
            audience_scope="chosen",
            customers=[sworld.other_customer],
            anonymity="confidential",
        )
        newer = Survey.objects.create(name=sworld.survey.name, version=2, previous=sworld.survey)
        run_due(tenant_a, now=opens)  # opened
        assert campaigns.campaign_close(campaign) is not None
        following = Campaign.objects.get(previous=campaign)
        local_open = timezone.localtime(following.opens_at, tenant_a.zone)
        assert (local_open.month, local_open.day, local_open.hour) == (4, 30, 9)
        assert following.closes_at - following.opens_at == timedelta(days=14)
        assert following.status == Campaign.Status.SCHEDULED
        assert following.survey == newer and following.anonymity == "confidential"
        assert list(following.customers.all()) == [sworld.other_customer]
        assert [j.handler for j in campaigns.campaign_jobs(following)] == [
            "satisfaction.open",
            "satisfaction.remind",
            "satisfaction.remind",
            "satisfaction.close",
        ]
        # The close once: the next one is made once.
        assert campaigns.campaign_close(campaign) is None
        assert campaigns.campaign_repeat(campaign) == following
        assert Campaign.objects.filter(previous=campaign).count() == 1

    def test_a_half_yearly_one_six_months_later(self, sworld, tenant_a):
        campaign = opened(sworld, repeat="half_yearly")
        following = campaigns.campaign_close(campaign)
        months = (following.opens_at.year - campaign.opens_at.year) * 12 + (
            following.opens_at.month - campaign.opens_at.month
        )
        assert months == 6
