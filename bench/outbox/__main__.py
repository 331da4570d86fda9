"""Outbox throughput: N queued emails delivered by Celery workers to a loopback SMTP server.

    .venv/bin/python -m bench.outbox [--messages 10000] [--workers 2] [--concurrency 1]

Creates and migrates the database `brm_bench_outbox` (as BENCH_OWNER_URL's role), starts a
private redis-server on a spare port, an aiosmtpd server on loopback that counts Message-IDs, and
the worker processes; queues the emails as the runtime role, then times one dispatcher tick plus
the delivery of every email. Prints emails per second and the duplicates seen by the server.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
OWNER_URL = os.environ.get(
    "BENCH_OWNER_URL", "postgres://brm_owner@127.0.0.1:5432/brm_bench_outbox"
)
RUNTIME_USER = os.environ.get("DATABASE_RUNTIME_USER", "brm_app")


def ensure_database() -> None:
    import psycopg

    url = urlparse(OWNER_URL)
    name = url.path.lstrip("/")
    conn = psycopg.connect(OWNER_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}" OWNER "{url.username}"')
    conn.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.outbox.settings",
        "DATABASE_URL": OWNER_URL,
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="celery worker processes")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    args = parser.parse_args()

    ensure_database()
    url = urlparse(OWNER_URL)
    os.environ["DATABASE_URL"] = url._replace(
        netloc=f"{RUNTIME_USER}@{url.hostname}:{url.port}"
    ).geturl()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.outbox.settings"

    from tests.outbox.servers import RedisServer, SmtpServer, stop_process

    workdir = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    redis, smtp = RedisServer(workdir), SmtpServer()
    redis.start()
    smtp.start()
    os.environ["CELERY_BROKER_URL"] = redis.url
    os.environ["EMAIL_URL"] = smtp.url

    import django

    django.setup()
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from brm.outbox.models import OutboxMessage
    from brm.outbox.services import outbox_dispatch, outbox_enqueue
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

    workers = []
    for n in range(args.workers):
        log = (workdir / f"worker{n}.log").open("wb")
        workers.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/celery"),
                    "-A",
                    "brm",
                    "worker",
                    "-Q",
                    "default,email",
                    f"--concurrency={args.concurrency}",
                    "-P",
                    "prefork",
                    "--loglevel=WARNING",
                    "--without-mingle",
                    "--without-gossip",
                    f"--hostname=bench{n}@%h",
                ],
                cwd=ROOT,
                env=os.environ.copy(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    time.sleep(5)  # let the workers start; the clock starts at the dispatcher tick

    started = time.monotonic()
    dispatched = outbox_dispatch()
    dispatch_seconds = time.monotonic() - started
    deadline = started + 1800
    last_report, last_count = started, 0
    while (count := len(smtp.handler.accepted)) < args.messages and time.monotonic() < deadline:
        now = time.monotonic()
        if now - last_report >= 10:
            rate = (count - last_count) / (now - last_report)
            print(f"  {now - started:5.0f}s: {count} delivered, {rate:.0f}/s")
            last_report, last_count = now, count
        time.sleep(0.05)
    delivered_seconds = time.monotonic() - started
    time.sleep(1)  # the last "sent" marks commit just after the server's 250
    with tenant_context(tenant):
        statuses = dict(
            OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )

    for worker in workers:
        stop_process(worker, signal.SIGTERM)
    smtp.stop()
    redis.stop()

    unique, duplicates = smtp.handler.unique(), smtp.handler.duplicates()
    print(
        f"workers: {args.workers} x concurrency {args.concurrency} (prefork), broker Redis, "
        f"PostgreSQL as {RUNTIME_USER} under row-level security"
    )
    print(f"dispatcher tick: {dispatched} emails claimed and published in {dispatch_seconds:.2f}s")
    print(
        f"delivered: {unique}/{args.messages} in {delivered_seconds:.1f}s "
        f"= {unique / delivered_seconds:.0f} emails/s"
    )
    print(f"duplicates at the SMTP server (same Message-ID twice): {duplicates}")
    print(f"rows: {statuses}")
    if unique != args.messages or duplicates:
        sys.exit(1)


if __name__ == "__main__":
    main()
