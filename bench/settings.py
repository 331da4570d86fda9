"""Benchmark settings: the production settings on PostgreSQL, plus the floor view's URL.

DATABASE_URL defaults to the bench database as the runtime role; the seeder migrates it with
BENCH_OWNER_URL. Never used by the application itself.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "postgres://brm_app@127.0.0.1:5432/brm_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("DJANGO_SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from brm.settings.base import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The load would otherwise be throttled per key; throughput is what is measured here.
API_THROTTLE_RATE = "10000000/min"
