"""Time the campaign results page beside its floor, at 50,000 responses.

    .venv/bin/python -m bench.satisfaction.load [--requests 20] [--rounds 3]

Needs the seeded database (python -m bench.satisfaction.seed). Before it times anything it
checks the floor against the page's selectors in the big office and a small one
(bench/satisfaction/contract.py). Then, in-process (Django's test client on bench.settings, one
client: this measures the time of one request, not throughput), each round takes the page and
right after it its floor, `--requests` GETs each after 3 warm-ups, signed in as a relationship
manager. The report gives the median milliseconds over the rounds, the page's time over its
floor's, and the SQL queries of one request in the small office (500 responses) and the big
one (50,000). Results go to bench/results/satisfaction.json.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.satisfaction import use_bench_database

use_bench_database()

from bench.customers import load as customers_load  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
BIG, SMALL = "bench-big", "bench-01"


def prepare(slug: str) -> dict:
    from brm.tenancy.context import tenant_context
    from satisfaction.models import Campaign

    from .seed import CAMPAIGN_NAME

    office = customers_load.prepare(slug)
    with tenant_context(office["tenant_id"]):
        campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
        if campaign is None:
            raise SystemExit(f"{slug}: no campaign (run python -m bench.satisfaction.seed)")
        office["campaign"] = campaign.pk
        office["responses"] = campaign.responses.count()
    return office


def paths(office: dict) -> dict:
    from django.urls import reverse

    page = reverse(
        "satisfaction:campaign_results",
        kwargs={"tenant_slug": office["slug"], "pk": office["campaign"]},
    )
    floor = f"/t/{office['slug']}/floor/satisfaction/campaigns/{office['campaign']}/results/"
    return {"page": page, "floor": floor}


def timed(path: str, header, n: int) -> float:
    for _ in range(3):
        customers_load.get(path, header)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        customers_load.get(path, header)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from bench.satisfaction import contract
    from brm.tenancy.context import tenant_context

    offices = {slug: prepare(slug) for slug in (SMALL, BIG)}
    for office in offices.values():
        with tenant_context(office["tenant_id"]):
            contract.check_campaign_results(office["tenant_id"], office["campaign"])
    report = {"responses": {s: o["responses"] for s, o in offices.items()}, "rounds": []}
    report["queries"] = {
        kind: {
            s: customers_load.count_queries(paths(o)[kind], o["session"])
            for s, o in offices.items()
        }
        for kind in ("page", "floor")
    }
    for _ in range(args.rounds):
        row = {}
        for slug, office in offices.items():
            for kind, path in paths(office).items():
                row[f"{kind} {slug}"] = round(timed(path, office["session"], args.requests), 1)
        report["rounds"].append(row)
        print(row, flush=True)
    medians = {
        key: statistics.median(r[key] for r in report["rounds"]) for key in report["rounds"][0]
    }
    ratios = [r[f"page {BIG}"] / r[f"floor {BIG}"] for r in report["rounds"]]
    report["median_ms"] = medians
    report["page_over_floor_big"] = round(statistics.median(ratios), 2)
    for slug in (SMALL, BIG):
        print(
            f"{slug:<10} {report['responses'][slug]:>6} responses: page "
            f"{medians[f'page {slug}']} ms ({report['queries']['page'][slug]} queries), floor "
            f"{medians[f'floor {slug}']} ms ({report['queries']['floor'][slug]} queries)"
        )
    print(f"page / floor at {report['responses'][BIG]} responses: {report['page_over_floor_big']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "satisfaction.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
