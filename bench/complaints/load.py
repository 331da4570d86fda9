"""Load the complaints list and the complaint page under gunicorn, each beside its floor.

    .venv/bin/python -m bench.complaints.load [--duration 10] [--connections 8] [--rounds 3]
                                              [--only "list"] [--floors-only]

Needs the seeded database (python -m bench.complaints.seed) and wrk. As bench.meetings.load:
the floors (bench/complaints/floor.py) are checked against the selectors and their pages in the
big office and a small one before anything is timed (bench/complaints/contract.py); gunicorn
serves bench.settings on `brm_bench_complaints`; each round takes every page and right after it
its floor; the report gives medians over the rounds, the share of the floor and the SQL queries
of one request in the small office and the big one. The requests are a relationship manager's
(who does not see the complaints about them).

The pages are the url names `complaints:complaint_list` and `complaints:complaint_detail` (pk):
the complaint page is the newest complaint at level 3 the RM sees (escalations, events, a
thread). A page not routed yet stops the script with the name it missed; `--floors-only` then
times the floors alone, in-process (20 requests after 3 warm-ups). Results go to
bench/results/complaints.json.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.complaints import use_bench_database

use_bench_database()

from bench.customers import load as customers_load  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
BIG, SMALL = customers_load.BIG, customers_load.SMALL

PAGES = {
    "complaint list page": ("complaints:complaint_list", False, "/t/{slug}/floor/complaints/"),
    "complaint page": (
        "complaints:complaint_detail",
        True,
        "/t/{slug}/floor/complaints/{complaint}/",
    ),
}


def prepare(slug: str) -> dict:
    """bench.customers.load.prepare (an RM's session), plus the RM's membership and the
    newest level-3 complaint they see."""
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership, Role
    from complaints import selectors

    office = customers_load.prepare(slug)
    with tenant_context(office["tenant_id"]):
        rm = (
            Membership.objects.filter(role=Role.RELATIONSHIP_MANAGER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        complaint = selectors.complaint_list(rm).filter(level=3).first()
    if complaint is None:
        raise SystemExit(f"{slug}: no complaint at level 3 (run python -m bench.complaints.seed)")
    office["member"] = rm.pk
    office["complaint"] = complaint.pk
    return office


def page_path(name: str, office: dict) -> str:
    from django.urls import NoReverseMatch, reverse

    url_name, by_pk, _floor = PAGES[name]
    kwargs = {"tenant_slug": office["slug"]}
    if by_pk:
        kwargs["pk"] = office["complaint"]
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        raise SystemExit(f"{name}: {url_name} is not routed yet (try --floors-only)") from None


def floor_path(name: str, office: dict) -> str:
    return PAGES[name][2].format(slug=office["slug"], complaint=office["complaint"])


def check_contract(name: str, office: dict) -> None:
    from bench.complaints import contract
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership

    with tenant_context(office["tenant_id"]):
        member = Membership.objects.select_related("user").get(pk=office["member"])
        if name == "complaint list page":
            contract.check_list_rows(office["tenant_id"], member)
        else:
            contract.check_complaint_page(office["tenant_id"], member, office["complaint"])


def check_floors(name: str, office: dict) -> None:
    check_contract(name, office)
    page = customers_load.get(page_path(name, office), office["session"])
    floor = customers_load.get(floor_path(name, office), office["session"])
    if name == "complaint list page":
        from bench.complaints import contract

        contract.check_list_page(office["slug"], page.text, floor.text)


def time_in_process(path: str, header, n: int = 20) -> float:
    """The median milliseconds of `n` GETs of `path` in-process, after 3 warm-ups."""
    for _ in range(3):
        customers_load.get(path, header)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        customers_load.get(path, header)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def floors_only(chosen: list[str], offices: dict) -> list[dict]:
    results = []
    for name in chosen:
        result = {"endpoint": f"{name} [floor]", "queries": {}, "median_ms": {}}
        for slug, office in offices.items():
            check_contract(name, office)
            path = floor_path(name, office)
            result["queries"][slug] = customers_load.count_queries(path, office["session"])
            result["median_ms"][slug] = round(time_in_process(path, office["session"]), 1)
        results.append(result)
        print(
            f"{name + ' [floor]':<32} queries {result['queries'][SMALL]} / {result['queries'][BIG]}"
            f"  median {result['median_ms'][SMALL]} ms / {result['median_ms'][BIG]} ms",
            flush=True,
        )
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="run the pages whose name contains this")
    parser.add_argument("--floors-only", action="store_true", help="the floors, in-process")
    args = parser.parse_args(argv)
    chosen = [name for name in PAGES if args.only in name]
    if not chosen:
        raise SystemExit("no page left by --only")
    import django

    django.setup()
    offices = {slug: prepare(slug) for slug in (SMALL, BIG)}
    RESULTS.mkdir(exist_ok=True)
    if args.floors_only:
        results = floors_only(chosen, offices)
        (RESULTS / "complaints-floors.json").write_text(json.dumps(results, indent=2))
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    queries = {}
    for name in chosen:
        for slug, office in offices.items():
            check_floors(name, office)
            header = office["session"]
            queries[name, slug] = customers_load.count_queries(page_path(name, office), header)
            queries[name, slug, "floor"] = customers_load.count_queries(
                floor_path(name, office), header
            )
    print(f"floors checked against their pages in {SMALL} and {BIG}", flush=True)

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
    big = offices[BIG]
    rounds: dict[str, list] = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        header = ": ".join(big["session"])
        targets = []
        for name in chosen:
            targets += [
                (name, base + page_path(name, big)),
                (f"{name} [floor]", base + floor_path(name, big)),
            ]
        for _name, url in targets:
            customers_load.run_wrk(url, header, 2, args.connections)  # warm the workers
        for _round in range(args.rounds):
            for name, url in targets:
                rounds.setdefault(name, []).append(
                    customers_load.run_wrk(url, header, args.duration, args.connections)
                )
    finally:
        server.terminate()
        server.wait(timeout=20)

    results = [result_of(name, rounds, queries, offices) for name in chosen]
    customers_load.print_report(results)
    (RESULTS / "complaints.json").write_text(json.dumps(results, indent=2))


def _figures(runs: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95")}
    out["non2xx"] = sum(r["non2xx"] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    return out


def result_of(name: str, rounds: dict, queries: dict, offices: dict) -> dict:
    """One page's figures beside its floor's, in bench.meetings.load's shape."""
    runs, floor_runs = rounds[name], rounds[f"{name} [floor]"]
    ratios = [r["rps"] / f["rps"] for r, f in zip(runs, floor_runs, strict=True)]
    result = {
        "endpoint": name,
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
        "of_floor": result["of_floor"] >= customers_load.AIM_OF_FLOOR,
        "queries_constant": len(set(result["queries"].values())) == 1,
    }
    return result


if __name__ == "__main__":
    main()
