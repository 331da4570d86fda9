"""Load the customers pages and API under gunicorn on PostgreSQL, each beside its own floor.

    .venv/bin/python -m bench.customers.load [--duration 10] [--connections 8] [--workers 5]
                                             [--rounds 3] [--only "api"]

Needs the seeded bench database (python -m bench.customers.seed) and wrk (Debian package). Every
endpoint has a floor (bench/floor.py): the same contract with nothing of the application above
it. Before timing, bench.contract checks in-process that each floor answers with its endpoint's
rows, in the big office and in a small one. Then each round drives every endpoint and right after
it its floor with wrk at N concurrent connections; the report gives the median over the rounds of
requests per second, p50 and p95 latency, the endpoint's throughput over its own floor's in the
same round, and the SQL queries one request makes in a small office and in the big one (counted
in-process with the same settings). Results are printed and written to
bench/results/customers.json.
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
BIG, SMALL = "bench-big", "bench-01"
# What every area aims at, against floors measured in the same round.
AIM_OF_FLOOR = 0.5

# (endpoint, its path, its floor's path, how it signs in); {slug} and {customer} are the office's.
CASES = [
    (
        "customer list page",
        "/t/{slug}/customers/",
        "/t/{slug}/floor/customers/",
        "session",
    ),
    (
        "customer page",
        "/t/{slug}/customers/{customer}/",
        "/t/{slug}/floor/customers/{customer}/",
        "session",
    ),
    ("GET /api/v1/customers/", "/api/v1/customers/", "/api/floor/customers/", "key"),
    (
        "GET /api/v1/action-items/?status=open",
        "/api/v1/action-items/?status=open",
        "/api/floor/action-items/?status=open",
        "key",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(slug: str) -> dict:
    """A signed-in relationship manager's session, a read API key and one of the RM's customers
    in the office `slug`: the fill-ins of CASES and the headers of each way of signing in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from brm.api.services import api_key_create
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership, Role, Tenant
    from customers.models import Customer

    tenant = Tenant.objects.get(slug=slug)
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
    return {
        "slug": slug,
        "tenant_id": tenant.pk,
        "customer": customer.pk,
        "session": ("Cookie", f"sessionid={session.session_key}"),
        "key": ("Authorization", f"Bearer {raw_key}"),
    }


def _meta(header: tuple[str, str]) -> dict:
    name, value = header
    return {"HTTP_COOKIE": value} if name == "Cookie" else {"HTTP_AUTHORIZATION": value}


def get(path: str, header: tuple[str, str]):
    """The response to GET `path`, in-process; anything but 200 stops the run."""
    from django.test import Client

    response = Client(**_meta(header)).get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response


def count_queries(path: str, header: tuple[str, str]) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(**_meta(header))
    client.get(path)  # warm: once-a-minute key "last used" write, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    # Savepoints and set_config are bookkeeping, not reads.
    real = [
        q
        for q in ctx.captured_queries
        if not re.match(r"(RELEASE )?SAVEPOINT|SELECT set_config", q["sql"])
    ]
    return len(real)


def check_floors(name: str, path: str, floor_path: str, office: dict) -> None:
    """bench.contract's check of this endpoint's floor, in `office`."""
    from bench import contract
    from brm.tenancy.context import tenant_context

    header = office[CASES_AUTH[name]]
    if name == "customer page":
        with tenant_context(office["tenant_id"]):
            contract.check_customer_page(office["tenant_id"], office["customer"])
    page, floor = get(path, header), get(floor_path, header)
    if name == "customer list page":
        contract.check_list_page(office["slug"], page.text, floor.text)
    elif name.startswith("GET /api/"):
        contract.check_api(name, page.content, floor.content)


