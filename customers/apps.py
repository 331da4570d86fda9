"""Customers and purchasers, their contacts, expectations, registers and the action plan."""

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self):
        from brm.tenancy.signals import invitation_accepted

        from .services import contact_link_membership

        invitation_accepted.connect(contact_link_membership, dispatch_uid="customers_contact_link")
