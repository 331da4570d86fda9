"""The campaign pages: the list, making and changing a draft, the audience preview with who the
rules hold back and why, progress per customer, scheduling and calling off; the settings."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from brm.tenancy.models import Role
from satisfaction.models import Campaign, Invitation, Response, SatisfactionSettings, SurveyOptOut
from tests.factories import CampaignFactory, ContactFactory
from tests.kit import assert_audited, assert_page_queries, in_tenant, make_member, refreshed
from tests.satisfaction.staff_kit import body, campaign_post, signed_in, url

pytestmark = pytest.mark.django_db


def test_an_rm_makes_a_draft_campaign_in_office_time(client, tenant_a, sworld):
    signed_in(client, sworld.rm)
    path = url(tenant_a, "campaign_create")
    assert client.get(path).status_code == 200
    response = client.post(path, campaign_post(sworld.survey, anonymity="confidential"))
    campaign = in_tenant(tenant_a, lambda: Campaign.objects.get())
    assert response["Location"] == url(tenant_a, "campaign_detail", pk=campaign.pk)
    assert campaign.status == "draft" and campaign.anonymity == "confidential"
    # 09:00 in Amsterdam in March is 08:00 UTC.
    assert campaign.opens_at.astimezone(datetime.UTC).hour == 8
    assert_audited(tenant_a, "satisfaction.campaign.created", obj=campaign, actor=sworld.rm.user)


@pytest.mark.parametrize(
    "values, message",
    [
        ({"audience_scope": "relationship_manager"}, "Choose the relationship manager."),
        ({"audience_scope": "division"}, "Name the division."),
        ({"audience_scope": "chosen"}, "Choose at least one customer."),
        ({"closes_on": "2030-03-01"}, "The campaign closes after it opens."),
        ({"opens_on": "1066-10-14"}, "Give a date between"),
        ({"reminders_max": "9"}, "less than or equal to 5"),
    ],
)
def test_a_campaign_form_with_a_gap_re_renders_with_the_message(
    client, tenant_a, sworld, values, message
):
    signed_in(client, sworld.rm)
    response = client.post(
        url(tenant_a, "campaign_create"), campaign_post(sworld.survey, name="Kept", **values)
    )
    assert response.status_code == 200
    assert message in body(response)
    assert 'value="Kept"' in body(response)
    assert in_tenant(tenant_a, lambda: Campaign.objects.count()) == 0


def test_the_audience_preview_shows_who_is_invited_and_who_a_rule_holds_back(
    client, tenant_a, sworld
):
    with in_tenant(tenant_a):
        SurveyOptOut.objects.create(email=sworld.carl.email.upper())
        ContactFactory(customer=sworld.customer, name="Nina Noemail", email="")
    campaign = CampaignFactory(
        tenant=tenant_a,
        survey=sworld.survey,
        audience_role="all_contacts",
        audience_scope="relationship_manager",
        relationship_manager=sworld.rm,
    )
    signed_in(client, sworld.rm)
    page = body(client.get(url(tenant_a, "campaign_detail", pk=campaign.pk)))
    assert "Bea" in page or sworld.bea.name in page
    assert sworld.paul.name in page
    assert sworld.carl.name in page and "Opted out of surveys" in page
    assert sworld.olga.name not in page  # another RM's customer
    # Not dropped: shown held back, with the reason.
    assert "Nina Noemail has no email address." in page


def test_a_division_campaign_names_the_contacts_without_an_email_as_held_back(
    client, tenant_a, sworld
):
    with in_tenant(tenant_a):
        ContactFactory(customer=sworld.customer, name="Nina Noemail", email="")
    campaign = CampaignFactory(
        tenant=tenant_a,
        survey=sworld.survey,
        audience_role="purchaser_contacts",
        audience_scope="division",
        division="corporate",
    )
    from satisfaction.audience import audience_preview

    rows = in_tenant(tenant_a, lambda: audience_preview(campaign))
    assert [(r.contact.name, r.held_back_rule) for r in rows] == [(sworld.paul.name, "")]
    campaign.audience_role = "mandate"
    rows = in_tenant(tenant_a, lambda: audience_preview(campaign))
    assert all(r.contact.authority == "decides" for r in rows)


def test_scheduling_asks_first_then_freezes_the_survey(client, tenant_a, sworld):
    campaign = CampaignFactory(
        tenant=tenant_a,
        survey=sworld.survey,
        audience_role="business_managers",
        opens_at=timezone.now() + timedelta(days=1),
    )
    signed_in(client, sworld.rm)
    path = url(tenant_a, "campaign_schedule", pk=campaign.pk)
    page = body(client.get(path))
    assert "frozen from now on" in page and "2 contacts" in page
    assert refreshed(campaign).status == "draft"  # GET changes nothing
    assert client.post(path).status_code == 302
    assert refreshed(campaign).status == "scheduled"
    assert refreshed(sworld.survey).is_frozen
    assert_audited(tenant_a, "satisfaction.campaign.scheduled", obj=campaign)
    # A scheduled campaign is not edited: the page sends the member back with the reason.
    response = client.get(url(tenant_a, "campaign_edit", pk=campaign.pk), follow=True)
    assert "Only a draft campaign can be changed" in body(response)


def test_a_campaign_without_an_audience_is_not_scheduled(client, tenant_a, sworld):
    campaign = CampaignFactory(
        tenant=tenant_a, survey=sworld.survey, audience_scope="division", division="Nowhere"
    )
    signed_in(client, sworld.rm)
    path = url(tenant_a, "campaign_schedule", pk=campaign.pk)
    assert "Nobody is in the audience" in body(client.get(path))
    response = client.post(path, follow=True)
    assert "Nobody is in the audience" in body(response)
    assert refreshed(campaign).status == "draft"


def test_cancelling_a_scheduled_campaign_asks_first_and_is_final(client, tenant_a, sworld):
    campaign = CampaignFactory(tenant=tenant_a, survey=sworld.survey)
    signed_in(client, sworld.rm)
    path = url(tenant_a, "campaign_cancel", pk=campaign.pk)
    assert "Only a scheduled or open campaign can be cancelled." in body(client.get(path))
    client.post(url(tenant_a, "campaign_schedule", pk=campaign.pk))
    question = body(client.get(path))
    assert "never reopened" in question and "Keep it" in question
    assert refreshed(campaign).status == "scheduled"  # asking changed nothing
    assert client.post(path).status_code == 302
    assert refreshed(campaign).status == "cancelled"
    edit = url(tenant_a, "campaign_edit", pk=campaign.pk)
    response = client.post(edit, campaign_post(sworld.survey, name="Renamed"), follow=True)
    assert "Only a draft campaign can be changed" in body(response)
    assert refreshed(campaign).name != "Renamed"


def test_chosen_customers_are_kept_on_the_campaign(client, tenant_a, sworld):
    signed_in(client, sworld.rm)
    client.post(
        url(tenant_a, "campaign_create"),
        campaign_post(sworld.survey, audience_scope="chosen", customers=[sworld.other_customer.pk]),
    )
    campaign = in_tenant(tenant_a, lambda: Campaign.objects.get())
    assert in_tenant(tenant_a, lambda: list(campaign.customers.all())) == [sworld.other_customer]
    page = body(client.get(url(tenant_a, "campaign_detail", pk=campaign.pk)))
    assert sworld.olga.name in page and sworld.bea.name not in page


def _sent(campaign, contact, status="sent"):
    return Invitation.objects.create(
        campaign=campaign,
        contact=contact,
        customer=contact.customer,
        name=contact.name,
        email=contact.email,
        status=status,
        held_back_rule="gap" if status == "held_back" else "",
    )


def test_progress_counts_deliveries_answers_and_the_rate_per_customer(client, tenant_a, sworld):
    campaign = CampaignFactory(tenant=tenant_a, survey=sworld.survey)
    with in_tenant(tenant_a):
        Campaign.objects.filter(pk=campaign.pk).update(status="open")
        bea = _sent(campaign, sworld.bea)
        _sent(campaign, sworld.carl)
        _sent(campaign, sworld.paul, status="failed")
        _sent(campaign, sworld.olga, status="held_back")
        Response.objects.create(
            campaign=campaign, invitation=bea, customer=bea.customer, submitted_at=timezone.now()
        )
    signed_in(client, sworld.analyst)
    response = client.get(url(tenant_a, "campaign_detail", pk=campaign.pk))
    progress = response.context["progress"]
    assert (progress["invited"], progress["delivered"], progress["answered"]) == (3, 2, 1)
    assert progress["held_back"] == 1 and progress["rate"] == 50.0
    rows = {
        row.name: (row.invited, row.delivered, row.held_back, row.answered, row.rate)
        for row in progress["customers"]
    }
    assert rows == {
        sworld.customer.name: (3, 2, 0, 1, 50.0),
        sworld.other_customer.name: (0, 0, 1, 0, None),
    }
    listed = client.get(url(tenant_a, "campaign_list")).context["page"].object_list
    assert [(c.invited, c.delivered, c.answered, c.rate) for c in listed] == [(3, 2, 1, 50.0)]


def test_the_list_filters_by_status_and_searches(client, tenant_a, sworld):
    CampaignFactory(tenant=tenant_a, survey=sworld.survey, name="Spring")
    autumn = CampaignFactory(tenant=tenant_a, survey=sworld.survey, name="Autumn")
    in_tenant(tenant_a, lambda: Campaign.objects.filter(pk=autumn.pk).update(status="closed"))
    signed_in(client, sworld.rm)
    page = body(client.get(url(tenant_a, "campaign_list") + "?status=closed"))
    assert "Autumn" in page and "Spring" not in page
    page = body(client.get(url(tenant_a, "campaign_list") + "?q=spr"))
    assert "Spring" in page and "Autumn" not in page
    assert "No campaign matches" in body(client.get(url(tenant_a, "campaign_list") + "?q=zz"))


def test_the_settings_are_an_admins_and_bad_values_re_render(client, tenant_a, sworld):
    path = url(tenant_a, "settings")
    signed_in(client, sworld.rm)
    assert client.get(path).status_code == 403
    signed_in(client, sworld.admin)
    assert client.get(path).status_code == 200
    values = {
        "invitations_per_year": "3",
        "invitation_gap_days": "30",
        "campaigns_per_customer_quarter": "1",
        "minimum_answers": "0",
    }
    response = client.post(path, values)
    assert response.status_code == 200 and "greater than or equal to 1" in body(response)
    assert client.post(path, {**values, "minimum_answers": "4"}).status_code == 302
    row = in_tenant(tenant_a, lambda: SatisfactionSettings.objects.get())
    assert (row.invitations_per_year, row.invitation_gap_days, row.minimum_answers) == (3, 30, 4)
    assert_audited(tenant_a, "satisfaction.settings.updated", obj=row, actor=sworld.admin.user)


def test_the_customer_page_shows_its_campaigns_and_response_rate(client, tenant_a, sworld):
    campaign = CampaignFactory(tenant=tenant_a, survey=sworld.survey, name="Spring")
    with in_tenant(tenant_a):
        bea = _sent(campaign, sworld.bea)
        _sent(campaign, sworld.carl)
        Response.objects.create(
            campaign=campaign, invitation=bea, customer=bea.customer, submitted_at=timezone.now()
        )
    signed_in(client, sworld.rm)
    from django.urls import reverse

    path = reverse(
        "customers:customer_detail", kwargs={"tenant_slug": tenant_a.slug, "pk": sworld.customer.pk}
    )
    page = body(client.get(path))
    assert 'id="satisfaction-heading"' in page
    assert "Spring" in page and "1 of 2 answered" in page and "response rate 50.0 %" in page
    other = reverse(
        "customers:customer_detail",
        kwargs={"tenant_slug": tenant_a.slug, "pk": sworld.other_customer.pk},
    )
    assert "Not surveyed yet." in body(client.get(other))


def test_an_analyst_reads_campaigns_but_cannot_schedule(client, tenant_a, sworld):
    campaign = CampaignFactory(tenant=tenant_a, survey=sworld.survey)
    signed_in(client, make_member(tenant_a, Role.STEERING))
    assert client.get(url(tenant_a, "campaign_detail", pk=campaign.pk)).status_code == 200
    assert client.post(url(tenant_a, "campaign_schedule", pk=campaign.pk)).status_code == 403
    assert refreshed(campaign).status == "draft"


def test_the_campaign_pages_read_a_fixed_number_of_queries(client, tenant_a, sworld):
    for name in ("One", "Two", "Three"):
        campaign = CampaignFactory(tenant=tenant_a, survey=sworld.survey, name=name)
    with in_tenant(tenant_a):
        for contact in (sworld.bea, sworld.carl, sworld.paul):
            _sent(campaign, contact)
    signed_in(client, sworld.rm)
    # The page's rows with their counts, and the count for the pager.
    assert_page_queries(client, url(tenant_a, "campaign_list"), own=2)
    # The campaign; the audience (customers, contacts, the office, its rules, opt-outs, quiet
    # periods, earlier invitations per contact and per customer); the progress (invitations,
    # responses); the schedule check (the questions, the audience); the savepoints.
    assert_page_queries(client, url(tenant_a, "campaign_detail", pk=campaign.pk), own=13)
