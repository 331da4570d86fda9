"""Load the meetings list and the meeting page under gunicorn, each beside its floor.

    .venv/bin/python -m bench.meetings.load [--duration 10] [--connections 8] [--rounds 3]
                                            [--only "list"]

Needs the seeded database (python -m bench.meetings.seed, then bench.meetings.plan in
bench-big and in bench-01 for the upcoming meetings the list opens on) and wrk. As
bench.agreements.load: the floors (bench/meetings/floor.py) are checked against their pages in
the big office and a small one before anything is timed (bench/meetings/contract.py);
gunicorn serves bench.settings on `brm_bench_meetings`; each round takes every page and right
after it its floor; the report gives medians over the rounds, the share of the floor and the
SQL queries of one request in the small office and the big one.

The pages are the url names `meetings:meeting_list` (as it opens: the upcoming tab) and
`meetings:meeting_detail` (pk): the meeting page is the latest held review of the RM's first
customer (minutes, a decision, an action item). Results go to bench/results/meetings.json.
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

from bench.meetings import use_bench_database

use_bench_database()

from bench.customers import load as customers_load  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
BIG, SMALL = customers_load.BIG, customers_load.SMALL

PAGES = {
    "meeting list page": ("meetings:meeting_list", False, "/t/{slug}/floor/meetings/"),
    "meeting page": ("meetings:meeting_detail", True, "/t/{slug}/floor/meetings/{meeting}/"),
}


def prepare(slug: str) -> dict:
    """bench.customers.load.prepare (an RM's session, one of the RM's customers), plus the
    customer's latest held meeting."""
    from brm.tenancy.context import tenant_context
    from meetings.models import Meeting

    office = customers_load.prepare(slug)
    with tenant_context(office["tenant_id"]):
        if not Meeting.objects.filter(status=Meeting.Status.PLANNED).exists():
            raise SystemExit(
                f"{slug}: no upcoming meetings (run python -m bench.meetings.plan --office {slug})"
            )
        meeting = (
            Meeting.objects.filter(customer_id=office["customer"], status=Meeting.Status.HELD)
            .order_by("-starts_at")
            .first()
        )
    if meeting is None:
        raise SystemExit(f"{slug}: no held meeting (run python -m bench.meetings.seed)")
    office["meeting"] = meeting.pk
    return office


def page_path(name: str, office: dict) -> str:
    from django.urls import NoReverseMatch, reverse

    url_name, by_pk, _floor = PAGES[name]
    kwargs = {"tenant_slug": office["slug"]}
    if by_pk:
        kwargs["pk"] = office["meeting"]
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        raise SystemExit(f"{name}: {url_name} is not routed") from None


def floor_path(name: str, office: dict) -> str:
    return PAGES[name][2].format(slug=office["slug"], meeting=office["meeting"])


def check_floors(name: str, office: dict) -> None:
    from bench.meetings import contract
    from brm.tenancy.context import tenant_context

    with tenant_context(office["tenant_id"]):
        if name == "meeting list page":
            contract.check_list_rows(office["tenant_id"])
        else:
            contract.check_meeting_page(office["tenant_id"], office["meeting"])
    page = customers_load.get(page_path(name, office), office["session"])
    floor = customers_load.get(floor_path(name, office), office["session"])
    if name == "meeting list page":
        contract.check_list_page(office["slug"], page.text, floor.text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="run the pages whose name contains this")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    chosen = [name for name in PAGES if args.only in name]
    if not chosen:
        raise SystemExit("no page left by --only")
    import django

    django.setup()
    offices = {slug: prepare(slug) for slug in (SMALL, BIG)}
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
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "meetings.json").write_text(json.dumps(results, indent=2))


def _figures(runs: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95")}
    out["non2xx"] = sum(r["non2xx"] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    return out


def result_of(name: str, rounds: dict, queries: dict, offices: dict) -> dict:
    """One page's figures beside its floor's, in bench.agreements.load's shape."""
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
