"""factory_boy factories for domain records; each enters its tenant itself.

`CustomerFactory(tenant=t, ...)` builds the record, and everything its sub-factories make, inside
`tenant_context(t)`. Without `tenant=` the tenant is that of a related record passed in
(`ContactFactory(customer=c)` runs in c's tenant), else the one already current. A new area's
factories subclass `TenantFactory`.
"""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from agreements.models import (
    Agreement,
    AgreementVersion,
    EngagementRow,
    ObjectiveRow,
    PartnerPlanRow,
    SlaLine,
)
from brm.tenancy.context import current_tenant_id_or_none, tenant_context
from brm.tenancy.models import TenantOwnedModel
from customers.models import (
    ActionItem,
    ActionItemComment,
    BusinessExpectation,
    Contact,
    Customer,
    CustomerService,
    Purchaser,
    RegisterItem,
    Service,
)


class TenantFactory(factory.django.DjangoModelFactory):
    """A factory for a tenant-owned model that runs in the record's tenant."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        related = {
            name: value.tenant_id
            for name, value in params.items()
            if isinstance(value, TenantOwnedModel) and value.tenant_id is not None
        }
        tenant = params.pop("tenant", None)
        tenant_id = getattr(tenant, "pk", tenant)
        if tenant_id is None:
            tenant_id = current_tenant_id_or_none() or next(iter(related.values()), None)
        if tenant_id is None:
            raise TypeError(
                f"{cls.__name__} needs a tenant: pass tenant=..., a related record of that "
                "tenant, or call it inside tenant_context(tenant)."
            )
        # The database would take the link (the foreign key does not include the tenant); a
        # test that builds one is wrong, so say so here rather than let it pass for the wrong
        # reason.
        strangers = sorted(name for name, other in related.items() if other != tenant_id)
        if strangers:
            raise ValueError(
                f"{cls.__name__}: {', '.join(strangers)} belong(s) to another tenant than the "
                f"record's ({tenant_id})."
            )
        with tenant_context(tenant_id):
            return super()._generate(strategy, params)


class CustomerFactory(TenantFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Business unit {n}")
    division = "Operations"
    status = Customer.Status.ACTIVE


class ServiceFactory(TenantFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"IT service {n}")
    status = Service.Status.LIVE


class CustomerServiceFactory(TenantFactory):
    class Meta:
        model = CustomerService

    customer = factory.SubFactory(CustomerFactory)
    service = factory.SubFactory(ServiceFactory)


class PurchaserFactory(TenantFactory):
    class Meta:
        model = Purchaser

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class ContactFactory(TenantFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@business.example")


class ExpectationFactory(TenantFactory):
    class Meta:
        model = BusinessExpectation

    customer = factory.SubFactory(CustomerFactory)
    title = factory.Sequence(lambda n: f"Expectation {n}")
    status = BusinessExpectation.Status.PROPOSED


class RegisterItemFactory(TenantFactory):
    class Meta:
        model = RegisterItem

    customer = factory.SubFactory(CustomerFactory)
    kind = RegisterItem.Kind.RISK
    title = factory.Sequence(lambda n: f"Risk {n}")


class ActionItemFactory(TenantFactory):
    class Meta:
        model = ActionItem

    customer = factory.SubFactory(CustomerFactory)
    title = factory.Sequence(lambda n: f"Action {n}")


class ActionItemCommentFactory(TenantFactory):
    class Meta:
        model = ActionItemComment

    action_item = factory.SubFactory(ActionItemFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")


# Agreements ---------------------------------------------------------------------------------------


class AgreementFactory(TenantFactory):
    class Meta:
        model = Agreement

    customer = factory.SubFactory(CustomerFactory)


class AgreementVersionFactory(TenantFactory):
    """A draft version (freeze one through agreements.services.version_submit)."""

    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    relationship_philosophy = "Partners in the business's success."


class PartnerPlanRowFactory(TenantFactory):
    class Meta:
        model = PartnerPlanRow

    version = factory.SubFactory(AgreementVersionFactory)
    contact = factory.SubFactory(
        ContactFactory, customer=factory.SelfAttribute("..version.agreement.customer")
    )
    name = factory.SelfAttribute("contact.name")
    role = "Business manager"


class EngagementRowFactory(TenantFactory):
    class Meta:
        model = EngagementRow

    version = factory.SubFactory(AgreementVersionFactory)
    meeting_type = EngagementRow.MeetingType.MONTHLY_SERVICE_REVIEW
    frequency = EngagementRow.Frequency.MONTHLY
    weekday = EngagementRow.Weekday.TUESDAY
    week_of_month = 2


class ObjectiveRowFactory(TenantFactory):
    class Meta:
        model = ObjectiveRow

    version = factory.SubFactory(AgreementVersionFactory)
    objective = factory.Sequence(lambda n: f"Objective {n}")


class SlaLineFactory(TenantFactory):
    """A monthly SLA line of a draft (add lines before the version leaves draft: the trigger
    refuses them after)."""

    class Meta:
        model = SlaLine

    version = factory.SubFactory(AgreementVersionFactory)
    service = factory.SubFactory(ServiceFactory)
    metric = factory.Sequence(lambda n: f"Availability {n}")
    target_value = 99
    unit = "%"
    key = factory.LazyAttribute(lambda line: slugify(f"{line.service.name} {line.metric}")[:100])


def sla_measured_agreement(customer, *, text: str = "", days_in_force: int = 300):
    """`customer`'s agreement with a version in force for `days_in_force` days, one SLA line
    (`text` in its metric) and a measurement of last month (`text` in its note), as a signed
    round would leave them, without the round; returns (line, measurement)."""
    from datetime import timedelta

    from django.utils import timezone

    from agreements import periods, services

    with tenant_context(customer.tenant_id):
        line = SlaLineFactory(
            version__agreement__customer=customer,
            version__number=1,
            metric=f"{text} availability".strip(),
        )
        AgreementVersion.objects.filter(pk=line.version_id).update(
            status=AgreementVersion.Status.IN_FORCE,
            in_force_at=timezone.now() - timedelta(days=days_in_force),
        )
        line.version.refresh_from_db()
        start, end = periods.last_finished("month", timezone.localdate())
        measurement = services.sla_measurement_record(
            line=line,
            period_start=start,
            period_end=end,
            actual_value="99.5",
            note=f"{text} measured".strip(),
            actor=None,
        )
        return line, measurement


# Complaints --------------------------------------------------------------------------------------


class ComplaintCategoryFactory(TenantFactory):
    class Meta:
        model = "complaints.ComplaintCategory"

    name = factory.Sequence(lambda n: f"Category {n}")


def received_complaint(customer, *, actor=None, **values):
    """A complaint of `customer` received through the service (so it has its reference, targets
    and running clock), entered by the customer's relationship manager for its business manager
    unless told otherwise; made in the customer's tenant, as the pages' tests need."""
    from complaints import services

    data = {
        "subject": "The payroll run failed",
        "description": "Salaries were late.",
        "severity": "medium",
    }
    if "raiser_contact" not in values and "raiser_email" not in values:
        data["raiser_contact"] = customer.business_manager
    data.update(values)
    with tenant_context(customer.tenant_id):
        return services.complaint_receive(
            actor=actor or customer.relationship_manager, customer=customer, **data
        )


# Satisfaction ------------------------------------------------------------------------------------


class SurveyFactory(TenantFactory):
    class Meta:
        model = "satisfaction.Survey"

    name = factory.Sequence(lambda n: f"Satisfaction survey {n}")


class QuestionFactory(TenantFactory):
    class Meta:
        model = "satisfaction.Question"

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = "nps"
    text = "How likely are you to recommend IT to a colleague?"


def survey_with_questions(*, tenant=None, kinds=("nps", "csat", "service_rating", "text")):
    """A survey with one question of each of `kinds`, in that order."""
    survey = SurveyFactory(tenant=tenant) if tenant is not None else SurveyFactory()
    texts = {
        "nps": "How likely are you to recommend IT to a colleague?",
        "csat": "How satisfied are you with IT overall?",
        "service_rating": "How do you rate each service you use?",
        "effort": "How easy was it to get what you needed from IT?",
        "choice": "How do you mostly reach IT?",
        "text": "What should IT do better?",
    }
    for position, kind in enumerate(kinds):
        QuestionFactory(
            survey=survey,
            position=position,
            kind=kind,
            text=texts[kind],
            required=kind in ("nps", "csat"),
            choices=["Portal", "Phone", "Email"] if kind == "choice" else [],
        )
    return survey


class CampaignFactory(TenantFactory):
    """A draft campaign (no invitations yet) open from now for three weeks."""

    class Meta:
        model = "satisfaction.Campaign"

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    opens_at = factory.LazyFunction(timezone.now)
    closes_at = factory.LazyAttribute(lambda campaign: campaign.opens_at + timedelta(days=21))
