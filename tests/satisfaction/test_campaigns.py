"""The campaign services: a draft is made and changed by staff who write (audited), scheduling
freezes the survey and plans the jobs, cancelling stops them; the settings and the opt-out."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brm.outbox.models import DueJob
from brm.tenancy.models import Role
from satisfaction import campaigns
from satisfaction.models import Campaign, SatisfactionSettings, SurveyOptOut
from satisfaction.selectors import settings_for_office
from tests.factories import SurveyFactory
from tests.kit import make_key, make_member
from tests.satisfaction.workers_kit import draft, opened

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def _audit(action):
    from brm.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(action=action))


class TestDrafts:
    def test_a_relationship_manager_makes_a_draft_and_it_is_audited(self, sworld):
        campaign = draft(sworld, name="Spring pulse", anonymity="confidential")
        assert campaign.status == Campaign.Status.DRAFT
        assert campaign.created_by == sworld.rm.user
        (event,) = _audit("satisfaction.campaign.created")
        assert event.actor == sworld.rm.user and event.changes["name"] == ["", "Spring pulse"]

    @pytest.mark.parametrize("who", ["analyst", "purchaser", "business_manager", "steering"])
    def test_the_business_side_and_the_reading_roles_cannot_make_one(self, sworld, tenant_a, who):
        actor = make_member(tenant_a, Role.STEERING) if who == "steering" else getattr(sworld, who)
        with pytest.raises(PermissionDenied):
            campaigns.campaign_create(
                actor=actor,
                survey=sworld.survey,
                name="x",
                opens_at=timezone.now(),
                closes_at=timezone.now() + timedelta(days=1),
            )

    def test_a_read_key_cannot_and_a_write_key_can(self, sworld, tenant_a):
        fields = {
            "survey": sworld.survey,
            "name": "By the service desk",
            "opens_at": timezone.now(),
            "closes_at": timezone.now() + timedelta(days=3),
        }
        key, _raw = make_key(tenant_a, scope="read")
        with pytest.raises(PermissionDenied):
            campaigns.campaign_create(actor=key, **fields)
        key, _raw = make_key(tenant_a, scope="write", name="w")
        assert campaigns.campaign_create(actor=key, **fields).status == "draft"

    def test_closing_before_opening_is_a_field_error(self, sworld):
        with pytest.raises(ValidationError) as err:
            draft(sworld, closes_at=timezone.now() - timedelta(days=1))
        assert err.value.message_dict == {"closes_at": ["The campaign must close after it opens."]}

    def test_only_a_draft_changes(self, sworld):
        campaign = draft(sworld)
        changes = campaigns.campaign_update(campaign=campaign, actor=sworld.rm, name="Renamed")
        assert changes == {"name": ["Autumn pulse", "Renamed"]}
        campaigns.campaign_schedule(campaign=campaign, actor=sworld.rm)
        with pytest.raises(ValidationError, match="Only a draft campaign can be changed."):
            campaigns.campaign_update(campaign=campaign, actor=sworld.rm, name="Again")

    def test_choosing_customers_applies_to_the_chosen_scope_only(self, sworld):
        campaign = draft(sworld, audience_scope="chosen", customers=[sworld.customer])
        assert list(campaign.customers.all()) == [sworld.customer]
        campaigns.campaign_update(campaign=campaign, actor=sworld.rm, audience_scope="all")
        campaign.refresh_from_db()
        assert campaign.customers.count() == 0


class TestSchedule:
    def test_scheduling_freezes_the_survey_and_plans_open_reminders_and_close(self, sworld):
        opens = timezone.now() + timedelta(days=1)
        campaign = draft(sworld, opens_at=opens, closes_at=opens + timedelta(days=21))
        campaigns.campaign_schedule(campaign=campaign, actor=sworld.rm)
        campaign.refresh_from_db()
        sworld.survey.refresh_from_db()
        assert campaign.status == Campaign.Status.SCHEDULED and sworld.survey.is_frozen
        jobs = [(j.handler, j.due_at, j.payload) for j in campaigns.campaign_jobs(campaign)]
        assert jobs == [
            ("satisfaction.open", opens, {}),
            ("satisfaction.remind", opens + timedelta(days=7), {"n": 1}),
            ("satisfaction.remind", opens + timedelta(days=19), {"n": 2}),
            ("satisfaction.close", opens + timedelta(days=21), {}),
        ]
        assert _audit("satisfaction.campaign.scheduled")[0].actor == sworld.rm.user

    def test_a_survey_without_questions_or_a_past_close_is_refused(self, sworld):
        campaign = draft(sworld, survey=SurveyFactory())
        with pytest.raises(ValidationError) as err:
            campaigns.campaign_schedule(campaign=campaign, actor=sworld.rm)
        assert err.value.message_dict == {"survey": ["The survey has no questions yet."]}
        late = draft(
            sworld,
            opens_at=timezone.now() - timedelta(days=3),
            closes_at=timezone.now() - timedelta(days=1),
        )
        with pytest.raises(ValidationError) as err:
            campaigns.campaign_schedule(campaign=late, actor=sworld.rm)
        assert err.value.message_dict == {"closes_at": ["The closing time has passed."]}

    def test_the_chosen_scope_needs_a_customer(self, sworld):
        with pytest.raises(ValidationError) as err:
            draft(sworld, audience_scope="chosen")
        assert err.value.message_dict == {"customers": ["Choose at least one customer."]}
        assert not Campaign.objects.exists()
        campaign = draft(sworld)
        with pytest.raises(ValidationError) as err:
            campaigns.campaign_update(campaign=campaign, actor=sworld.rm, audience_scope="chosen")
        assert err.value.message_dict == {"customers": ["Choose at least one customer."]}
        campaign.refresh_from_db()
        assert campaign.audience_scope != "chosen"

    def test_scheduling_twice_is_refused(self, sworld):
        campaign = campaigns.campaign_schedule(campaign=draft(sworld), actor=sworld.rm)
        with pytest.raises(ValidationError, match="Only a draft campaign can be scheduled."):
            campaigns.campaign_schedule(campaign=campaign, actor=sworld.rm)


class TestReminderTimes:
    def _campaign(self, days, reminders_max=2, first=7):
        opens = timezone.now()
        return Campaign(
            opens_at=opens,
            closes_at=opens + timedelta(days=days),
            reminders_max=reminders_max,
            first_reminder_days=first,
        )

    def _days(self, campaign):
        return [(t - campaign.opens_at).days for t in campaigns.reminder_times(campaign)]

    def test_the_first_after_d_days_and_the_last_two_days_before_close(self):
        assert self._days(self._campaign(21)) == [7, 19]

    def test_more_reminders_are_spread_between(self):
        assert self._days(self._campaign(21, reminders_max=4, first=3)) == [3, 8, 13, 19]

    def test_one_reminder_is_the_first_none_is_none(self):
        assert self._days(self._campaign(21, reminders_max=1)) == [7]
        assert self._days(self._campaign(21, reminders_max=0)) == []

    def test_a_short_campaign_keeps_the_last_one_only(self):
        assert self._days(self._campaign(5)) == [3]
        assert self._days(self._campaign(2)) == []


class TestCancel:
    def test_cancelling_a_scheduled_campaign_cancels_its_jobs(self, sworld):
        campaign = campaigns.campaign_schedule(campaign=draft(sworld), actor=sworld.rm)
        campaigns.campaign_cancel(campaign=campaign, actor=sworld.rm)
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.CANCELLED and campaign.cancelled_at
        assert {j.status for j in campaigns.campaign_jobs(campaign)} == {DueJob.Status.CANCELLED}
        assert campaigns.campaign_open(campaign) is None
        assert campaign.invitations.count() == 0

    def test_an_open_campaign_can_be_cancelled_a_draft_cannot(self, sworld):
        campaign = opened(sworld)
        campaigns.campaign_cancel(campaign=campaign, actor=sworld.rm)
        assert campaigns.campaign_remind(campaign, 1) is None
        assert campaigns.campaign_close(campaign) is None
        with pytest.raises(ValidationError, match="Only a scheduled or open campaign"):
            campaigns.campaign_cancel(campaign=draft(sworld), actor=sworld.rm)

    def test_an_analyst_cannot_cancel(self, sworld):
        campaign = campaigns.campaign_schedule(campaign=draft(sworld), actor=sworld.rm)
        with pytest.raises(PermissionDenied):
            campaigns.campaign_cancel(campaign=campaign, actor=sworld.analyst)


class TestSettingsAndOptOut:
    def test_an_admin_changes_the_rules_audited(self, sworld):
        settings = campaigns.settings_update(
            actor=sworld.admin, invitations_per_year=3, invitation_gap_days=30
        )
        assert (settings.invitations_per_year, settings.invitation_gap_days) == (3, 30)
        (event,) = _audit("satisfaction.settings.updated")
        assert event.changes["invitations_per_year"] == [2, 3]

    def test_a_relationship_manager_cannot_and_bad_values_are_field_errors(self, sworld):
        with pytest.raises(PermissionDenied):
            campaigns.settings_update(actor=sworld.rm, invitations_per_year=3)
        with pytest.raises(ValidationError) as err:
            campaigns.settings_update(actor=sworld.admin, invitations_per_year=0)
        assert "invitations_per_year" in err.value.message_dict
        assert settings_for_office().invitations_per_year == 2

    def test_an_opt_out_is_kept_once_in_lower_case(self, sworld):
        first = campaigns.opt_out(" Bea@Finance.example ", contact=sworld.bea)
        again = campaigns.opt_out("bea@finance.EXAMPLE")
        assert first.pk == again.pk and first.email == "bea@finance.example"
        assert SurveyOptOut.objects.count() == 1 and first.contact == sworld.bea
        with pytest.raises(ValidationError):
            campaigns.opt_out("")


def test_settings_row_is_one_per_office(sworld):
    for invitations in (3, 4):
        campaigns.settings_update(actor=sworld.admin, invitations_per_year=invitations)
    assert SatisfactionSettings.objects.count() == 1
    assert settings_for_office().invitations_per_year == 4


def test_another_offices_campaign_or_relationship_manager_is_not_found(sworld, tenant_b):
    other_rm = make_member(tenant_b, Role.RELATIONSHIP_MANAGER)
    with pytest.raises(ValidationError) as err:
        draft(sworld, audience_scope="relationship_manager", relationship_manager=other_rm)
    assert "relationship_manager" in err.value.message_dict
    from brm.tenancy.context import tenant_context
    from tests.factories import CampaignFactory

    theirs = CampaignFactory(tenant=tenant_b)
    with pytest.raises(Campaign.DoesNotExist):
        campaigns.campaign_schedule(campaign=theirs, actor=sworld.rm)
    with pytest.raises(Campaign.DoesNotExist):
        campaigns.campaign_cancel(campaign=theirs, actor=sworld.rm)
    with tenant_context(tenant_b):
        assert Campaign.objects.get(pk=theirs.pk).status == Campaign.Status.DRAFT
