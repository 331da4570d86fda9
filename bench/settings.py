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
# Throughput is what is measured here, from one key: the per-key throttle is off. (A rate high
# enough not to bite would not do: DRF's throttle keeps every request time of the last minute in
# one cache entry, read and written whole on each request, which then dominates the figures.)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
