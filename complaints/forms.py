"""Forms of the complaints pages, staff and portal. Relation fields get their querysets in
__init__ (inside the request's office); the services check the rest (a contact of another
customer, a category no longer offered...) and their refusals land on these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership, Role
from brm.web.forms import MemberChoiceField, date_input, search_field
from customers.models import Contact, Customer, Purchaser
from customers.selectors import service_choices

from . import selectors
from .models import Complaint, Severity

Status = Complaint.Status


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _staff_owners():
    """Who may own a complaint: active staff who write, and the steering group (level 3)."""
    return (
        Membership.objects.filter(
            is_active=True,
            role__in=[Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER, Role.STEERING],
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


# The list --------------------------------------------------------------------------------------

YES_NO = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]
LEVELS = [("", _("Any level"))] + [(str(n), _("Level %(n)s") % {"n": n}) for n in (1, 2, 3)]


class ComplaintFilterForm(forms.Form):
    q = search_field(_("Reference or subject"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open")), *Status.choices],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any severity")), *Severity.choices]
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=LEVELS)
    breached = forms.ChoiceField(label=_("Breached"), required=False, choices=YES_NO)
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("Any customer")
    )
    owner = MemberChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Anyone")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("Any category")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.only("name").order_by("name", "pk")
        self.fields["owner"].queryset = _staff_owners()
        self.fields["category"].queryset = selectors.category_list()


# Raising a complaint (staff) -------------------------------------------------------------------

STAFF_CHANNELS = [
    (Complaint.Channel.STAFF, Complaint.Channel.STAFF.label),
    (Complaint.Channel.EMAIL, Complaint.Channel.EMAIL.label),
    (Complaint.Channel.MEETING, Complaint.Channel.MEETING.label),
]


class _ComplaintFields(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial="medium")
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=_textarea(5))
    desired_outcome = forms.CharField(
        label=_("The outcome wanted"), widget=_textarea(3), required=False
    )
    service = forms.ModelChoiceField(label=_("Related service"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_list(offered_only=True)
        self.fields["service"].queryset = service_choices()


class ComplaintRaiseForm(_ComplaintFields):
    """A complaint entered by staff: received by email, in a meeting, on the phone."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)
    purchaser = forms.ModelChoiceField(label=_("Purchaser unit"), queryset=None, required=False)
    raiser_contact = forms.ModelChoiceField(
        label=_("Raised by (a contact)"), queryset=None, required=False
    )
    raiser_name = forms.CharField(label=_("or the raiser's name"), max_length=200, required=False)
    raiser_email = forms.EmailField(label=_("and email"), required=False)
    about_rm = forms.BooleanField(
        label=_("About the relationship manager"),
        required=False,
        help_text=_("Starts at level 2 and is never shown to that relationship manager."),
    )

    field_order = [
        "customer",
        "channel",
        "purchaser",
        "raiser_contact",
        "raiser_name",
        "raiser_email",
        "subject",
        "description",
        "desired_outcome",
        "category",
        "severity",
        "service",
        "about_rm",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.order_by("name", "pk")
        self.fields["purchaser"].queryset = Purchaser.objects.select_related("customer").order_by(
            "customer__name", "name", "pk"
        )
        self.fields["raiser_contact"].queryset = Contact.objects.select_related(
            "customer"
        ).order_by("customer__name", "name", "pk")
        self.fields["purchaser"].label_from_instance = lambda p: f"{p.customer.name}: {p.name}"
        self.fields["raiser_contact"].label_from_instance = lambda c: f"{c.customer.name}: {c}"


class PortalRaiseForm(_ComplaintFields):
    """A complaint raised in the portal: the raiser is the portal user; a customer login may
    name one of its purchaser units, a purchaser raises for their own unit."""

    purchaser = forms.ModelChoiceField(label=_("For the unit"), queryset=None, required=False)
    field_order = ["subject", "description", "desired_outcome", "category", "severity"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if scope.whole_customer:
            self.fields["purchaser"].queryset = Purchaser.objects.filter(
                customer_id=scope.contact.customer_id
            ).order_by("name", "pk")
        else:
            del self.fields["purchaser"]
        self.fields["service"].queryset = self.fields["service"].queryset.filter(
            customer_links__customer_id=scope.contact.customer_id
        )


# Actions on a complaint ------------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the raiser (optional)"), widget=_textarea(3), required=False
    )


class AssignForm(forms.Form):
    owner = MemberChoiceField(label=_("Owner"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_owners().exclude(role=Role.STEERING)


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reason = forms.CharField(label=_("Why"), widget=_textarea(3))


class WaitForm(forms.Form):
    question = forms.CharField(
        label=_("The question to the raiser"),
        widget=_textarea(3),
        help_text=_("The clocks stop until the raiser answers (or you resume)."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=_textarea(4), max_length=10000)
    file = forms.FileField(label=_("Attach a file (optional)"), required=False)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Up to 10 MB: PDF, images, text, Office."))
    internal = forms.BooleanField(label=_("Staff only"), required=False)


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("Why it is escalated"), widget=_textarea(3))
    owner = MemberChoiceField(
        label=_("New owner (optional)"),
        queryset=None,
        required=False,
        help_text=_("Left empty, the people at the next level take it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_owners()


class ResolveForm(forms.Form):
    root_cause_category = forms.ChoiceField(
        label=_("Root cause"), choices=[("", "---------"), *Complaint.RootCause.choices]
    )
    root_cause = forms.CharField(label=_("Root cause (details)"), widget=_textarea(3))
    resolution = forms.CharField(label=_("Resolution"), widget=_textarea(4))
    actions = forms.CharField(
        label=_("Corrective actions (optional)"),
        widget=_textarea(3),
        required=False,
        help_text=_("One a line; each becomes an action item of the customer."),
    )
    actions_owner = MemberChoiceField(label=_("Their owner"), queryset=None, required=False)
    actions_due = forms.DateField(label=_("Due by"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions_owner"].queryset = _staff_owners()

    def action_items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "title": line.strip(),
                "owner_member": data["actions_owner"],
                "due_date": data["actions_due"],
            }
            for line in (data.get("actions") or "").splitlines()
            if line.strip()
        ]


# The raiser's answers (portal) -----------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), widget=_textarea(3), max_length=5000)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was it handled? (optional)"),
        choices=[("", _("No rating")), *[(str(n), f"{n} / 5") for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )


# The policy and the categories (admins) --------------------------------------------------------

POLICY_FIELDS = (
    ("acknowledge_hours", _("acknowledge")),
    ("resolve_hours", _("resolve (level 1)")),
    ("level_2_resolve_hours", _("at level 2")),
    ("level_3_resolve_hours", _("at level 3")),
)


class PolicyForm(forms.Form):
    """Every severity's four targets, in business hours, on one form."""

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        for severity, values in policy.items():
            for name, label in POLICY_FIELDS:
                self.fields[f"{severity}__{name}"] = forms.DecimalField(
                    label=f"{Severity(severity).label}: {label}",
                    min_value=0.25,
                    max_value=10000,
                    decimal_places=2,
                    initial=getattr(values, name),
                )

    def rows(self):
        """[(severity label, [bound fields])] for the table."""
        return [
            (
                Severity(severity).label,
                [self[f"{severity}__{name}"] for name, _label in POLICY_FIELDS],
            )
            for severity in Severity.values
        ]

    def per_severity(self) -> dict[str, dict]:
        values: dict[str, dict] = {}
        for key, value in self.cleaned_data.items():
            severity, name = key.split("__")
            values.setdefault(severity, {})[name] = value
        return values


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)
