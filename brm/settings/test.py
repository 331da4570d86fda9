"""Test settings: the real PostgreSQL and Redis (see `make test`), never SQLite or mocks.

DATABASE_URL names the owning role: pytest-django migrates the test database as that role, then
tests/conftest.py reconnects as DATABASE_RUNTIME_USER so that every test runs under row-level
security exactly as the application does.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://brm_owner@127.0.0.1:5432/brm")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CACHE_KEY_PREFIX", f"brm-test-{os.getpid()}")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("DJANGO_SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    raise RuntimeError("The test suite runs on PostgreSQL: set DATABASE_URL=postgres://...")

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# One test database per run, so that runs side by side (two checkouts, CI on a shared machine)
# never destroy each other's database.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get(
        "TEST_DATABASE_NAME",
        f"test_{DATABASES['default']['NAME']}_{os.getpid()}",  # noqa: F405
    )
}
CELERY_TASK_ALWAYS_EAGER = False
# Stored files of a run go to a folder of its own, never into var/ of the checkout.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"brm-test-media-{os.getpid()}")
