"""`make run`'s demo office: every role can sign in, realistic records, safe to run twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Signature, SlaMeasurement
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant
from complaints import selectors as complaint_selectors
from complaints.models import Complaint, ComplaintMessage, Escalation
from customers.models import ActionItem, Contact, Customer
from meetings import measures
from meetings.models import Cadence, Decision, Meeting, Minutes, MissedCadence

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_creates_one_office_with_its_records_and_sign_ins(client):
    call_command("seed_demo")
    call_command("seed_demo")
    tenant = Tenant.objects.get(slug="demo")
    with tenant_context(tenant):
        assert Customer.objects.count() == 4
        # One from the agreement's action plan, one agreed in a review, one from a complaint,
        # two survey follow-ups of detractors.
        assert ActionItem.objects.count() == 10
        assert Contact.objects.filter(membership__isnull=False).count() == 3
        finance = Agreement.objects.get(customer__name="Finance")
        v1, v2 = AgreementVersion.objects.filter(agreement=finance).order_by("number")
        assert (v1.status, v2.status) == ("in_force", "in_signature")
        assert v1.in_force_at < timezone.now() - timedelta(days=180)
        assert SlaMeasurement.objects.filter(line__version=v1).count() == 6 * 4
        awaited = Signature.objects.filter(version=v2, status="pending")
        assert sorted(awaited.values_list("user__email", flat=True)) == [
            "customer@demo.example",
            "line@demo.example",
        ]
        sales = AgreementVersion.objects.get(agreement__customer__name="Sales & Marketing")
        assert sales.status == "draft"
        assert_demo_meetings()
        assert_demo_complaints()
        assert_demo_satisfaction()
        assert_demo_communications()
    for email, password, home in [
        ("admin@demo.example", "demo-admin-pass", "/t/demo/"),
        ("rm@demo.example", "demo-rm-pass", "/t/demo/"),
        ("itm@demo.example", "demo-itm-pass", "/t/demo/"),
        ("steering@demo.example", "demo-steering-pass", "/t/demo/"),
        ("customer@demo.example", "demo-customer-pass", "/t/demo/portal/"),
        ("line@demo.example", "demo-line-pass", "/t/demo/portal/"),
        ("purchaser@demo.example", "demo-purchaser-pass", "/t/demo/portal/"),
    ]:
        assert client.login(email=email, password=password), email
        assert client.get(home).status_code == 200
        client.logout()


def assert_demo_meetings():
    """Finance's cadences from its agreement, with a past: a missed period, held reviews with
    published minutes, an approved decision, one awaiting Carla, the next review's agenda."""
    now = timezone.now()
    cadences = Cadence.objects.filter(customer__name="Finance")
    assert sorted(cadences.values_list("meeting_type", flat=True)) == [
        "annual_alignment",
        "initiative_review",
        "service_review",
    ]
    assert all(c.engagement_key for c in cadences)
    assert not Cadence.objects.exclude(customer__name="Finance").exists()
    monthly = cadences.get(meeting_type="service_review")
    past = Meeting.objects.filter(cadence=monthly, starts_at__lt=now).order_by("starts_at")
    assert past.count() >= 3
    assert past.first().status == "cancelled"
    assert set(past[1:].values_list("status", flat=True)) == {"held"}
    # Every past meeting is either cancelled or held with its minutes published.
    unheld = Meeting.objects.filter(starts_at__lt=now).exclude(status__in=["held", "cancelled"])
    assert not unheld.exists()
    assert not Minutes.objects.exclude(status="published").exists()
    missed = MissedCadence.objects.get()
    assert missed.cadence == monthly
    assert missed.period_start == past.first().occurrence_date < missed.period_end
    approved = Decision.objects.get(status="approved")
    assert approved.decided_by.email == "customer@demo.example"
    assert approved.meeting.status == "held" and approved.decided_at < now
    awaiting = Decision.objects.get(status="proposed")
    assert awaiting.accountable_contact.email == "customer@demo.example"
    assert awaiting.meeting == past.last()
    upcoming = Meeting.objects.filter(cadence=monthly, starts_at__gt=now).order_by("starts_at")[0]
    assert upcoming.status == "planned"
    agenda = [i.title for i in upcoming.agenda_items.all()]
    assert any(awaiting.title in title for title in agenda)
    assert any("review" in title.lower() for title in agenda)  # the agreement's review date
    # The measures see the same story.
    adherence = measures.cadence_adherence()
    assert adherence.missed >= 1 and adherence.kept >= 2
    assert sum(r.count for r in measures.reviews_held_by_period()) >= 2
    assert measures.decisions_awaiting_summary().count == 1
    assert measures.meeting_actions_on_time() == measures.OnTime(closed=1, on_time=1)


