"""The satisfaction area's demo records (registered in brm.web.registry.demo_data, see apps.py).

A survey ("Customer satisfaction", one question of each kind), sent twice:

* "Spring satisfaction survey", closed two months ago and published with its "you said, we
  did" summary: all contacts of Finance and of Sales & Marketing were invited; nine of Finance
  and five of Sales answered, with a realistic spread (promoters, passives, two detractors,
  whose follow-ups are action items of the relationship manager);
* "Autumn pulse", open now for Finance's business manager, Carla Customer: her invitation's
  link is printed by `make run` (a fresh token on every start; only its hash is stored).

Finance gets six more contacts here (its controllers and planners), so that its own results
reach the office's minimum number of answers (5).

The records are written as the workers and the answer link would have left them (sent
invitations, responses with their answers), dated in the past.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

SURVEY_NAME = "Customer satisfaction"
CLOSED_NAME = "Spring satisfaction survey"
OPEN_NAME = "Autumn pulse"

FINANCE_EXTRA = (
    ("Frank Controller", "Group controller", "frank.controller@finance.demo.example"),
    ("Fiona Planner", "Head of planning", "fiona.planner@finance.demo.example"),
    ("Farid Treasurer", "Treasurer", "farid.treasurer@finance.demo.example"),
    ("Femke Tax", "Tax manager", "femke.tax@finance.demo.example"),
    ("Felix Reporting", "Reporting lead", "felix.reporting@finance.demo.example"),
    ("Floor Audit", "Internal auditor", "floor.audit@finance.demo.example"),
)
SALES_EXTRA = (
    ("Sam Seller", "Sales director", "sam.seller@sales.demo.example"),
    ("Sara Shop", "E-commerce lead", "sara.shop@sales.demo.example"),
    ("Simon Events", "Events manager", "simon.events@sales.demo.example"),
    ("Sofia Brand", "Brand manager", "sofia.brand@sales.demo.example"),
)

QUESTIONS = (
    ("nps", "How likely are you to recommend IT to a colleague?", True, []),
    ("csat", "How satisfied are you with IT overall?", True, []),
    ("service_rating", "How do you rate each service you use?", False, []),
    ("effort", "How easy is it to get help from IT?", False, []),
    (
        "choice",
        "What should IT improve first?",
        False,
        ["Response times", "Communication", "Self-service", "Nothing in particular"],
    ),
    ("text", "What could we do better?", False, []),
)
TRANSLATIONS = {
    "nps": {"nl": "Hoe waarschijnlijk is het dat u IT aanbeveelt aan een collega?"},
    "csat": {"nl": "Hoe tevreden bent u over IT in het algemeen?"},
}

# (nps, csat, effort, choice index, comment) per respondent, in invitation order.
FINANCE_ANSWERS = (
    (10, 5, 2, 3, "The month-end support was excellent."),
    (9, 5, 2, 2, ""),
    (9, 4, 3, 0, "Quick answers from the service desk."),
    (8, 4, 3, 1, ""),
    (7, 4, 4, 1, "Tell us earlier about maintenance windows."),
    (10, 5, 1, 3, ""),
    (3, 2, 6, 0, "Planning tool was down twice during the budget round."),
    (9, 4, 2, 2, ""),
    (6, 3, 5, 1, "Hard to know who to call."),
)
SALES_ANSWERS = (
    (8, 4, 3, 2, ""),
    (9, 5, 2, 3, "The new CRM works well."),
    (7, 3, 4, 0, ""),
    (10, 5, 2, 3, ""),
    (8, 4, 3, 1, "More notice before changes to the web shop."),
)
SUMMARY = (
    "You said: maintenance came as a surprise, and it was not always clear whom to call.\n"
    "We did: planned maintenance is now announced two weeks ahead in the monthly service "
    "review and by email, and every customer has one named contact in IT on the portal. The "
    "planning tool moved to a new platform before the next budget round."
)


def seed_satisfaction(members: dict) -> list[str]:
    """Seed once; on every run, a fresh link for Carla's open invitation (printed by make run)."""
    from customers.models import Customer

    from .models import Campaign

    finance = Customer.objects.filter(name="Finance").first()
    sales = Customer.objects.filter(name="Sales & Marketing").first()
    if finance is None or sales is None or "rm@demo.example" not in members:
        return []  # an office seeded before these demo records existed
    if not Campaign.objects.filter(name=OPEN_NAME).exists():
        _seed(members, finance, sales)
    return _open_link()


