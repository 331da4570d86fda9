"""What the email benchmarks share: their own database, a private broker and SMTP server, Celery
workers, and the clock that runs until every email has reached the server.

The SMTP server (tests.outbox.servers.SmtpServer) counts Message-IDs, so an email delivered twice
is seen; each benchmark then checks the outbox rows and its own records.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
RUNTIME_USER = os.environ.get("DATABASE_RUNTIME_USER", "brm_app")


def fresh_database(owner_url: str, settings_module: str) -> None:
    """Drop and create the database of `owner_url` (owned by its role) and migrate it; then point
    this process at it as the runtime role, under row-level security."""
    import psycopg

    url = urlparse(owner_url)
    name = url.path.lstrip("/")
    conn = psycopg.connect(owner_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}" OWNER "{url.username}"')
    conn.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": owner_url,
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    os.environ["DATABASE_URL"] = url._replace(
        netloc=f"{RUNTIME_USER}@{url.hostname}:{url.port}"
    ).geturl()
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module


@contextmanager
def mail_servers(prefix: str):
    """A private redis-server (the broker) and a loopback SMTP server, for the block; yields the
    SMTP server and the work folder (the workers' logs)."""
    from tests.outbox.servers import RedisServer, SmtpServer

    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    redis, smtp = RedisServer(workdir), SmtpServer()
    redis.start()
    smtp.start()
    os.environ["CELERY_BROKER_URL"] = redis.url
    os.environ["EMAIL_URL"] = smtp.url
    try:
        yield smtp, workdir
    finally:
        smtp.stop()
        redis.stop()


@contextmanager
def celery_workers(count: int, concurrency: int, workdir: Path):
    """`count` Celery worker processes (prefork, `concurrency` each) on the default and email
    queues, stopped after the block; their output goes to workdir/worker<n>.log."""
    from tests.outbox.servers import stop_process

    workers = []
    for n in range(count):
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
                    f"--concurrency={concurrency}",
                    "-P",
                    "prefork",
                    "--loglevel=WARNING",
                    "--without-mingle",
                    "--without-gossip",
                    f"--hostname=bench{n}@%h",
                ],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        time.sleep(5)  # let the workers start; the clock starts at the first dispatcher tick
        yield workers
    finally:
        for worker in workers:
            stop_process(worker, signal.SIGTERM)


def deliver_all(smtp, expected: int, *, tick_seconds: float = 15, limit: float = 3600) -> dict:
    """Tick the outbox dispatcher as the beat does (at once, then every `tick_seconds`) until
    `expected` emails have reached the SMTP server or `limit` seconds have gone by. Returns
    the dispatcher's first tick, the seconds taken and the server's unique and duplicate counts."""
    from brm.outbox.services import outbox_dispatch

    started = time.monotonic()
    first_tick = outbox_dispatch()
    first_tick_seconds = time.monotonic() - started
    deadline = started + limit
    last_tick = last_report = started
    last_count = 0
    while (count := len(smtp.handler.accepted)) < expected and time.monotonic() < deadline:
        now = time.monotonic()
        if now - last_tick >= tick_seconds:
            outbox_dispatch()
            last_tick = now
        if now - last_report >= 15:
            rate = (count - last_count) / (now - last_report)
            print(f"  {now - started:5.0f}s: {count} delivered, {rate:.0f}/s", flush=True)
            last_report, last_count = now, count
        time.sleep(0.05)
    seconds = time.monotonic() - started
    time.sleep(2)  # the last "sent" marks and the listeners commit just after the server's 250
    unique = smtp.handler.unique()
    return {
        "first_tick": first_tick,
        "first_tick_seconds": round(first_tick_seconds, 2),
        "delivered": unique,
        "seconds": round(seconds, 1),
        "delivered_per_second": round(unique / seconds, 1),
        "smtp_duplicates": smtp.handler.duplicates(),
    }


def outbox_figures(tenant) -> dict:
    """The outbox rows by status and the number of keys there more than once (never any)."""
    from django.db.models import Count

    from brm.outbox.models import OutboxMessage
    from brm.tenancy.context import tenant_context

    with tenant_context(tenant):
        statuses = dict(
            OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        keys_twice = (
            OutboxMessage.objects.values("key").annotate(n=Count("pk")).filter(n__gt=1).count()
        )
    return {"outbox_rows": statuses, "outbox_keys_twice": keys_twice}


def write_result(name: str, result: dict) -> None:
    import json

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
