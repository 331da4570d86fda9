"""GET /healthz: can this process reach its database and its broker? For load balancers and
orchestrators; no sign-in, and the answer names no host, error or version."""

import logging
import os
import tempfile

from django.conf import settings
from django.db import connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2  # seconds: a probe that hangs is worse than one that says "unavailable"


def _database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("healthz: the database does not answer", exc_info=True)
        return False


def _broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith("filesystem://"):
            # The filesystem transport is a folder: healthy if this process can write a message.
            options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
            folder = options.get("data_folder_in", "")
            if not folder or not os.path.isdir(folder):
                return False
            with tempfile.TemporaryFile(dir=folder):
                return True
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        with Connection(url, connect_timeout=BROKER_TIMEOUT, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
        return True
    except Exception:
        logger.warning("healthz: the broker does not answer", exc_info=True)
        return False


@never_cache
@require_GET
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a transaction before the check
def healthz(request):
    if _database_ok() and _broker_ok():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "unavailable"}, status=503)
