from django.core.management.base import BaseCommand
from django.db import transaction

from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role, Tenant
from brm.web.registry import demo_data

DEMO_USERS = [
    ("admin@demo.example", "Alex Admin", Role.ADMIN, "demo-admin-pass"),
    ("rm@demo.example", "Rita Relationship", Role.RELATIONSHIP_MANAGER, "demo-rm-pass"),
    ("itm@demo.example", "Ivan ITManager", Role.IT_MANAGER, "demo-itm-pass"),
    # The last level of the complaints route: sees the office's KPIs, works on level-3 complaints.
    ("steering@demo.example", "Stella Steering", Role.STEERING, "demo-steering-pass"),
    ("customer@demo.example", "Carla Customer", Role.CUSTOMER, "demo-customer-pass"),
    ("line@demo.example", "Lena Line", Role.CUSTOMER, "demo-line-pass"),
    ("purchaser@demo.example", "Paul Purchaser", Role.PURCHASER, "demo-purchaser-pass"),
]


class Command(BaseCommand):
    help = "Create (or keep) the demo tenant 'demo' with one user per role; prints the sign-ins."

    def handle(self, *args, **opts):
        with transaction.atomic():
            tenant = Tenant.objects.filter(slug="demo").first()
            if tenant is None:
                tenant = services.tenant_create(
                    slug="demo", name="Demo IT", time_zone="Europe/Amsterdam", mfa_policy="optional"
                )
            for email, name, role, password in DEMO_USERS:
                membership = services.member_add_with_password(
                    tenant=tenant, email=email, password=password, role=role, full_name=name
                )
                # Keep printed passwords true on a second run, even if someone changed one.
                membership.user.set_password(password)
                membership.user.save(update_fields=["password"])
            notes = []
            with tenant_context(tenant):
                members = {m.user.email: m for m in Membership.objects.select_related("user")}
                # Each area seeds its own records, lower layers first (see brm.web.registry);
                # a seed may return lines to print (a survey's answer link, say).
                for contribution in demo_data:
                    notes += contribution.seed(members) or []
        self.stdout.write(
            self.style.SUCCESS("Demo office 'Demo IT' (two-factor optional). Sign-ins:")
        )
        for email, _name, role, password in DEMO_USERS:
            self.stdout.write(f"  {role.label:<32} {email:<26} {password}")
        for note in notes:
            self.stdout.write(f"  {note}")