def assert_demo_complaints():
    """Complaints in several states: closed and confirmed, one awaiting Carla's confirmation,
    one at the steering group, one Paul raised waiting on him, one in progress with an internal
    note, a new one by email; every one received in the past, through the services."""
    now = timezone.now()
    by_status = dict(Complaint.objects.values_list("subject", "status"))
    assert sorted(by_status.values()) == [
        "acknowledged",
        "closed_confirmed",
        "in_progress",
        "new",
        "resolved",
        "waiting_on_raiser",
    ]
    assert not Complaint.objects.filter(received_at__gte=now).exists()
    assert len(set(Complaint.objects.values_list("reference", flat=True))) == 6

    awaiting = Complaint.objects.get(status="resolved")
    assert awaiting.raiser_contact.email == "customer@demo.example"
    assert awaiting.resolved_at < now - timedelta(days=1)
    assert ActionItem.objects.filter(source="complaint", source_ref=awaiting.reference).exists()
    carla = awaiting.raiser_contact.membership
    assert complaint_selectors.complaints_visible_to(carla).filter(pk=awaiting.pk).exists()

    top = Complaint.objects.get(level=3)
    steps = list(Escalation.objects.filter(complaint=top).order_by("at"))
    assert [(s.to_level, s.reason) for s in steps] == [
        (2, "staff_decision"),
        (3, "raiser_request"),
    ]
    assert top.raiser_contact.email == "line@demo.example"
    (steering,) = complaint_selectors.level_people(top)
    assert steering.user.email == "steering@demo.example"

    paul = Complaint.objects.get(raiser_contact__email="purchaser@demo.example")
    assert paul.status == "waiting_on_raiser" and paul.purchaser.name == "Accounts payable"

    confirmed = Complaint.objects.get(status="closed_confirmed")
    assert confirmed.rating == 4 and confirmed.closed_at < now - timedelta(days=30)

    in_progress = Complaint.objects.get(status="in_progress")
    assert in_progress.owner.user.email == "itm@demo.example"
    notes = ComplaintMessage.objects.filter(complaint=in_progress, internal=True)
    assert notes.count() == 1
    raiser_view = complaint_selectors.complaint_messages_for_raiser(in_progress)
    assert not raiser_view.filter(internal=True).exists() and raiser_view.count() == 2

    new = Complaint.objects.get(status="new")
    assert new.channel == "email" and new.customer.name == "Sales & Marketing"


def assert_demo_satisfaction():
    """A closed, published campaign with Finance's answers above the minimum, its detractors'
    follow-ups, and an open one for Carla Customer."""
    from satisfaction.models import Campaign, Invitation, Response

    closed = Campaign.objects.get(name="Spring satisfaction survey")
    assert closed.status == "closed" and closed.is_published and closed.summary
    assert closed.survey.is_frozen
    finance = Response.objects.filter(campaign=closed, customer__name="Finance")
    assert finance.count() == 9
    assert finance.filter(follow_up__source="survey").count() == 2
    scores = sorted(
        finance.filter(answers__question__kind="nps").values_list("answers__value", flat=True)
    )
    assert scores[0] <= 6 and scores[-1] >= 9  # detractors and promoters
    pulse = Campaign.objects.get(name="Autumn pulse")
    assert pulse.status == "open"
    assert list(Invitation.objects.filter(campaign=pulse).values_list("email", flat=True)) == [
        "customer@demo.example"
    ]


def test_seed_demo_prints_a_working_survey_link_for_carla_each_time():
    from io import StringIO

    from satisfaction.models import InvitationToken
    from satisfaction.tokens import token_hash

    links = []
    for _ in range(2):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        line = next(line for line in out.getvalue().splitlines() if "/s/" in line)
        links.append(line.rsplit("/s/", 1)[1].strip("/"))
    assert links[0] != links[1]  # a fresh token on every start
    tenant = Tenant.objects.get(slug="demo")
    with tenant_context(tenant):
        for token in links:
            found = InvitationToken.objects.select_related("invitation").get(
                token_hash=token_hash(token)
            )
            assert found.invitation.email == "customer@demo.example"


def assert_demo_communications():
    """A plan for each customer, a sent maintenance and a major incident with two updates that
    Carla Customer (Finance) reads under News from IT."""
    from customers.selectors import portal_scope
    from meetings.communication_selectors import portal_notice_list
    from meetings.models import CommunicationPlanEntry, Notice

    assert CommunicationPlanEntry.objects.values("customer").distinct().count() == 4
    carla = Contact.objects.get(email="customer@demo.example")
    news = list(portal_notice_list(portal_scope(carla.membership)))
    assert sorted(n.kind for n in news) == ["major_incident", "planned_maintenance"]
    incident = Notice.objects.get(kind="major_incident")
    assert [u.stage for u in incident.updates.order_by("created_at")] == ["identified", "resolved"]
    assert all(n.recipient_count > 0 for n in news)
