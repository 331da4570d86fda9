"""Form pieces every area's pages use. Relation fields get their queryset in the form's
__init__, from a selector inside the request's tenant: a queryset built at import time would
query the scoped manager outside any tenant."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMAT = "%Y-%m-%d"


def date_input() -> forms.DateInput:
    """The browser's date picker; the value travels as YYYY-MM-DD."""
    return forms.DateInput(format=DATE_INPUT_FORMAT, attrs={"type": "date"})


class MemberChoiceField(forms.ModelChoiceField):
    """A staff member by name (the role is on the members page, not needed here)."""

    def label_from_instance(self, obj) -> str:
        return obj.user.full_name or obj.user.email


def search_field(placeholder: str) -> forms.CharField:
    """A list page's free-text search box (`q`)."""
    return forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
    )


class CommentForm(forms.Form):
    """A comment on a record (an action item, later a complaint or a decision)."""

    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
