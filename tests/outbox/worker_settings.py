"""Settings of the Celery worker subprocesses that tests/outbox starts: the test settings, but
mail really goes over SMTP (EMAIL_URL names the test's loopback server) and retries and time
limits are short, so that a test sees a retry within seconds."""

import os

from brm.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
OUTBOX_RETRY_BASE = float(os.environ.get("OUTBOX_RETRY_BASE", "0.5"))
OUTBOX_RETRY_CAP = 2
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# Must stay below the OUTBOX_STUCK_AFTER the test process sweeps with (servers.STUCK_AFTER).
OUTBOX_SEND_TIME_LIMIT = 5
OUTBOX_SMTP_TIMEOUT = 3
# Persistent connections, as in production (the test settings close them after each request).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
