"""Load the customers pages and API under gunicorn on PostgreSQL, beside the raw-SQL floor.

    .venv/bin/python -m bench.customers.load [--duration 10] [--connections 8] [--workers 5]
                                             [--rounds 3] [--only "api"]

Needs the seeded bench database (python -m bench.customers.seed) and wrk (Debian package). For
each endpoint it reports requests per second, p50 and p95 latency at N concurrent connections (the
median of --rounds rounds that take the endpoints in turn), its throughput as a share of the
floor's in the same round, and the SQL queries one request makes (counted in-process with the same
settings). Results are printed and written to bench/results/customers.json.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("wrk_report.lua")
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare():
    """A signed-in relationship manager's session, an API key, and a customer id of bench-big."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from brm.api.services import api_key_create
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership, Role, Tenant
    from customers.models import Customer

    tenant = Tenant.objects.get(slug="bench-big")
    with tenant_context(tenant):
        rm = (
            Membership.objects.select_related("user")
            .filter(role=Role.RELATIONSHIP_MANAGER)
            .order_by("pk")
            .first()
        )
        _key, raw_key = api_key_create(name="bench load", scope="read")
        customer = Customer.objects.filter(relationship_manager=rm).order_by("name").first()
    session = SessionStore()
    session[SESSION_KEY] = str(rm.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = rm.user.get_session_auth_hash()
    session.create()
    return session.session_key, raw_key, customer.pk


def count_queries(path: str, headers: dict) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(**headers)
    client.get(path)  # warm: once-a-minute key "last used" write, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    # Savepoints and set_config are bookkeeping, not reads; count both ways.
    real = [
        q
        for q in ctx.captured_queries
        if not re.match(r"(RELEASE )?SAVEPOINT|SELECT set_config", q["sql"])
    ]
    return len(real)


def run_wrk(url: str, header: str, duration: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            "-H",
            header,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_RESULT"))
    return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    # gunicorn's own advice: (2 x cores) + 1 worker processes, one thread each.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only", default="", help="run the endpoints whose name contains this (and the floor)"
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    session_key, api_key, customer_id = prepare()
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "brm.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        cookie = f"Cookie: sessionid={session_key}"
        bearer = f"Authorization: Bearer {api_key}"
        cases = [
            ("customer list page", "/t/bench-big/customers/", cookie),
            ("customer page", f"/t/bench-big/customers/{customer_id}/", cookie),
            ("GET /api/v1/customers/", "/api/v1/customers/", bearer),
            ("GET /api/v1/action-items/?status=open", "/api/v1/action-items/?status=open", bearer),
            ("floor: one raw query + session", "/bench/floor/bench-big/customers/", cookie),
        ]
        chosen = [c for c in cases if args.only in c[0] or c[0].startswith("floor")]
        queries = {}
        for name, path, header in chosen:
            key, _sep, value = header.partition(": ")
            meta = {"HTTP_COOKIE": value} if key == "Cookie" else {"HTTP_AUTHORIZATION": value}
            queries[name] = count_queries(path, meta)
            run_wrk(base + path, header, 2, args.connections)  # warm the workers
        # Rounds interleave the endpoints, so each is measured beside the floor of its own round:
        # on a shared machine the floor alone moved by a third from one minute to the next.
        rounds = {name: [] for name, _path, _header in chosen}
        for _round in range(args.rounds):
            for name, path, header in chosen:
                rounds[name].append(run_wrk(base + path, header, args.duration, args.connections))
        floor = rounds[chosen[-1][0]]
        results = []
        for name, path, _header in chosen:
            runs = rounds[name]
            ratios = [r["rps"] / f["rps"] for r, f in zip(runs, floor, strict=True)]
            figures = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95")}
            figures["non2xx"] = sum(r["non2xx"] for r in runs)
            figures["errors"] = sum(r["errors"] for r in runs)
            figures["of_floor"] = statistics.median(ratios)
            results.append(
                {"endpoint": name, "path": path, "queries": queries[name], "runs": runs, **figures}
            )
            print(
                f"{name:<40} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>7.2f} ms  "
                f"p95 {figures['p95']:>7.2f} ms  {queries[name]:>3} queries  "
                f"x{figures['of_floor']:.2f} of floor  "
                f"(rounds: {', '.join(f'{r:.0f}' for r in (x['rps'] for x in runs))} req/s)  "
                f"non-2xx {int(figures['non2xx'])}  errors {int(figures['errors'])}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "customers.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
