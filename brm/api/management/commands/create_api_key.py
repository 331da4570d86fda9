from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from brm.api.models import ApiKey
from brm.api.services import api_key_create
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant


class Command(BaseCommand):
    help = "Make an API key for a tenant and print it (once: only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="The tenant's slug.")
        parser.add_argument("--name", required=True, help="What uses the key.")
        parser.add_argument("--scope", choices=ApiKey.Scope.values, default=ApiKey.Scope.READ)

    def handle(self, *args, **opts):
        tenant = Tenant.objects.filter(slug=opts["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with slug '{opts['tenant']}'.")
        try:
            with tenant_context(tenant):
                api_key, raw = api_key_create(name=opts["name"], scope=opts["scope"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stderr.write(
            f"Created {api_key.get_scope_display().lower()} API key '{api_key.name}' "
            f"({api_key.prefix}) for {tenant.slug}. It is shown only now:"
        )
        self.stdout.write(raw)
