"""Forms of the staff pages of the customers area.

Every choice field gets its queryset in __init__, from a selector, inside the request's tenant:
the relation fields are declared with `queryset=None` because a generated one would query the
scoped manager at import time, outside any tenant (and would offer other customers' contacts).
The forms only parse input; the rules are in customers.services, which the views call.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import Membership
from brm.web.forms import MemberChoiceField, date_input, search_field

from . import selectors
from .models import (
    ActionItem,
    BusinessExpectation,
    Contact,
    Customer,
    Purchaser,
    RegisterItem,
    Service,
)

DATE_INPUT = date_input()


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} ({obj.title})" if obj.title else obj.name


# Lists -------------------------------------------------------------------------------------------


class CustomerFilterForm(forms.Form):
    q = search_field(_("Name or division"))
    relationship_manager = MemberChoiceField(
        label=_("Relationship manager"),
        queryset=None,
        required=False,
        empty_label=_("Any relationship manager"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Customer.Status.choices],
    )
    division = forms.ChoiceField(label=_("Division"), required=False)

    def __init__(self, *args, with_rm=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_rm:
            self.fields["relationship_manager"].queryset = selectors.customer_rm_choices()
        else:  # "My customers": the relationship manager is the person asking
            del self.fields["relationship_manager"]
        self.fields["division"].choices = [
            ("", _("Any division")),
            *((d, d) for d in selectors.customer_divisions()),
        ]


class ActionItemFilterForm(forms.Form):
    q = search_field(_("Title"))
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("All customers")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.only("pk", "name").order_by("name")


# Customers ---------------------------------------------------------------------------------------


class CustomerForm(forms.ModelForm):
    relationship_manager = MemberChoiceField(label=_("Relationship manager"), queryset=None)
    business_manager = ContactChoiceField(
        label=_("Business manager"),
        queryset=None,
        required=False,
        empty_label=_("Not named yet"),
        help_text=_("The customer contact who holds the IT budget."),
    )
    counterpart = ContactChoiceField(
        label=_("Business counterpart"),
        queryset=None,
        required=False,
        empty_label=_("Not named yet"),
        help_text=_("The one named person with authority for the relationship."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services consumed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The catalogue's IT services this customer uses."),
    )

    class Meta:
        model = Customer
        fields = [
            "name",
            "division",
            "status",
            "relationship_manager",
            "business_manager",
            "counterpart",
            "strategy",
            "business_drivers",
            "demand_patterns",
            "services",
            "notes",
        ]
        widgets = {
            field: forms.Textarea(attrs={"rows": 3})
            for field in (
                "strategy",
                "business_drivers",
                "demand_patterns",
                "notes",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship_manager"].queryset = selectors.relationship_managers()
        self.fields["services"].queryset = selectors.service_choices()
        if self.instance.pk is None:
            # A new customer has no contacts yet: these are chosen once contacts are added.
            del self.fields["business_manager"]
            del self.fields["counterpart"]
        else:
            contacts = Contact.objects.filter(customer=self.instance).order_by("name")
            self.fields["business_manager"].queryset = contacts
            self.fields["counterpart"].queryset = contacts


class ServiceForm(forms.ModelForm):
    owner = MemberChoiceField(
        label=_("Service owner"),
        queryset=None,
        required=False,
        empty_label=_("No owner yet"),
        help_text=_("The member of the IT staff accountable for the service."),
    )

    class Meta:
        model = Service
        fields = ["name", "description", "owner", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.service_owner_choices()


class ServiceFilterForm(forms.Form):
    q = search_field(_("Search name or description"))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Service.Status.choices]
    )


# Sub-records of one customer ---------------------------------------------------------------------


class CustomerRecordForm(forms.ModelForm):
    """A record under one customer; `customer` is given by the page, never by the input."""

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        if self.instance.pk is None:
            self.instance.customer = customer  # so that the model's clean() can compare

    def staff_choices(self, field: str):
        """Active staff, and whoever holds the field now even if they left since: editing a
        record must not fail on a person nobody is changing."""
        current = getattr(self.instance, f"{field}_id", None)
        staff = selectors.staff_members()
        return staff | Membership.objects.filter(pk=current) if current else staff


class PurchaserForm(CustomerRecordForm):
    manager = ContactChoiceField(
        label=_("Manager"), queryset=None, required=False, empty_label=_("No manager named")
    )
    it_contact = MemberChoiceField(
        label=_("Designated IT contact"),
        queryset=None,
        required=False,
        empty_label=_("None yet"),
        help_text=_("Who in IT looks after this purchaser."),
    )

    class Meta:
        model = Purchaser
        fields = ["name", "manager", "it_contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = Contact.objects.filter(customer=self.customer)
        self.fields["it_contact"].queryset = self.staff_choices("it_contact")


class ContactForm(CustomerRecordForm):
    purchaser = forms.ModelChoiceField(
        label=_("Purchaser"),
        queryset=None,
        required=False,
        empty_label=_("None (the customer itself)"),
        help_text=_("The line or department this person belongs to, if any."),
    )

    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "email",
            "phone",
            "purchaser",
            "role",
            "authority",
            "influence",
            "interests",
            "responsibilities",
        ]
        widgets = {
            "interests": forms.Textarea(attrs={"rows": 3}),
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = Purchaser.objects.filter(customer=self.customer)


class ExpectationForm(CustomerRecordForm):
    class Meta:
        model = BusinessExpectation
        fields = ["title", "service", "description", "acceptance_criteria", "metrics", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "acceptance_criteria": forms.Textarea(attrs={"rows": 3}),
            "metrics": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "status": _(
                "Propose an expectation to the business; only the customer agrees it, on the "
                "portal."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreed = BusinessExpectation.Status.AGREED
        if self.instance.status != agreed:
            # "Agreed" comes from the business on the portal, never from this form.
            self.fields["status"].choices = [
                c for c in self.fields["status"].choices if c[0] != agreed
            ]
        else:
            self.fields["status"].help_text = _(
                "Agreed by the business. Changing what was agreed makes it proposed again."
            )


class RegisterItemForm(CustomerRecordForm):
    owner = MemberChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("No owner")
    )

    class Meta:
        model = RegisterItem
        fields = [
            "kind",
            "title",
            "description",
            "owner",
            "impact",
            "likelihood",
            "status",
            "review_date",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "review_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = self.staff_choices("owner")


class ActionItemForm(CustomerRecordForm):
    owner_member = MemberChoiceField(
        label=_("Owner in IT"), queryset=None, required=False, empty_label=_("No staff owner")
    )
    owner_contact = ContactChoiceField(
        label=_("Owner in the business"),
        queryset=None,
        required=False,
        empty_label=_("No business owner"),
        help_text=_("An action item has one owner: a staff member or a contact, not both."),
    )

    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner_member", "owner_contact", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = self.staff_choices("owner_member")
        self.fields["owner_contact"].queryset = Contact.objects.filter(customer=self.customer)

    def clean(self):
        data = super().clean()
        if data.get("owner_member") and data.get("owner_contact"):
            self.add_error(
                "owner_contact",
                _("Choose a staff owner or a business owner, not both."),
            )
        return data
