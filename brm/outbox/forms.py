from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *OutboxMessage.Status.choices],
    )
