from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from brm.web.forms import search_field

from .models import Membership, Role, Tenant, _time_zone_choices


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        help_text=_(
            "Staff roles use this application; customer and purchaser roles use the business "
            "portal. Only a customer (business manager) holds the mandate to decide and sign."
        ),
    )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "is_active"]
        help_texts = {"is_active": _("An inactive member can no longer open this office.")}


class MemberFilterForm(forms.Form):
    q = search_field(_("Name or email"))
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, needs_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        if not needs_password:
            for name in ("full_name", "password1", "password2"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if "password1" in self.fields:
            p1, p2 = data.get("password1"), data.get("password2")
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
            elif p1:
                from brm.accounts.models import User

                try:
                    password_validation.validate_password(
                        p1, User(email=self.email, full_name=data.get("full_name", ""))
                    )
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data


class TenantSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        help_text=_("Meeting times, due dates and reminders are shown in this zone."),
    )

    class Meta:
        model = Tenant
        fields = ["name", "time_zone", "language", "mfa_policy"]
        help_texts = {
            "mfa_policy": _(
                "When required, staff must set up an authenticator app before using the office."
            )
        }
