"""The customers area's demo records: four customers with contacts, purchasers, expectations,
registers and action items (registered in brm.web.registry.demo_data, see apps.py)."""

from datetime import timedelta

from django.utils import timezone


def demo_catalogue(itm, admin):
    """The demo office's services: name, description, service owner."""
    return (
        ("ERP", "Finance, procurement and logistics on one platform.", itm),
        ("Planning and consolidation", "Budgeting, forecasting and group consolidation.", itm),
        ("Expense management", "Travel and expense claims with approval.", itm),
        ("CRM", "Customer accounts, opportunities and service cases.", itm),
        ("Marketing automation", "Campaigns, segments and email journeys.", itm),
        ("Web shop", "The online store and its payment integration.", itm),
        ("Email and calendar", "Mail, calendars and meeting rooms for everyone.", admin),
        ("Laptops and mobile devices", "Workplace devices, their refresh and support.", admin),
        ("Service desk", "Incidents and requests, by phone, portal and chat.", admin),
        ("Data warehouse", "Reporting data from every business system.", itm),
    )


def seed_customers(members: dict) -> None:
    """Realistic customers, purchasers, contacts, expectations, registers and action items."""
    from customers import services as cs
    from customers.models import Customer

    if Customer.objects.exists():
        return
    rm, itm, admin = (
        members[e] for e in ("rm@demo.example", "itm@demo.example", "admin@demo.example")
    )
    today = timezone.localdate()
    actor = admin.user
    catalogue = {
        name: cs.service_create(actor=actor, name=name, description=description, owner=owner)
        for name, description, owner in demo_catalogue(itm, admin)
    }

    finance = cs.customer_create(
        actor=actor,
        name="Finance",
        division="Corporate",
        status="active",
        relationship_manager=rm,
        strategy="Close the books in three days; move planning to a cloud platform by next year.",
        business_drivers="Regulatory reporting, cost transparency, faster month-end close.",
        demand_patterns="Peaks at month-end and year-end; quiet in August.",
        services=[
            catalogue[n]
            for n in (
                "ERP",
                "Planning and consolidation",
                "Expense management",
                "Email and calendar",
                "Laptops and mobile devices",
            )
        ],
    )
    carla = cs.contact_create(
        actor=actor,
        customer=finance,
        name="Carla Customer",
        title="CFO",
        email="customer@demo.example",
        phone="+31 20 555 0101",
        role="Business manager",
        authority="decides",
        influence="high",
        interests="Cost of IT per employee, reporting accuracy",
    )
    cs.customer_update(customer=finance, actor=actor, business_manager=carla, counterpart=carla)
    lena = cs.contact_create(
        actor=actor,
        customer=finance,
        name="Lena Line",
        title="Head of financial control",
        email="line@demo.example",
        phone="+31 20 555 0102",
        role="Business line manager",
        authority="decides",
        influence="high",
        interests="Month-end close, audit findings",
    )
    accounting = cs.purchaser_create(
        actor=actor,
        customer=finance,
        name="Accounts payable",
        it_contact=rm,
        notes="Orders workplace and ERP changes for 40 staff.",
    )
    paul = cs.contact_create(
        actor=actor,
        customer=finance,
        purchaser=accounting,
        name="Paul Purchaser",
        title="Head of accounts payable",
        email="purchaser@demo.example",
        role="Purchaser",
        authority="recommends",
        influence="medium",
    )
    cs.purchaser_update(purchaser=accounting, actor=actor, manager=paul)
    cs.purchaser_create(actor=actor, customer=finance, name="Treasury")
    # The demo portal users are these contacts.
    for contact, email in (
        (carla, "customer@demo.example"),
        (lena, "line@demo.example"),
        (paul, "purchaser@demo.example"),
    ):
        contact.membership = members[email]
        contact.save(update_fields=["membership"])

    sales = cs.customer_create(
        actor=actor,
        name="Sales & Marketing",
        division="Commercial",
        status="active",
        relationship_manager=rm,
        business_drivers="Grow online revenue 20%; one view of the customer.",
        demand_patterns="Campaign-driven spikes; new tools requested often.",
        services=[
            catalogue[n]
            for n in (
                "CRM",
                "Marketing automation",
                "Web shop",
                "Email and calendar",
                "Laptops and mobile devices",
            )
        ],
    )
    mona = cs.contact_create(
        actor=actor,
        customer=sales,
        name="Mona Market",
        title="Sales director",
        email="mona@sales.demo.example",
        role="Business manager",
        authority="decides",
        influence="high",
    )
    cs.customer_update(customer=sales, actor=actor, business_manager=mona)
    cs.purchaser_create(actor=actor, customer=sales, name="Field sales")
    cs.customer_create(
        actor=actor,
        name="Research & Development",
        division="Product",
        status="prospect",
        relationship_manager=itm,
        notes="New lab opening next quarter; first talks held.",
    )
    cs.customer_create(
        actor=actor,
        name="Facilities",
        division="Operations",
        status="dormant",
        relationship_manager=rm,
    )

    cs.expectation_create(
        actor=actor,
        customer=finance,
        title="Month-end close availability",
        service="ERP",
        description="ERP is available during the last three working days of each month.",
        acceptance_criteria="No unplanned outage longer than 30 minutes in the window.",
        metrics="Availability 99.9% in the month-end window",
        status="proposed",
    )
    cs.expectation_create(
        actor=actor,
        customer=finance,
        title="Expense claims reimbursed in 5 days",
        service="Expense management",
        metrics="95% of claims within 5 working days",
        status="draft",
    )
    cs.register_item_create(
        actor=actor,
        customer=finance,
        kind="risk",
        title="Planning tool end of support",
        description="The on-premise planning tool loses vendor support next year.",
        owner=itm,
        impact="high",
        likelihood="medium",
        review_date=today + timedelta(days=30),
    )
    cs.register_item_create(
        actor=actor,
        customer=sales,
        kind="opportunity",
        title="Single customer view",
        description="Merge CRM and web shop customer records.",
        owner=rm,
        impact="high",
    )
    cs.register_item_create(
        actor=actor,
        customer=sales,
        kind="constraint",
        title="Budget frozen until Q2",
        owner=rm,
        impact="medium",
    )
    cs.action_item_create(
        actor=actor,
        customer=finance,
        title="Draft the Partnership Agreement",
        owner_member=rm,
        due_date=today + timedelta(days=14),
    )
    cs.action_item_create(
        actor=actor,
        customer=finance,
        title="Confirm month-end freeze dates",
        owner_contact=carla,
        due_date=today + timedelta(days=7),
    )
    cs.action_item_create(
        actor=actor,
        customer=finance,
        title="List the ERP changes wanted this year",
        owner_contact=paul,
        due_date=today - timedelta(days=3),
    )
    cs.action_item_create(
        actor=actor,
        customer=sales,
        title="Plan the quarterly initiative review",
        owner_member=rm,
        due_date=today - timedelta(days=1),
    )
    cs.action_item_create(
        actor=actor,
        customer=sales,
        title="Share the CRM roadmap",
        owner_member=itm,
        due_date=today + timedelta(days=21),
        status="in_progress",
    )
