"""The complaints area's demo records (registered in brm.web.registry.demo_data, see apps.py).

The office's categories and its policy rows (the defaults), and complaints of Finance in
several states: one Carla Customer raised two months ago, resolved and confirmed; one Carla
raised ten days ago, resolved two days ago and awaiting her confirmation in the portal; one
Lena Line raised that went to the IT manager and, at her request, on to the IT steering group;
one Paul Purchaser raised for Accounts payable, waiting on his answer; one of Carla's being
worked on by the IT manager, with its thread and an internal note; and a new one of Sales &
Marketing that Mona Market sent by email. Stella Steering (steering@demo.example) is the
steering group.

Records dated in the past are made through the services with the clock set back, as the other
areas' demos do: receipts, steps, messages and resolutions carry those dates. Each complaint's
targets are then what the policy gave it, and its due jobs those the services scheduled.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

CATEGORIES = (
    ("Service quality", "A service did not work as agreed."),
    ("Delivery time", "Something ordered or promised came late."),
    ("Communication", "We were not told, or told too late."),
    ("Billing", "A charge the business does not recognise."),
)


@contextmanager
def _clock(at: datetime):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def seed_complaints(members: dict) -> None:
    from customers.models import Contact, Customer, Purchaser, Service

    from . import services
    from .models import Complaint

    if Complaint.objects.exists():
        return
    finance = Customer.objects.filter(name="Finance").first()
    sales = Customer.objects.filter(name="Sales & Marketing").first()
    paul = Contact.objects.filter(email="purchaser@demo.example").first()
    if None in (finance, sales, paul) or "customer@demo.example" not in members:
        return  # an office seeded before these demo records existed
    admin, rm, itm = (
        members[e] for e in ("admin@demo.example", "rm@demo.example", "itm@demo.example")
    )
    carla, lena = members["customer@demo.example"], members["line@demo.example"]
    purchaser = members["purchaser@demo.example"]
    now = timezone.now()
    services.complaint_policy_seed()
    category = {
        name: services.category_create(actor=admin, name=name, description=text, position=i)
        for i, (name, text) in enumerate(CATEGORIES)
    }
    erp = Service.objects.filter(name="ERP").first()
    expenses = Service.objects.filter(name="Expense management").first()

    def at(days=0, hours=0):
        return _clock(now - timedelta(days=days, hours=hours))

    # Closed, confirmed: two months ago, with Carla's rating.
    with at(days=60):
        closed = services.complaint_receive(
            actor=carla,
            customer=finance,
            category=category["Delivery time"],
            severity="medium",
            service=expenses,
            subject="New expense cards took three weeks",
            description="Four new starters had no expense card for their first three weeks.",
            desired_outcome="Cards ready on the first day, as for laptops.",
        )
    with at(days=60, hours=-2):
        services.complaint_acknowledge(complaint=closed, actor=rm)
    with at(days=52):
        services.complaint_resolve(
            complaint=closed,
            actor=rm,
            root_cause_category="process",
            root_cause="Card orders waited for the monthly batch to the bank.",
            resolution="Cards are now ordered with the laptop, on the day the starter is known.",
        )
    with at(days=51):
        services.complaint_confirm(complaint=closed, actor=carla, rating=4)

    # Resolved two days ago, awaiting Carla's confirmation in the portal.
    with at(days=10):
        awaiting = services.complaint_receive(
            actor=carla,
            customer=finance,
            category=category["Service quality"],
            severity="medium",
            service=erp,
            subject="Month-end reports timed out",
            description="The ledger reports timed out on the last two working days of the month.",
            desired_outcome="Reports that finish during the close.",
        )
    with at(days=10, hours=-1):
        services.complaint_acknowledge(
            complaint=awaiting, actor=rm, message="We are looking at the report server."
        )
    with at(days=2):
        services.complaint_resolve(
            complaint=awaiting,
            actor=rm,
            root_cause_category="technology",
            root_cause="The report server had half the memory the close needs.",
            resolution="The report server's memory is doubled and the reports are tested "
            "against last month's close.",
            actions=[
                {
                    "title": "Load-test the ledger reports before each year-end close",
                    "owner_member": itm,
                    "due_date": (now + timedelta(days=60)).date(),
                }
            ],
        )

    # Escalated to the IT manager by staff, and on to the steering group at Lena's request.
    with at(days=3):
        escalated = services.complaint_receive(
            actor=lena,
            customer=finance,
            category=category["Service quality"],
            severity="high",
            service=erp,
            subject="Payments run stopped during the close",
            description="The supplier payments run stopped twice this week; 120 invoices are "
            "late and two suppliers threaten to stop deliveries.",
            desired_outcome="The payments run every night, and a named person who answers.",
        )
    with at(days=3, hours=-1):
        services.complaint_acknowledge(complaint=escalated, actor=rm)
    with at(days=1):
        services.complaint_escalate(
            complaint=escalated,
            actor=rm,
            owner=itm,
            note="A fix needs a change to the ERP interface; that is the IT manager's call.",
        )
    with at(hours=2):
        services.complaint_escalation_request(
            complaint=escalated,
            actor=lena,
            reason="The close is tomorrow and the run stopped again tonight.",
        )

    # Raised by Paul Purchaser for Accounts payable; the office waits on his answer.
    with at(days=5):
        waiting = services.complaint_receive(
            actor=purchaser,
            customer=finance,
            category=category["Billing"],
            severity="low",
            subject="Charged for ERP licences we do not use",
            description="The IT charge for Accounts payable counts 12 ERP licences; we have 8.",
            desired_outcome="A corrected charge from this quarter.",
        )
    with at(days=5, hours=-3):
        services.complaint_acknowledge(complaint=waiting, actor=rm)
    with at(days=4):
        services.complaint_wait_on_raiser(
            complaint=waiting,
            actor=rm,
            question="Could you send us the names of the 8 people who use the ERP?",
        )

    # Being worked on by the IT manager: the thread and an internal note.
    with at(days=1, hours=4):
        working = services.complaint_receive(
            actor=carla,
            customer=finance,
            purchaser=Purchaser.objects.filter(customer=finance, name="Treasury").first(),
            category=category["Communication"],
            severity="medium",
            subject="Planned maintenance was not announced",
            description="Treasury could not reach the bank portal on Tuesday morning; nobody "
            "had told us of the maintenance.",
        )
    with at(days=1, hours=3):
        services.complaint_acknowledge(complaint=working, actor=rm)
        services.complaint_assign(complaint=working, actor=rm, owner=itm)
    with at(days=1, hours=2):
        services.complaint_message_add(
            complaint=working,
            actor=itm,
            body="Sorry: the notice went to the old Treasury list. Who should receive them?",
        )
    with at(days=1):
        services.complaint_message_add(
            complaint=working, actor=carla, body="The treasury team mailbox, please."
        )
    with at(hours=20):
        services.complaint_message_add(
            complaint=working,
            actor=itm,
            internal=True,
            body="The communication plan still lists the Treasury manager who left in May.",
        )

    # New: came in by email for Sales & Marketing, entered by the relationship manager.
    with at(hours=1):
        services.complaint_receive(
            actor=rm,
            customer=sales,
            channel=Complaint.Channel.EMAIL,
            category=category["Service quality"],
            severity="high",
            raiser_contact=sales.business_manager,
            subject="Web shop checkout fails for company cards",
            description="Since Monday, customers paying with a company card see an error.",
            desired_outcome="Checkout working today.",
        )
