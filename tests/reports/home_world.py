"""The records of a relationship manager's working day, for the home's page and browser tests:
for each of the RM's customers, one record for each panel that belongs on the home, and beside
them the records that must not show (another RM's customer, a closed item, a complaint about the
RM, another office's records). Written straight into the records, as the reports tests do,
except complaints, which the service receives (their targets and clock)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from agreements.models import AgreementVersion, Signature
from complaints.models import Complaint
from customers.models import ActionItem
from meetings.models import Cadence, Meeting, MissedCadence
from satisfaction.models import Campaign, Invitation
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    CampaignFactory,
    ContactFactory,
    CustomerFactory,
    received_complaint,
)
from tests.kit import in_tenant


def _meeting(customer, organiser, *, days: float, title: str, status=Meeting.Status.PLANNED):
    start = timezone.now() + timedelta(days=days)
    return Meeting.objects.create(
        customer=customer,
        kind=Meeting.Kind.OTHER,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status=status,
        organiser=organiser,
    )


def customer_day(tenant, rm, name: str, *, division: str = "Finance", mark: str = ""):
    """A customer of `rm` with one record of each kind the home shows (their titles carry
    `mark` after `name`) and a closed or far-off one of each that it leaves out."""
    label = f"{name}{mark}"
    customer = CustomerFactory(tenant=tenant, name=name, division=division, relationship_manager=rm)
    bea = ContactFactory(customer=customer, name=f"Bea of {name}")
    customer.business_manager = bea
    in_tenant(tenant, lambda: customer.save(update_fields=["business_manager"]))
    today = timezone.localdate(timezone.now(), tenant.zone)

    def build():
        def item(title, due, **values):
            return ActionItem.objects.create(
                customer=customer, title=f"{title} {label}", due_date=due, **values
            )

        item("Overdue item", today - timedelta(days=3))
        item("Soon item", today + timedelta(days=5))
        item("Later item", today + timedelta(days=20))
        item("Closed item", today - timedelta(days=3), status=ActionItem.Status.DONE)
        item("Follow-up", today + timedelta(days=2), source=ActionItem.Source.SURVEY)

        _meeting(customer, rm, days=3, title=f"Review {label}")
        _meeting(customer, rm, days=30, title=f"Far review {label}")
        _meeting(customer, rm, days=2, title=f"Cancelled {label}", status=Meeting.Status.CANCELLED)
        cadence = Cadence.objects.create(
            customer=customer,
            meeting_type="service_review",
            name=f"Monthly review {label}",
            frequency="monthly",
            month_day=1,
            starts_on=today - timedelta(days=120),
            time_of_day=time(10),
            organiser=rm,
        )
        MissedCadence.objects.create(
            cadence=cadence,
            customer=customer,
            period_start=today - timedelta(days=40),
            period_end=today - timedelta(days=10),
        )

        agreement = AgreementFactory(customer=customer, review_due=today + timedelta(days=10))
        AgreementVersionFactory(agreement=agreement, number=1, status="in_force")
        in_signature = AgreementVersionFactory(
            agreement=agreement, number=2, status=AgreementVersion.Status.IN_SIGNATURE
        )
        Signature.objects.create(
            version=in_signature, role=Signature.SignerRole.RELATIONSHIP_MANAGER, membership=rm
        )

        campaign = CampaignFactory(
            tenant=tenant,
            name=f"Pulse {label}",
            status=Campaign.Status.OPEN,
            opens_at=timezone.now() - timedelta(days=10),
            closes_at=timezone.now() + timedelta(days=3),
        )
        Invitation.objects.create(
            campaign=campaign,
            customer=customer,
            contact=bea,
            name=bea.name,
            status=Invitation.Status.SENT,
        )

    in_tenant(tenant, build)
    near = received_complaint(customer, subject=f"Near complaint {label}")
    past = received_complaint(customer, subject=f"Past complaint {label}")
    calm = received_complaint(customer, subject=f"Calm complaint {label}")
    about = received_complaint(customer, subject=f"About the RM {label}", about_rm=True)

    def marks():
        now = timezone.now()
        Complaint.objects.filter(pk=near.pk).update(acknowledge_warned_at=now)
        Complaint.objects.filter(pk=past.pk).update(
            acknowledge_warned_at=now, acknowledge_breached=True
        )
        Complaint.objects.filter(pk=about.pk).update(acknowledge_breached=True)
        assert calm.acknowledge_warned_at is None

    in_tenant(tenant, marks)
    return customer
