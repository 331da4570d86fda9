"""Render and seal the 20-line agreement of the big bench office, timing each step.

    .venv/bin/python -m bench.agreements.render [--runs 5]

Needs the seeded database (python -m bench.agreements.seed). The version in force of the
customer with the 20-line agreement (20 SLA lines, rows in every section) is drawn with
agreements.pdf.version_pdf_render and the result sealed with brm.pdf.seal.seal_pdf, as
agreements.services.version_seal does, `--runs` times each after one warm-up; the report gives
the median and the spread in seconds, and the seal is checked (brm.pdf.seal.verify_pdf). No
PDF is stored. Without a configured seal key a local one is made under bench/results/seal/.
Results are also written to bench/results/agreements-render.json.
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench.agreements import use_bench_database

use_bench_database()

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
SEAL_FOLDER = RESULTS / "seal"


def _seal_files() -> None:
    """A local seal key when the environment names none (never a production key)."""
    if "BRM_SEAL_KEY_PATH" in os.environ:
        return
    os.environ["BRM_SEAL_KEY_PATH"] = str(SEAL_FOLDER / "seal-key.pem")
    os.environ["BRM_SEAL_CERT_PATH"] = str(SEAL_FOLDER / "seal-cert.pem")
    os.environ["BRM_SEAL_CHAIN_PATH"] = str(SEAL_FOLDER / "seal-ca.pem")


def _timed(fn, runs: int) -> tuple[list[float], object]:
    fn()  # warm: templates, fonts, the signer's key
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    _seal_files()
    import django

    django.setup()
    from agreements import pdf
    from agreements.models import AgreementVersion, SlaLine
    from bench.agreements.seed import BIG_SLUG, TWENTY_LINES
    from brm.pdf.keys import SealFiles, generate_seal_files
    from brm.pdf.seal import seal_pdf, verify_pdf
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant

    if os.environ["BRM_SEAL_KEY_PATH"] == str(SealFiles.under(SEAL_FOLDER).key):
        generate_seal_files(SealFiles.under(SEAL_FOLDER))
    tenant = Tenant.objects.get(slug=BIG_SLUG)
    with tenant_context(tenant):
        version = AgreementVersion.objects.select_related("agreement__customer", "tenant").get(
            agreement__customer__name=TWENTY_LINES, status=AgreementVersion.Status.IN_FORCE
        )
        lines = SlaLine.objects.filter(version=version).count()
        render_times, drawn = _timed(lambda: pdf.version_pdf_render(version), args.runs)
        metadata = pdf.seal_metadata(version)
        seal_times, sealed = _timed(
            lambda: seal_pdf(drawn, reason=pdf.SEAL_REASON, metadata=metadata), args.runs
        )
        check = verify_pdf(sealed)
    if not check.ok or check.metadata != metadata:
        raise SystemExit(f"the sealed PDF does not verify: {check.reason}")

    def figures(times):
        return {"median": statistics.median(times), "min": min(times), "max": max(times)}

    result = {
        "version": version.pk,
        "sla_lines": lines,
        "runs": args.runs,
        "pdf_bytes": len(drawn),
        "sealed_bytes": len(sealed),
        "render_s": figures(render_times),
        "seal_s": figures(seal_times),
        "render_runs": render_times,
        "seal_runs": seal_times,
    }
    total = result["render_s"]["median"] + result["seal_s"]["median"]
    print(
        f"20-line agreement ({lines} SLA lines, {len(drawn) // 1024} KiB): render median "
        f"{result['render_s']['median']:.3f} s ({result['render_s']['min']:.3f} - "
        f"{result['render_s']['max']:.3f}), seal median {result['seal_s']['median']:.3f} s "
        f"({result['seal_s']['min']:.3f} - {result['seal_s']['max']:.3f}), together {total:.3f} s;"
        f" seal verified, {args.runs} runs each"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "agreements-render.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
