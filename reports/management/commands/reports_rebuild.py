from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant
from reports import services

MAX_DAYS = 3660


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Recompute an office's snapshots from --since to --until (office dates, both included) "
        "for the metrics the records keep the history of; those measured as of now keep theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="The office's slug.")
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--until", required=True, help="Last day, YYYY-MM-DD.")

    def handle(self, *args, **opts):
        tenant = Tenant.objects.filter(slug=opts["office"]).first()
        if tenant is None:
            raise CommandError(f"No office with slug '{opts['office']}'.")
        since, until = _day(opts["since"]), _day(opts["until"])
        if since > until:
            raise CommandError("--since is after --until.")
        today = timezone.localdate(timezone.now(), tenant.zone)
        if until >= today:
            raise CommandError(f"--until must be a past day (before {today.isoformat()}).")
        if (until - since).days >= MAX_DAYS:
            raise CommandError(f"Rebuild at most {MAX_DAYS} days at a time.")
        written = 0
        day = since
        while day <= until:  # a transaction a day: a long range is not one long lock
            with tenant_context(tenant):
                written += services.snapshots_rebuild(since=day, until=day)
            day += timedelta(days=1)
        with tenant_context(tenant):
            services.snapshots_rebuild_record(since=since, until=until, written=written)
        self.stdout.write(f"Rebuilt {written} snapshots of {tenant.slug}, {since} to {until}.")
