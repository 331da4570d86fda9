"""Settings of the communications benchmark: the production settings (persistent connections,
SMTP from EMAIL_URL) on the benchmark's own database as the runtime role. Never used by the
application."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "postgres://brm_app@127.0.0.1:5432/brm_bench_communications")
os.environ.setdefault("DJANGO_SECURE", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from brm.settings.base import *  # noqa: E402,F403
