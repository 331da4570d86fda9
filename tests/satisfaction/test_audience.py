"""Who a campaign reaches (the role of a scope of customers) and who each fatigue rule holds
back, with the rule and a reason a person can read; the preview answers the same and writes
nothing; the reads do not grow with the audience."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services as complaint_services
from customers.models import Contact, Customer
from satisfaction import campaigns
from satisfaction.audience import audience_decisions, audience_preview, preview_summary
from satisfaction.models import Campaign, Invitation, SatisfactionSettings
from satisfaction.selectors import settings_for_office
from tests.factories import ContactFactory, CustomerFactory, received_complaint
from tests.satisfaction.workers_kit import draft, invited_before, opened

pytestmark = pytest.mark.usefixtures("as_tenant_a")

R = Campaign.AudienceRole
S = Campaign.AudienceScope


def _names(rows, invited=True):
    return sorted(r.name for r in rows if (not r.held_back_rule) == invited)


def _held(rows):
    return {r.name: (r.held_back_rule, r.detail) for r in rows if r.held_back_rule}


class TestWhoIsReached:
    def test_business_managers_of_all_active_customers(self, sworld):
        CustomerFactory(
            name="Old unit", status=Customer.Status.DORMANT, relationship_manager=sworld.rm
        )
        ContactFactory(customer=Customer.objects.get(name="Old unit"), name="Dora Dormant")
        rows = audience_decisions(draft(sworld, audience_role=R.BUSINESS_MANAGERS))
        assert _names(rows) == ["Bea Budget", "Olga Ops"]
        assert {r.customer.name for r in rows} == {"Finance", "Logistics"}

    def test_counterparts(self, sworld):
        rows = audience_decisions(draft(sworld, audience_role=R.COUNTERPARTS))
        assert _names(rows) == ["Carl Counterpart"]

    def test_contacts_with_the_budget_mandate(self, sworld):
        Contact.objects.filter(pk=sworld.carl.pk).update(authority=Contact.Authority.DECIDES)
        rows = audience_decisions(draft(sworld, audience_role=R.MANDATE))
        assert _names(rows) == ["Carl Counterpart"]

    def test_purchasers_contacts_include_a_manager_outside_the_unit(self, sworld):
        boss = ContactFactory(customer=sworld.customer, name="Mia Manager", email="mia@f.example")
        sworld.payroll.manager = boss
        sworld.payroll.save(update_fields=["manager"])
        rows = audience_decisions(draft(sworld, audience_role=R.PURCHASER_CONTACTS))
        assert _names(rows) == ["Mia Manager", "Paul Payroll"]

    def test_all_contacts_of_one_relationship_managers_customers(self, sworld):
        rows = audience_decisions(
            draft(sworld, audience_scope=S.RELATIONSHIP_MANAGER, relationship_manager=sworld.rm)
        )
        assert _names(rows) == ["Bea Budget", "Carl Counterpart", "Paul Payroll"]

    def test_a_divisions_customers(self, sworld):
        rows = audience_decisions(draft(sworld, audience_scope=S.DIVISION, division="Operations"))
        assert _names(rows) == ["Olga Ops"]
        # The division typed on the form need not match the customer record's case or spaces.
        rows = audience_decisions(draft(sworld, audience_scope=S.DIVISION, division=" operations "))
        assert _names(rows) == ["Olga Ops"]

    def test_chosen_customers(self, sworld):
        campaign = draft(
            sworld,
            audience_role=R.BUSINESS_MANAGERS,
            audience_scope=S.CHOSEN,
            customers=[sworld.other_customer],
        )
        assert _names(audience_decisions(campaign)) == ["Olga Ops"]

    def test_a_scope_missing_its_choice_is_refused_with_the_field_named(self, sworld):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as err:
            draft(sworld, audience_scope=S.DIVISION)
        assert "division" in err.value.message_dict
        with pytest.raises(ValidationError) as err:
            draft(sworld, audience_scope=S.RELATIONSHIP_MANAGER, relationship_manager=sworld.admin)
        assert "relationship_manager" in err.value.message_dict


class TestFatigueRules:
    def test_no_email_is_held_back_not_dropped(self, sworld):
        ContactFactory(customer=sworld.customer, name="Nora Nomail", email="")
        campaign = opened(sworld)
        nora = Invitation.objects.get(campaign=campaign, name="Nora Nomail")
        assert nora.status == Invitation.Status.HELD_BACK
        assert nora.held_back_rule == Invitation.Rule.NO_EMAIL
        assert nora.held_back_detail == "Nora Nomail has no email address."

    def test_an_opt_out_holds_back_whatever_the_case_of_the_address(self, sworld):
        campaigns.opt_out("BEA@Finance.Example")
        held = _held(audience_decisions(draft(sworld)))
        rule, detail = held["Bea Budget"]
        assert rule == Invitation.Rule.OPTED_OUT
        assert detail.startswith("bea@finance.example opted out of surveys on ")

    def test_a_customer_with_a_complaint_escalated_to_level_2_is_in_a_quiet_period(self, sworld):
        complaint = received_complaint(sworld.customer, actor=sworld.rm)
        held = _held(audience_decisions(draft(sworld)))
        assert held == {}  # level 1: nothing yet
        complaint_services.complaint_escalate(
            complaint=complaint, actor=sworld.rm, note="Needs the IT manager"
        )
        campaign = opened(sworld)
        finance = Invitation.objects.filter(campaign=campaign, customer=sworld.customer)
        assert {i.held_back_rule for i in finance} == {Invitation.Rule.QUIET_PERIOD}
        assert finance.first().held_back_detail == (
            f"Complaint {complaint.reference} is escalated to level 2."
        )
        olga = Invitation.objects.get(campaign=campaign, customer=sworld.other_customer)
        assert olga.status == Invitation.Status.QUEUED

    def test_a_complaint_about_the_rm_is_not_named_in_the_reason(self, sworld):
        received_complaint(sworld.customer, actor=sworld.admin, about_rm=True)
        held = _held(audience_decisions(draft(sworld)))
        assert held["Bea Budget"] == (
            Invitation.Rule.QUIET_PERIOD,
            "A complaint of this customer is escalated to level 2.",
        )

    def test_invited_k_times_in_12_months(self, sworld):
        for days_ago in (300, 150):
            invited_before(sworld, sworld.bea, days_ago=days_ago)
        invited_before(sworld, sworld.carl, days_ago=400)  # older than 12 months
        invited_before(sworld, sworld.carl, days_ago=150)
        held = _held(audience_decisions(draft(sworld)))
        rule, detail = held["Bea Budget"]
        assert rule == Invitation.Rule.PER_YEAR
        assert detail.startswith("Invited 2 times in the 12 months before ")
        assert detail.endswith("(at most 2).")
        assert "Carl Counterpart" not in held

    def test_held_back_or_failed_invitations_do_not_count(self, sworld):
        invited_before(sworld, sworld.bea, days_ago=10, status=Invitation.Status.FAILED)
        assert "Bea Budget" not in _held(audience_decisions(draft(sworld)))

    def test_at_least_g_days_apart(self, sworld):
        invited_before(sworld, sworld.bea, days_ago=20)
        rule, detail = _held(audience_decisions(draft(sworld)))["Bea Budget"]
        assert rule == Invitation.Rule.GAP
        assert ", 20 days before; at least 60 days apart." in detail
        SatisfactionSettings.objects.update_or_create(defaults={"invitation_gap_days": 14})
        assert "Bea Budget" not in _held(audience_decisions(draft(sworld)))

    def test_at_most_m_campaigns_a_customer_a_quarter(self, sworld):
        SatisfactionSettings.objects.update_or_create(
            defaults={
                "campaigns_per_customer_quarter": 1,
                "invitation_gap_days": 0,
                "invitations_per_year": 9,
            }
        )
        first = opened(sworld, audience_role=R.BUSINESS_MANAGERS)
        assert first.invitations.filter(status=Invitation.Status.QUEUED).count() == 2
        rows = audience_decisions(draft(sworld, audience_role=R.COUNTERPARTS))
        (carl,) = rows
        assert carl.held_back_rule == Invitation.Rule.CUSTOMER_QUARTER
        assert carl.detail.startswith(
            "Finance took part in 1 campaigns this quarter already (at most 1 a quarter, from "
        )

    def test_the_first_rule_that_applies_is_recorded(self, sworld):
        campaigns.opt_out(sworld.bea.email)
        invited_before(sworld, sworld.bea, days_ago=5)
        assert _held(audience_decisions(draft(sworld)))["Bea Budget"][0] == "opted_out"


class TestPreview:
    def test_the_preview_shows_the_decisions_and_writes_nothing(self, sworld):
        invited_before(sworld, sworld.bea, days_ago=20)
        campaign = draft(sworld)
        before = Invitation.objects.count()
        rows = audience_preview(campaign)
        assert Invitation.objects.count() == before
        summary = preview_summary(rows)
        assert summary["invited"] == 3 and summary["held_back"] == 1
        assert summary["per_rule"] == [("Invited too recently", 1)]
        assert [r.rule_label for r in rows if r.is_held_back] == ["Invited too recently"]

    def test_an_open_campaign_previews_what_it_recorded(self, sworld):
        campaign = opened(sworld)
        ContactFactory(customer=sworld.customer, name="Late Comer")
        assert "Late Comer" not in _names(audience_preview(campaign))


def test_the_rules_read_a_fixed_number_of_queries_whatever_the_audience(sworld):
    def count():
        campaign = draft(sworld)
        with CaptureQueriesContext(connection) as ctx:
            audience_decisions(campaign)
        return len(ctx.captured_queries)

    small = count()
    for n in range(30):
        contact = ContactFactory(customer=sworld.customer, email=f"extra{n}@finance.example")
        if n % 3 == 0:
            invited_before(sworld, contact, days_ago=10 + n)
    campaigns.opt_out("extra1@finance.example")
    assert count() == small
    assert small == 8


def test_an_office_without_settings_reads_the_defaults_and_writes_nothing(sworld):
    SatisfactionSettings.objects.all().delete()
    rules = settings_for_office()
    assert (rules.invitations_per_year, rules.invitation_gap_days) == (2, 60)
    assert rules.campaigns_per_customer_quarter == 2 and rules.minimum_answers == 5
    assert rules.pk is None and not SatisfactionSettings.objects.exists()


def test_quarter_counts_only_this_quarter(sworld):
    # An invitation that went out before this quarter began does not count for it.
    SatisfactionSettings.objects.update_or_create(
        defaults={"campaigns_per_customer_quarter": 1, "invitation_gap_days": 0}
    )
    invited_before(sworld, sworld.olga, days_ago=100)
    assert "Olga Ops" not in _held(audience_decisions(draft(sworld)))
