"""People: one User model with email as the login (sign-in itself is django-allauth)."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brm.accounts"
    label = "accounts"
    verbose_name = "Accounts"
