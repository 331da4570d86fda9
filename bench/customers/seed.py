"""Seed the benchmark database at scale.

    .venv/bin/python -m bench.customers.seed [--fresh] [--scale 1.0]

20 tenants: `bench-big` with 5,000 customers, 20,000 purchasers, 50,000 contacts and 100,000
action items (times --scale), and 19 small ones with 1/50 of that each. Creates the database
`brm_bench` (PG_ADMIN_URL), migrates it as the owner (BENCH_OWNER_URL) and seeds it as the runtime
role inside tenant_context, so row-level security is exercised as in production.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
OWNER_URL = os.environ.get("BENCH_OWNER_URL", "postgres://brm_owner@127.0.0.1:5432/brm_bench")
BIG = {"customers": 5000, "purchasers": 20000, "contacts": 50000, "actions": 100000}
SMALL_TENANTS = 19
RMS_PER_TENANT = 20
PASSWORD = "bench-password"


def ensure_database(fresh: bool) -> None:
    import psycopg

    name = urlparse(OWNER_URL).path.lstrip("/")
    owner = urlparse(OWNER_URL).username
    conn = psycopg.connect(ADMIN_URL, autocommit=True)
    with conn.cursor() as cur:
        if fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    conn.close()


def migrate() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": OWNER_URL}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def seed_tenant(slug: str, name: str, counts: dict, hashed_password: str) -> None:
    from django.utils import timezone

    from brm.accounts.models import User
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership, Role
    from brm.tenancy.services import tenant_create
    from customers.models import ActionItem, Contact, Customer, Purchaser

    tenant = tenant_create(slug=slug, name=name, mfa_policy="optional")
    users = User.objects.bulk_create(
        [
            User(
                email=f"rm{i}@{slug}.bench.example",
                full_name=f"RM {i} {slug}",
                password=hashed_password,
            )
            for i in range(RMS_PER_TENANT)
        ]
        + [User(email=f"admin@{slug}.bench.example", full_name="Admin", password=hashed_password)]
    )
    tid = tenant.pk
    today = timezone.localdate()
    with tenant_context(tenant):
        rms = Membership.objects.bulk_create(
            [Membership(tenant_id=tid, user=u, role=Role.RELATIONSHIP_MANAGER) for u in users[:-1]]
            + [Membership(tenant_id=tid, user=users[-1], role=Role.ADMIN)]
        )[:-1]
        n_c = counts["customers"]
        statuses = ["active"] * 7 + ["prospect", "dormant", "active"]
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    tenant_id=tid,
                    name=f"Customer {i:05d}",
                    division=f"Division {i % 12:02d}",
                    status=statuses[i % 10],
                    relationship_manager=rms[i % len(rms)],
                    business_drivers="Grow revenue; reduce cost of IT per employee.",
                )
                for i in range(n_c)
            ],
            batch_size=2000,
        )
        per_p = counts["purchasers"] // n_c
        purchasers = Purchaser.objects.bulk_create(
            [
                Purchaser(
                    tenant_id=tid,
                    customer=c,
                    name=f"Department {j}",
                    it_contact=rms[(i + j) % len(rms)] if j % 3 else None,
                )
                for i, c in enumerate(customers)
                for j in range(per_p)
            ],
            batch_size=5000,
        )
        per_k = counts["contacts"] // n_c
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    tenant_id=tid,
                    customer=c,
                    name=f"Person {i}-{k}",
                    email=f"p{i}-{k}@{slug}.business.example",
                    title="Manager",
                    purchaser=purchasers[i * per_p + (k % per_p)] if per_p and k % 2 else None,
                )
                for i, c in enumerate(customers)
                for k in range(per_k)
            ],
            batch_size=5000,
        )
        # Business manager and counterpart for most customers.
        for i, c in enumerate(customers):
            c.business_manager = contacts[i * per_k]
            c.counterpart = contacts[i * per_k] if i % 4 else None
        Customer.objects.bulk_update(
            customers, ["business_manager", "counterpart"], batch_size=2000
        )
        per_a = counts["actions"] // n_c
        action_statuses = ["open"] * 8 + ["in_progress"] * 2 + ["done"] * 9 + ["cancelled"]
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    tenant_id=tid,
                    customer=c,
                    title=f"Action {i}-{a}",
                    status=action_statuses[(i + a) % 20],
                    due_date=today + timedelta(days=((i * 7 + a * 13) % 360) - 180),
                    owner_member=rms[(i + a) % len(rms)] if a % 3 else None,
                    owner_contact=contacts[i * per_k + (a % per_k)] if a % 3 == 0 else None,
                )
                for i, c in enumerate(customers)
                for a in range(per_a)
            ],
            batch_size=5000,
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    ensure_database(args.fresh)
    migrate()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from brm.tenancy.models import Tenant

    if Tenant.objects.filter(slug="bench-big").exists():
        print("bench data present (use --fresh to re-create)")
        return
    hashed = make_password(PASSWORD)
    big = {k: max(1, int(v * args.scale)) for k, v in BIG.items()}
    seed_tenant("bench-big", "Bench Big IT", big, hashed)
    small = {k: max(1, v // 50) for k, v in big.items()}
    for n in range(1, SMALL_TENANTS + 1):
        seed_tenant(f"bench-{n:02d}", f"Bench IT {n:02d}", small, hashed)
    vacuum_analyze()
    print(f"seeded 20 tenants (big: {big}) in {time.monotonic() - started:.1f} s")


def vacuum_analyze() -> None:
    """Fresh statistics and visibility maps, as autovacuum would leave a live database:
    without them the planner guesses one row per table and index-only scans visit the heap."""
    import psycopg

    conn = psycopg.connect(OWNER_URL, autocommit=True)
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()


if __name__ == "__main__":
    main()