CASES_AUTH = {name: auth for name, _path, _floor, auth in CASES}


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
    parser.add_argument("--only", default="", help="run the endpoints whose name contains this")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    chosen = [case for case in CASES if args.only in case[0]]
    if not chosen:
        raise SystemExit(f"no endpoint matches --only {args.only!r}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    offices = {slug: prepare(slug) for slug in (SMALL, BIG)}

    def fill(path: str, office: dict) -> str:
        return path.format(slug=office["slug"], customer=office["customer"])

    queries = {}
    for name, path, floor_path, _auth in chosen:
        for slug, office in offices.items():
            check_floors(name, fill(path, office), fill(floor_path, office), office)
            header = office[CASES_AUTH[name]]
            queries[name, slug] = count_queries(fill(path, office), header)
            queries[name, slug, "floor"] = count_queries(fill(floor_path, office), header)
    print(f"floors checked against their endpoints in {SMALL} and {BIG}", flush=True)

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
    big = offices[BIG]
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        targets = []
        for name, path, floor_path, auth in chosen:
            header = ": ".join(big[auth])
            targets.append((name, base + fill(path, big), header))
            targets.append((f"{name} [floor]", base + fill(floor_path, big), header))
        for _name, url, header in targets:
            run_wrk(url, header, 2, args.connections)  # warm the workers
        # Each round takes every endpoint and right after it its floor, so each endpoint is
        # measured beside its own floor of the same minute: on a shared machine the floors
        # moved by a third from one minute to the next.
        rounds = {name: [] for name, _url, _header in targets}
        for _round in range(args.rounds):
            for name, url, header in targets:
                rounds[name].append(run_wrk(url, header, args.duration, args.connections))
    finally:
        server.terminate()
        server.wait(timeout=20)

    def figures(runs):
        out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95")}
        out["non2xx"] = sum(r["non2xx"] for r in runs)
        out["errors"] = sum(r["errors"] for r in runs)
        return out

    results = []
    for name, path, floor_path, _auth in chosen:
        runs, floor_runs = rounds[name], rounds[f"{name} [floor]"]
        ratios = [r["rps"] / f["rps"] for r, f in zip(runs, floor_runs, strict=True)]
        result = {
            "endpoint": name,
            "path": fill(path, big),
            "floor_path": fill(floor_path, big),
            **figures(runs),
            "of_floor": statistics.median(ratios),
            "of_floor_rounds": ratios,
            "queries": {slug: queries[name, slug] for slug in offices},
            "floor": {
                **figures(floor_runs),
                "queries": {slug: queries[name, slug, "floor"] for slug in offices},
                "runs": floor_runs,
            },
            "runs": runs,
        }
        result["aims"] = {
            "of_floor": result["of_floor"] >= AIM_OF_FLOOR,
            "queries_constant": len(set(result["queries"].values())) == 1,
        }
        results.append(result)
    print_report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "customers.json").write_text(json.dumps(results, indent=2))


def print_report(results: list[dict]) -> None:
    print(
        f"{'endpoint':<40} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'floor':>7} "
        f"{'of floor':>9} {'queries ' + SMALL + '/' + BIG:>26} {'floor queries':>14}  aims"
    )
    for r in results:
        q, fq = r["queries"], r["floor"]["queries"]
        aims = [
            f"of floor {'met' if r['aims']['of_floor'] else 'NOT met'} (>= {AIM_OF_FLOOR})",
            f"queries {'constant' if r['aims']['queries_constant'] else 'GROW with rows'}",
        ]
        bad = int(r["non2xx"] + r["errors"] + r["floor"]["non2xx"] + r["floor"]["errors"])
        print(
            f"{r['endpoint']:<40} {r['rps']:>7.1f} {r['p50']:>7.2f} {r['p95']:>7.2f} "
            f"{r['floor']['rps']:>7.1f} {r['of_floor']:>9.2f} "
            f"{str(q[SMALL]) + ' / ' + str(q[BIG]):>26} "
            f"{str(fq[SMALL]) + ' / ' + str(fq[BIG]):>14}  {'; '.join(aims)}"
            + (f"  ({bad} failed requests)" if bad else ""),
            flush=True,
        )
        print(
            f"{'':<40} rounds: {', '.join(f'{x:.2f}' for x in r['of_floor_rounds'])} of floor;"
            f" floor p50 {r['floor']['p50']:.2f} ms, p95 {r['floor']['p95']:.2f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
