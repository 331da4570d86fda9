"""Load the agreements pages and the SLA measurements API under gunicorn, each beside its floor.

    .venv/bin/python -m bench.agreements.load [--duration 10] [--connections 8] [--rounds 3]
                                              [--measurements 10000] [--post-rounds N]
                                              [--only "page"] [--skip "agreement page"]

Needs the seeded database (python -m bench.agreements.seed) and wrk. As bench.customers.load:
the floors (bench/agreements/floor.py) are checked against their endpoints in the big office
and a small one before anything is timed (bench/agreements/contract.py); gunicorn serves
bench.settings on `brm_bench_agreements`; each round takes every endpoint and right after it
its floor; the report gives medians over the rounds, the share of the floor (per round, then
the median) and the SQL queries of one request in the small office and the big one.

Pages: wrk at --connections, `--duration` seconds each, as a relationship manager (session).

`POST /api/v1/sla-measurements/`: `--measurements` distinct measurements with a write key, at 1
and at 8 concurrent clients (keep-alive HTTP clients in threads of this process, each with its
share; wrk cannot send a fixed number of distinct bodies), and the same number to the floor.
Each run records months no run recorded before (25 months back and earlier, against the
version superseded then); the measurements older than the seed's 24 months are deleted first,
so the script can run again on the same seed. Results go to bench/results/agreements.json.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from bench.agreements import use_bench_database

use_bench_database()

from bench.customers import load as customers_load  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
BIG, SMALL = customers_load.BIG, customers_load.SMALL
AIM_OF_FLOOR = customers_load.AIM_OF_FLOOR
FIRST_FREE_MONTH = 25  # months back: the seed measured the 24 before
CLIENTS = (1, 8)

PAGE_CASES = [
    ("agreement list page", "/t/{slug}/agreements/", "/t/{slug}/floor/agreements/"),
    (
        "agreement page",
        "/t/{slug}/agreements/{agreement}/",
        "/t/{slug}/floor/agreements/{agreement}/",
    ),
]
POST_CASE = "POST /api/v1/sla-measurements/"


def prepare(slug: str) -> dict:
    """bench.customers.load.prepare (an RM's session, a read key, one of the RM's customers),
    plus a write key, the customer's agreement, and lines to measure: monthly lines of the
    versions in force (any line of a key may be posted; the service measures against the
    version in force then) and a line of a draft."""
    from agreements.models import Agreement, AgreementVersion, SlaLine
    from brm.api.services import api_key_create
    from brm.tenancy.context import tenant_context

    office = customers_load.prepare(slug)
    with tenant_context(office["tenant_id"]):
        _key, raw = api_key_create(name="bench measurements", scope="write")
        office["agreement"] = Agreement.objects.get(customer_id=office["customer"]).pk
        office["lines"] = list(
            SlaLine.objects.filter(version__status=AgreementVersion.Status.IN_FORCE, period="month")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        office["draft_line"] = (
            SlaLine.objects.filter(version__status=AgreementVersion.Status.DRAFT)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    office["write"] = ("Authorization", f"Bearer {raw}")
    return office


def month_back(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


def forget_posted_measurements(offices: dict, today: date) -> int:
    """Delete the measurements of months before the seed's 24 (earlier runs' and checks')."""
    from django.db import connection

    from brm.tenancy.context import tenant_context

    deleted = 0
    for office in offices.values():
        with tenant_context(office["tenant_id"]), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM agreements_slameasurement WHERE tenant_id = %s AND period_start < %s",
                [office["tenant_id"], month_back(today, FIRST_FREE_MONTH - 1)],
            )
            deleted += cursor.rowcount
    return deleted


def _poster(office: dict, header: tuple[str, str]):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=header[1])

    def post(path, body):
        return client.post(path, body, content_type="application/json")

    return post


