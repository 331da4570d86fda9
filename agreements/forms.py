"""Forms of the agreements pages. They parse input only: every rule (drafts only, the people of
this customer, the four signers and their mandate) is the services'; a refusal lands on the form.

Fields come from the models (`_field`), so labels, choices and limits are written once. Relation
fields get their queryset in __init__, inside the request's tenant.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, Role
from brm.web.forms import MemberChoiceField, date_input, search_field
from customers import selectors as customer_selectors
from customers.forms import ContactChoiceField
from customers.models import ActionItem, Contact, Customer

from . import services
from .models import (
    ActionPlanRow,
    Agreement,
    AgreementVersion,
    EngagementRow,
    ObjectiveRow,
    PartnerPlanRow,
    Signature,
    SlaLine,
)


def _field(model, name: str, **kwargs) -> forms.Field:
    return model._meta.get_field(name).formfield(**kwargs)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class AgreementFilterForm(forms.Form):
    q = search_field(_("Customer name"))
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *Agreement.State.choices]
    )
    relationship_manager = MemberChoiceField(
        label=_("Relationship manager"),
        queryset=None,
        required=False,
        empty_label=_("Any relationship manager"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship_manager"].queryset = customer_selectors.customer_rm_choices()


class AgreementStartForm(forms.Form):
    """Start an agreement: the customer (when not given by the page) and the philosophy."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    relationship_philosophy = _field(
        AgreementVersion, "relationship_philosophy", widget=_textarea(5)
    )

    def __init__(self, *args, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if customer is not None:
            del self.fields["customer"]
        else:
            # Customers without an agreement: the service refuses a second one anyway.
            self.fields["customer"].queryset = (
                Customer.objects.exclude(pk__in=Agreement.objects.values("customer_id"))
                .only("pk", "name")
                .order_by("name", "pk")
            )
        self.fields["relationship_philosophy"].help_text = _(
            "How the business and IT mean to work together. The sections are added next."
        )


class PhilosophyForm(forms.Form):
    relationship_philosophy = _field(
        AgreementVersion, "relationship_philosophy", widget=_textarea(8)
    )


# Section rows ------------------------------------------------------------------------------------


class SectionRowForm(forms.Form):
    """A row of one section of a draft of `customer`'s agreement; `editing` an existing one."""

    def __init__(self, *args, customer: Customer, editing: bool = False, **kwargs):
        self.customer = customer
        self.editing = editing
        super().__init__(*args, **kwargs)

    def staff(self):
        return customer_selectors.staff_members()

    def contacts(self):
        return Contact.objects.filter(customer=self.customer).order_by("name", "pk")

    @classmethod
    def initial_of(cls, row) -> dict:
        return {name: getattr(row, name) for name in cls.base_fields}

    def values(self) -> dict:
        """What the service takes: the cleaned data."""
        return dict(self.cleaned_data)


class PartnerPlanRowForm(SectionRowForm):
    contact = ContactChoiceField(
        label=_("Contact of the customer"),
        queryset=None,
        required=False,
        empty_label=_("Not a contact"),
    )
    member = MemberChoiceField(
        label=_("Staff member"), queryset=None, required=False, empty_label=_("Not staff")
    )
    name = _field(PartnerPlanRow, "name", required=False)
    title = _field(PartnerPlanRow, "title")
    email = _field(PartnerPlanRow, "email")
    phone = _field(PartnerPlanRow, "phone")
    role = _field(PartnerPlanRow, "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = self.contacts()
        self.fields["member"].queryset = self.staff()
        self.fields["contact"].help_text = _(
            "A contact of the customer or a staff member. Name, title and details are copied "
            "from them where left empty, as of this version."
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("contact")) == bool(data.get("member")):
            raise forms.ValidationError(
                _("Name either a contact of the customer or a staff member.")
            )
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if self.editing:
            # Every field as given (a detail may be cleared, the person changed); the name,
            # which a row must have, stays when left empty.
            if not data.get("name"):
                data.pop("name", None)
            return data
        # Empty details are copied from the person by the service (a snapshot as of the version).
        return {k: v for k, v in data.items() if v not in ("", None)}


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several records, kept as a list of their ids (the engagement row's attendee lists)."""

    def clean(self, value):
        return [obj.pk for obj in super().clean(value)]


class StaffIdsChoiceField(IdsChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.full_name or obj.user.email


WEEK_OF_MONTH_CHOICES = [
    ("", _("No weekday position")),
    ("1", _("First")),
    ("2", _("Second")),
    ("3", _("Third")),
    ("4", _("Fourth")),
    ("5", _("Fifth")),
    ("-1", _("Last")),
]


class EngagementRowForm(SectionRowForm):
    meeting_type = _field(EngagementRow, "meeting_type")
    name = _field(EngagementRow, "name")
    purpose = _field(EngagementRow, "purpose", widget=_textarea())
    attendee_roles = forms.CharField(
        label=_("Attending roles"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. service owner, finance lead."),
    )
    attendee_contact_ids = IdsChoiceField(
        label=_("Attending contacts"), queryset=None, required=False
    )
    attendee_member_ids = StaffIdsChoiceField(
        label=_("Attending staff"), queryset=None, required=False
    )
    frequency = _field(EngagementRow, "frequency")
    interval = _field(EngagementRow, "interval")
    month_day = _field(EngagementRow, "month_day")
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("No weekday")), *EngagementRow.Weekday.choices],
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=WEEK_OF_MONTH_CHOICES,
        help_text=_("With a weekday: the 2nd Tuesday, the last Friday..."),
    )
    duration_minutes = _field(EngagementRow, "duration_minutes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee_contact_ids"].queryset = self.contacts()
        self.fields["attendee_member_ids"].queryset = self.staff()
        self.fields["interval"].help_text = _("For weekly meetings: every N weeks.")

    @classmethod
    def initial_of(cls, row) -> dict:
        initial = super().initial_of(row)
        initial["attendee_roles"] = ", ".join(row.attendee_roles or [])
        return initial

    def clean_attendee_roles(self) -> list[str]:
        text = self.cleaned_data["attendee_roles"]
        return [part.strip() for part in text.split(",") if part.strip()]


class ObjectiveRowForm(SectionRowForm):
    objective = _field(ObjectiveRow, "objective")
    initiative = _field(ObjectiveRow, "initiative", widget=_textarea())
    owner_text = _field(ObjectiveRow, "owner_text")
    owner_member = MemberChoiceField(
        label=_("Owner (staff)"), queryset=None, required=False, empty_label=_("No staff owner")
    )
    target_date = _field(ObjectiveRow, "target_date", widget=date_input())
    status = _field(ObjectiveRow, "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = self.staff()
        self.fields["owner_text"].help_text = _("Named in words, or choose a staff member below.")


class ActionPlanRowForm(SectionRowForm):
    """An action plan row: the customer's action item (source "agreement"), made here or an
    existing one linked; editing a row edits its item."""

    title = _field(ActionPlanRow, "title", required=False)
    owner_member = MemberChoiceField(
        label=_("Owner in IT"), queryset=None, required=False, empty_label=_("No staff owner")
    )
    owner_contact = ContactChoiceField(
        label=_("Owner in the business"),
        queryset=None,
        required=False,
        empty_label=_("No business owner"),
    )
    due_date = _field(ActionPlanRow, "due_date", widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = self.staff()
        self.fields["owner_contact"].queryset = self.contacts()
        if not self.editing:  # a new row may link an existing item instead
            self.fields = {
                "action_item": forms.ModelChoiceField(
                    label=_("An open action item of the customer"),
                    queryset=ActionItem.objects.filter(
                        customer=self.customer, status=ActionItem.Status.OPEN
                    ).order_by("due_date", "title", "pk"),
                    required=False,
                    empty_label=_("None: create a new one"),
                    help_text=_("Or leave this empty and describe a new action item below."),
                ),
                **self.fields,
            }
        else:
            self.fields["title"].required = True

    @classmethod
    def initial_of(cls, row) -> dict:
        item = row.action_item
        if item is None:
            return {"title": row.title, "due_date": row.due_date}
        return {
            "title": item.title,
            "owner_member": item.owner_member,
            "owner_contact": item.owner_contact,
            "due_date": item.due_date,
        }

    def clean(self):
        data = super().clean()
        if data.get("owner_member") and data.get("owner_contact"):
            self.add_error(
                "owner_contact", _("Choose a staff owner or a business owner, not both.")
            )
        if not data.get("action_item") and not data.get("title"):
            self.add_error("title", _("Choose an action item or give the new one a title."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("action_item"):
            return {"action_item": data["action_item"]}
        data.pop("action_item", None)
        return data


class SlaLineForm(SectionRowForm):
    """A line of the SLA / OLA appendix: a catalogue service, its metric and target."""

    kind = _field(SlaLine, "kind")
    service = forms.ModelChoiceField(label=_("Service"), queryset=None)
    metric = _field(SlaLine, "metric")
    target_value = _field(SlaLine, "target_value")
    unit = _field(SlaLine, "unit")
    direction = _field(SlaLine, "direction")
    period = _field(SlaLine, "period")
    workload_limit = _field(SlaLine, "workload_limit", widget=_textarea(2))
    exceptions = _field(SlaLine, "exceptions", widget=_textarea(2))
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("The service's owner"),
        help_text=_("Who is reminded of a missing measurement (else the customer's RM)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = customer_selectors.service_choices()
        self.fields["owner"].queryset = self.staff()


ROW_FORMS: dict[str, type[SectionRowForm]] = {
    "partner_plan": PartnerPlanRowForm,
    "engagement": EngagementRowForm,
    "objectives": ObjectiveRowForm,
    "action_plan": ActionPlanRowForm,
    "sla": SlaLineForm,
}


# Submitting, withdrawing, signing ----------------------------------------------------------------

SignerRole = Signature.SignerRole


def signer_candidates(customer: Customer) -> dict[str, list[Membership]]:
    """The people who may be named for each signature, as the service's own mandate check
    answers now: the customer's RM, the office's IT managers, and the customer's contacts with
    a customer login and the budget mandate (the business manager only for that role)."""
    staff = list(
        Membership.objects.filter(is_active=True, role=Role.IT_MANAGER)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    portal = list(
        Membership.objects.filter(
            is_active=True,
            role=Role.CUSTOMER,
            pk__in=Contact.objects.filter(customer=customer).values("membership_id"),
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    rm = customer.relationship_manager
    offered = {
        SignerRole.RELATIONSHIP_MANAGER: [rm] if rm is not None else [],
        SignerRole.IT_MANAGER: staff,
        SignerRole.BUSINESS_MANAGER: portal,
        SignerRole.BUSINESS_LINE_MANAGER: portal,
    }
    return {
        role: [
            m
            for m in members
            if services.mandate_check(role=role, membership=m, customer=customer)[0]
        ]
        for role, members in offered.items()
    }


class SubmitForm(forms.Form):
    """The four signers, each chosen among the people the mandate check allows."""

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = signer_candidates(customer)
        for role, label in SignerRole.choices:
            people = candidates[role]
            self.fields[role] = MemberChoiceField(
                label=label,
                queryset=Membership.objects.filter(pk__in=[m.pk for m in people]).select_related(
                    "user"
                ),
                empty_label=_("Choose…"),
                initial=people[0].pk if len(people) == 1 else None,
            )
            if not people:
                self.fields[role].help_text = _("Nobody can sign as %(role)s yet.") % {
                    "role": str(label).lower()
                }

    def clean(self):
        data = super().clean()
        chosen = [m.user_id for m in data.values() if m is not None]
        if len(chosen) == len(SignerRole.values) and len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("The four signers must be four different people."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"), widget=_textarea(), max_length=2000, required=True
    )


class SignForm(forms.Form):
    affirmation = forms.BooleanField(required=True)

    def __init__(self, *args, affirmation_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affirmation"].label = affirmation_text
        self.fields["affirmation"].error_messages["required"] = _("Tick the affirmation to sign.")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=_textarea(4),
        max_length=2000,
        help_text=_("The signing round stops and the relationship manager is told your reason."),
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    b = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(n)s") % {"n": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
