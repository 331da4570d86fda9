"""An office to search: the communications' world (Finance with Bea, Lina and Paul's Payroll
unit, Sales with Sam and Pia's Orders unit, the Email service), with one record of each
searchable kind named so a test can find it."""

from dataclasses import dataclass

import pytest

from agreements.models import AgreementVersion
from complaints.models import Complaint
from meetings import communications
from meetings.models import Decision, Meeting, Notice
from satisfaction.models import Campaign, Invitation, Survey
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    CampaignFactory,
    SurveyFactory,
    received_complaint,
)
from tests.kit import in_tenant
from tests.meetings.builders import business_decision, one_off
from tests.meetings.communications.conftest import CommWorld, cworld, maintenance  # noqa: F401
from tests.meetings.conftest import mworld  # noqa: F401


@dataclass
class SearchWorld:
    c: CommWorld
    meeting: Meeting
    decision: Decision
    notice: Notice
    complaint: Complaint
    survey: Survey
    campaign: Campaign
    invitation: Invitation


@pytest.fixture
def sworld(tenant_a, cworld) -> SearchWorld:  # noqa: F811
    m = cworld.m
    meeting = one_off(m, title="Quarterly roadmap review", contacts=[m.bea])
    decision = business_decision(m, meeting, title="Adopt the roadmap")
    complaint = received_complaint(cworld.finance, subject="Invoices sent twice")
    with in_tenant(tenant_a):
        notice = maintenance(cworld, subject="Firewall replacement")
        communications.notice_send(notice=notice, actor=None)
        communications.notice_fanout(notice)
        AgreementVersionFactory(
            agreement=AgreementFactory(customer=cworld.finance),
            status=AgreementVersion.Status.IN_FORCE,
        )
        survey = SurveyFactory(name="Annual partnership survey")
        campaign = CampaignFactory(survey=survey, name="Spring pulse", status=Campaign.Status.OPEN)
        invitation = Invitation.objects.create(
            campaign=campaign,
            contact=m.bea,
            customer=cworld.finance,
            name=m.bea.name,
            email=m.bea.email,
            status=Invitation.Status.SENT,
        )
        notice.refresh_from_db()
    return SearchWorld(cworld, meeting, decision, notice, complaint, survey, campaign, invitation)