def check_floors(name: str, office: dict, fill, today: date) -> None:
    from bench.agreements import contract
    from brm.tenancy.context import tenant_context

    if name == POST_CASE:
        contract.check_measurement_post(
            _poster(office, office["write"]),
            line=office["lines"][0],
            months=(month_back(today, 59), month_back(today, 58)),
            draft_line=office["draft_line"],
        )
        return
    path, floor_path = (fill(p, office) for p in PAGE_PATHS[name])
    if name == "agreement list page":
        with tenant_context(office["tenant_id"]):
            contract.check_list_rows(office["tenant_id"])
    else:
        with tenant_context(office["tenant_id"]):
            contract.check_agreement_page(office["tenant_id"], office["agreement"])
    page = customers_load.get(path, office["session"])
    floor = customers_load.get(floor_path, office["session"])
    if name == "agreement list page":
        contract.check_list_page(office["slug"], page.text, floor.text)


PAGE_PATHS = {name: (path, floor) for name, path, floor in PAGE_CASES}


def count_post_queries(path: str, office: dict, lines: tuple[int, int], month: date) -> int:
    """The SQL statements of one POST in-process (after a warm one, of the first line), without
    savepoints and set_config, as bench.customers.load counts a GET's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post = _poster(office, office["write"])
    warm, body = (
        {"line": line, "period_start": str(month), "actual_value": "99.5"} for line in lines
    )
    if post(path, json.dumps(warm)).status_code != 201:
        raise SystemExit(f"{path} refused {warm}")
    with CaptureQueriesContext(connection) as ctx:
        response = post(path, json.dumps(body))
    if response.status_code != 201:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:200]}")
    return len(
        [
            q
            for q in ctx.captured_queries
            if not re.match(r"(RELEASE )?SAVEPOINT|SELECT set_config", q["sql"])
        ]
    )


def post_many(port: int, path: str, header: tuple[str, str], bodies: list[str], clients: int):
    """POST every body once, `clients` at a time; requests/s, p50 and p95 (ms), failures."""
    latencies: list[float] = []
    failures = {"non2xx": 0, "errors": 0}
    lock = threading.Lock()
    headers = {header[0]: header[1], "Content-Type": "application/json"}

    def client(share: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad, errors = [], 0, 0
        for body in share:
            started = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
                bad += response.status != 201
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            failures["non2xx"] += bad
            failures["errors"] += errors

    threads = [threading.Thread(target=client, args=(bodies[i::clients],)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(bodies) / elapsed,
        "seconds": elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        **failures,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measurements", type=int, default=10000)
    parser.add_argument("--post-rounds", type=int, default=None, help="default: --rounds")
    parser.add_argument("--only", default="", help="run the endpoints whose name contains this")
    parser.add_argument("--skip", default=None, help="leave out those whose name contains this")
    args = parser.parse_args(argv)
    post_rounds = args.post_rounds or args.rounds
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    names = [name for name, _p, _f in PAGE_CASES] + [POST_CASE]
    chosen = [n for n in names if args.only in n and not (args.skip is not None and args.skip in n)]
    if not chosen:
        raise SystemExit("no endpoint left by --only / --skip")
    slots = len(CLIENTS) * 2 * post_rounds
    if FIRST_FREE_MONTH + slots > 57:  # 58 and 59 months back: the floor check's
        raise SystemExit("too many POST rounds for the months the seed leaves free")
    import django

    django.setup()
    from django.utils import timezone

    today = timezone.localdate()
    offices = {slug: prepare(slug) for slug in (SMALL, BIG)}
    big = offices[BIG]
    if POST_CASE in chosen and len(big["lines"]) < args.measurements + 40:
        raise SystemExit(f"{BIG} has {len(big['lines'])} lines to measure, not enough")
    forget_posted_measurements(offices, today)

    def fill(path: str, office: dict) -> str:
        return path.format(slug=office["slug"], agreement=office["agreement"])

    queries = {}
    for name in chosen:
        for slug, office in offices.items():
            check_floors(name, office, fill, today)
            if name == POST_CASE:
                endpoint, floor = contract_paths()
                month, lines = month_back(today, 57), office["lines"]
                queries[name, slug] = count_post_queries(endpoint, office, lines[1:3], month)
                queries[name, slug, "floor"] = count_post_queries(floor, office, lines[3:5], month)
            else:
                path, floor_path = (fill(p, office) for p in PAGE_PATHS[name])
                header = office["session"]
                queries[name, slug] = customers_load.count_queries(path, header)
                queries[name, slug, "floor"] = customers_load.count_queries(floor_path, header)
    forget_posted_measurements(offices, today)
    print(f"floors checked against their endpoints in {SMALL} and {BIG}", flush=True)

    port = customers_load.free_port()
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
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    base = f"http://127.0.0.1:{port}"
    rounds: dict[str, list] = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        targets = []
        for name in chosen:
            if name == POST_CASE:
                continue
            path, floor_path = (base + fill(p, big) for p in PAGE_PATHS[name])
            header = ": ".join(big["session"])
            targets += [(name, path, header), (f"{name} [floor]", floor_path, header)]
        for _name, url, header in targets:
            customers_load.run_wrk(url, header, 2, args.connections)  # warm the workers
        for _round in range(args.rounds):
            for name, url, header in targets:
                rounds.setdefault(name, []).append(
                    customers_load.run_wrk(url, header, args.duration, args.connections)
                )
        if POST_CASE in chosen:
            # Warm the workers on both, with the last lines (no timed run takes them) and a
            # month no timed run takes.
            warm_month = str(month_back(today, 57))
            for n, path in enumerate(contract_paths()):
                spare = big["lines"][-40:][n::2]
                warm = [
                    json.dumps({"line": line, "period_start": warm_month, "actual_value": "99"})
                    for line in spare
                ]
                post_many(port, path, big["write"], warm, 2)
            slot = FIRST_FREE_MONTH
            lines = big["lines"][: args.measurements]
            for _round in range(post_rounds):
                for clients in CLIENTS:
                    for suffix, path in zip(("", " [floor]"), contract_paths(), strict=True):
                        month = str(month_back(today, slot))
                        slot += 1
                        bodies = [
                            json.dumps(
                                {
                                    "line": line,
                                    "period_start": month,
                                    "actual_value": f"{99 + (line % 100) / 100:.2f}",
                                    "actual_workload": "1,900 users",
                                }
                            )
                            for line in lines
                        ]
                        run = post_many(port, path, big["write"], bodies, clients)
                        key = f"{POST_CASE} at {clients}{suffix}"
                        rounds.setdefault(key, []).append(run)
                        print(f"{key}: {run['rps']:.1f}/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)

    results = []
    for name in chosen:
        if name == POST_CASE:
            for clients in CLIENTS:
                key = f"{POST_CASE} at {clients}"
                results.append(_result(key, rounds, queries, name, offices))
        else:
            results.append(_result(name, rounds, queries, name, offices))
    customers_load.print_report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "agreements.json").write_text(json.dumps(results, indent=2))


def contract_paths() -> tuple[str, str]:
    from bench.agreements.contract import MEASUREMENT_FLOOR_PATH, MEASUREMENT_PATH

    return MEASUREMENT_PATH, MEASUREMENT_FLOOR_PATH


def _figures(runs: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95")}
    out["non2xx"] = sum(r["non2xx"] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    return out


def _result(key: str, rounds: dict, queries: dict, name: str, offices: dict) -> dict:
    runs, floor_runs = rounds[key], rounds[f"{key} [floor]"]
    ratios = [r["rps"] / f["rps"] for r, f in zip(runs, floor_runs, strict=True)]
    result = {
        "endpoint": key,
        **_figures(runs),
        "of_floor": statistics.median(ratios),
        "of_floor_rounds": ratios,
        "queries": {slug: queries[name, slug] for slug in offices},
        "floor": {
            **_figures(floor_runs),
            "queries": {slug: queries[name, slug, "floor"] for slug in offices},
            "runs": floor_runs,
        },
        "runs": runs,
    }
    result["aims"] = {
        "of_floor": result["of_floor"] >= AIM_OF_FLOOR,
        "queries_constant": len(set(result["queries"].values())) == 1,
    }
    return result


if __name__ == "__main__":
    main()