def _seed(members, finance, sales) -> None:
    from customers import services as cs
    from customers.models import Contact

    from . import campaigns, surveys
    from .models import Campaign, Invitation

    rm = members["rm@demo.example"]
    actor = members["admin@demo.example"].user
    now = timezone.now()
    survey = surveys.survey_create(
        actor=rm,
        name=SURVEY_NAME,
        introduction="Five minutes on how IT serves your business. Thank you for your time.",
    )
    for kind, text, required, choices in QUESTIONS:
        surveys.question_add(
            survey=survey,
            actor=rm,
            kind=kind,
            text=text,
            required=required,
            choices=choices,
            translations=TRANSLATIONS.get(kind, {}),
        )
    for customer, extra in ((finance, FINANCE_EXTRA), (sales, SALES_EXTRA)):
        for name, title, email in extra:
            if not Contact.objects.filter(email=email).exists():
                cs.contact_create(
                    actor=actor, customer=customer, name=name, title=title, email=email
                )

    # The spring campaign: sent, answered, closed and published.
    opened = now - timedelta(days=90)
    closed = campaigns.campaign_create(
        actor=rm,
        survey=survey,
        name=CLOSED_NAME,
        audience_role=Campaign.AudienceRole.ALL_CONTACTS,
        audience_scope=Campaign.AudienceScope.CHOSEN,
        customers=[finance, sales],
        opens_at=opened,
        closes_at=opened + timedelta(days=28),
        repeat=Campaign.Repeat.HALF_YEARLY,
    )
    surveys.survey_freeze(survey=survey)
    closed.status = Campaign.Status.CLOSED
    closed.opened_at = closed.opens_at
    closed.closed_at = closed.closes_at
    closed.summary = SUMMARY
    closed.published_at = closed.closes_at + timedelta(days=5)
    closed.published_by = rm.user
    closed.save()
    for customer, answers in ((finance, FINANCE_ANSWERS), (sales, SALES_ANSWERS)):
        contacts = list(Contact.objects.filter(customer=customer).exclude(email="").order_by("pk"))
        for i, contact in enumerate(contacts):
            invitation = Invitation.objects.create(
                campaign=closed,
                contact=contact,
                customer=customer,
                name=contact.name,
                email=contact.email,
                status=Invitation.Status.SENT,
                sent_at=opened + timedelta(minutes=5),
            )
            if i < len(answers):
                _answer(closed, invitation, answers[i], at=opened + timedelta(days=1 + i))

    # The autumn pulse: open now, for Carla Customer.
    carla = finance.business_manager
    pulse = campaigns.campaign_create(
        actor=rm,
        survey=survey,
        name=OPEN_NAME,
        audience_role=Campaign.AudienceRole.BUSINESS_MANAGERS,
        audience_scope=Campaign.AudienceScope.CHOSEN,
        customers=[finance],
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        reminders_max=1,
    )
    pulse.status = Campaign.Status.OPEN
    pulse.opened_at = pulse.opens_at
    pulse.save(update_fields=["status", "opened_at"])
    Invitation.objects.create(
        campaign=pulse,
        contact=carla,
        customer=finance,
        name=carla.name,
        email=carla.email,
        status=Invitation.Status.SENT,
        sent_at=pulse.opens_at + timedelta(minutes=5),
    )


def _answer(campaign, invitation, answer, *, at) -> None:
    from customers import services as cs
    from customers.models import ActionItem, CustomerService

    from .models import Answer, Question, Response

    nps, csat, effort, choice, comment = answer
    response = Response.objects.create(
        campaign=campaign, invitation=invitation, customer=invitation.customer, submitted_at=at
    )
    invitation.opened_at = at - timedelta(minutes=3)
    invitation.answered_at = at
    invitation.save(update_fields=["opened_at", "answered_at"])
    rows = []
    services = list(
        CustomerService.objects.filter(customer=invitation.customer)
        .order_by("service__name")
        .values_list("service_id", flat=True)[:3]
    )
    for question in Question.objects.filter(survey=campaign.survey).order_by("position"):
        if question.kind == "nps":
            rows.append(Answer(response=response, question=question, value=nps))
        elif question.kind == "csat":
            rows.append(Answer(response=response, question=question, value=csat))
        elif question.kind == "effort":
            rows.append(Answer(response=response, question=question, value=effort))
        elif question.kind == "choice":
            rows.append(Answer(response=response, question=question, text=question.choices[choice]))
        elif question.kind == "text" and comment:
            rows.append(Answer(response=response, question=question, text=comment))
        elif question.kind == "service_rating":
            for n, service_id in enumerate(services):
                score = max(1, min(5, csat + (n % 2) - (1 if nps < 7 and n == 0 else 0)))
                rows.append(
                    Answer(response=response, question=question, service_id=service_id, value=score)
                )
    for row in rows:
        row.tenant_id = response.tenant_id
    Answer.objects.bulk_create(rows)
    if nps <= 6 or csat <= 2:
        customer = invitation.customer
        item = cs.action_item_create(
            actor=customer.relationship_manager.user,
            customer=customer,
            title=f"Survey follow-up: {invitation.name} ({campaign.name})",
            description=comment or "A low score: call to hear what went wrong.",
            owner_member=customer.relationship_manager,
            due_date=(at + timedelta(days=2)).date(),
            status=ActionItem.Status.DONE,
            source=ActionItem.Source.SURVEY,
            source_ref=f"response:{response.pk}",
        )
        response.follow_up = item
        response.save(update_fields=["follow_up"])


def _open_link() -> list[str]:
    """A fresh link to Carla's invitation of the open campaign (a new token each time)."""
    from .models import Invitation, InvitationToken
    from .tokens import new_token

    invitation = (
        Invitation.objects.filter(campaign__name=OPEN_NAME, contact__email="customer@demo.example")
        .select_related("campaign")
        .first()
    )
    if invitation is None or invitation.campaign.status != invitation.campaign.Status.OPEN:
        return []
    token, hashed = new_token()
    InvitationToken.objects.create(invitation=invitation, token_hash=hashed)
    return [
        f"Survey “{OPEN_NAME}”, Carla Customer's answer link: {settings.BRM_BASE_URL}/s/{token}/"
    ]
