"""The satisfaction results benchmark: its own database, so it never stands in the other
benches' way."""

import os

DATABASE = "brm_bench_satisfaction"
OWNER_URL = f"postgres://brm_owner@127.0.0.1:5432/{DATABASE}"
RUNTIME_URL = f"postgres://brm_app@127.0.0.1:5432/{DATABASE}"


def use_bench_database() -> None:
    """Point bench.settings and bench.customers.seed at this benchmark's database (before either
    is imported); BENCH_SATISFACTION_OWNER_URL / _RUNTIME_URL override the defaults."""
    os.environ["BENCH_OWNER_URL"] = os.environ.get("BENCH_SATISFACTION_OWNER_URL", OWNER_URL)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_SATISFACTION_RUNTIME_URL", RUNTIME_URL)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
