from django import forms

from .models import ApiKey


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "scope"]
        help_texts = {
            "name": "What uses this key, e.g. the service desk integration.",
            "scope": "A read-only key cannot change anything.",
        }
