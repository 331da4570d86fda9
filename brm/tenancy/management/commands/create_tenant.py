import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brm.tenancy import services
from brm.tenancy.models import Role, Tenant


class Command(BaseCommand):
    help = (
        "Create a tenant (one BRM office) and its first admin. Prints a one-time invitation link, "
        "or with --noinput sets the admin's password from BRM_ADMIN_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="URL name: /t/<slug>/")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--time-zone", default="UTC")
        parser.add_argument("--language", default="en")
        parser.add_argument(
            "--mfa",
            choices=[c.value for c in Tenant.MfaPolicy],
            default=Tenant.MfaPolicy.REQUIRED,
            help="Staff two-factor authentication policy (default: required).",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_true",
            help="Take the admin's password from BRM_ADMIN_PASSWORD instead of printing a link.",
        )

    def handle(self, *args, **opts):
        password = os.environ.get("BRM_ADMIN_PASSWORD", "")
        if opts["noinput"] and not password:
            raise CommandError("--noinput needs the admin's password in BRM_ADMIN_PASSWORD.")
        if Tenant.objects.filter(slug=opts["slug"]).exists():
            raise CommandError(f"A tenant with slug '{opts['slug']}' exists already.")
        try:
            with transaction.atomic():
                tenant = services.tenant_create(
                    slug=opts["slug"],
                    name=opts["name"],
                    time_zone=opts["time_zone"],
                    language=opts["language"],
                    mfa_policy=opts["mfa"],
                )
                if opts["noinput"]:
                    services.member_add_with_password(
                        tenant=tenant, email=opts["admin_email"], password=password, role=Role.ADMIN
                    )
                    link = None
                else:
                    _invitation, link = services.invitation_create(
                        tenant=tenant, email=opts["admin_email"], role=Role.ADMIN, send=False
                    )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Created tenant '{tenant.slug}' ({tenant.name})."))
        if link:
            self.stdout.write("Send this one-time invitation link to the admin (valid 7 days):")
            self.stdout.write(link)
        else:
            self.stdout.write(f"Admin {opts['admin_email']} can sign in with the given password.")
