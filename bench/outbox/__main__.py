"""Outbox throughput: N queued emails delivered by Celery workers to a loopback SMTP server.

    .venv/bin/python -m bench.outbox [--messages 10000] [--workers 2] [--concurrency 1]

Creates and migrates the database `brm_bench_outbox` (as BENCH_OWNER_URL's role), starts a
private redis-server on a spare port, an aiosmtpd server on loopback that counts Message-IDs, and
the worker processes; queues the emails as the runtime role, then times one dispatcher tick plus
the delivery of every email. Prints emails per second and the duplicates seen by the server.
"""

import argparse
import os
import sys
import time

from bench import mailrun

OWNER_URL = os.environ.get(
    "BENCH_OWNER_URL", "postgres://brm_owner@127.0.0.1:5432/brm_bench_outbox"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="celery worker processes")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    args = parser.parse_args()

    mailrun.fresh_database(OWNER_URL, "bench.outbox.settings")
    with mailrun.mail_servers("bench-outbox-") as (smtp, workdir):
        import django

        django.setup()
        from datetime import timedelta

        from django.utils import timezone

        from brm.outbox.models import OutboxMessage
        from brm.outbox.services import outbox_enqueue
        from brm.tenancy.context import tenant_context
        from brm.tenancy.services import tenant_create

        tenant = tenant_create(slug="bench-outbox", name="Outbox bench", mfa_policy="optional")
        started = time.monotonic()
        later = timezone.now() + timedelta(hours=1)
        with tenant_context(tenant):
            for i in range(args.messages):
                outbox_enqueue(
                    key=f"bench-{i}",
                    to=[f"person{i}@example.test"],
                    subject=f"Reminder {i}",
                    text="Your quarterly review is tomorrow at 09:00.\n" * 5,
                    html="<p>Your quarterly review is tomorrow at <strong>09:00</strong>.</p>",
                    send_at=later,
                )
            OutboxMessage.objects.update(next_attempt_at=timezone.now())  # all due now
        print(f"queued {args.messages} emails in {time.monotonic() - started:.1f}s")
        with mailrun.celery_workers(args.workers, args.concurrency, workdir):
            delivery = mailrun.deliver_all(smtp, args.messages, tick_seconds=1800)
        rows = mailrun.outbox_figures(tenant)

    print(
        f"workers: {args.workers} x concurrency {args.concurrency} (prefork), broker Redis, "
        f"PostgreSQL as {mailrun.RUNTIME_USER} under row-level security"
    )
    print(
        f"dispatcher tick: {delivery['first_tick']} emails claimed and published in "
        f"{delivery['first_tick_seconds']:.2f}s"
    )
    print(
        f"delivered: {delivery['delivered']}/{args.messages} in {delivery['seconds']:.1f}s "
        f"= {delivery['delivered_per_second']:.0f} emails/s"
    )
    print(f"duplicates at the SMTP server (same Message-ID twice): {delivery['smtp_duplicates']}")
    print(f"rows: {rows}")
    if delivery["delivered"] != args.messages or delivery["smtp_duplicates"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
