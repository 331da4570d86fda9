"""Tunables of scheduled work, read from settings at call time (tests and workers override them).

OUTBOX_STUCK_AFTER must stay longer than the longest task time limit: a row is only taken back
from a worker that is certainly dead, never from one still sending it.
"""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    "OUTBOX_MAX_ATTEMPTS": 8,  # then the row is failed and shown on the outbox page
    "OUTBOX_RETRY_BASE": 60,  # seconds before the 2nd attempt; doubles each time...
    "OUTBOX_RETRY_CAP": 3600,  # ...up to an hour
    "OUTBOX_STUCK_AFTER": 600,  # seconds in "dispatched"/"sending" before the sweeper steps in
    "OUTBOX_DISPATCH_BATCH": 500,  # rows claimed per transaction
    "OUTBOX_DISPATCH_MAX": 20000,  # rows per tick, so that one tick stays short
    "OUTBOX_SEND_TIME_LIMIT": 90,  # hard limit of one send task (seconds)
    "OUTBOX_SMTP_TIMEOUT": 30,  # socket timeout towards the mail server (seconds)
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the `attempts`-th failed attempt, capped."""
    seconds = get("OUTBOX_RETRY_BASE") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, get("OUTBOX_RETRY_CAP")))


def stuck_after() -> timedelta:
    return timedelta(seconds=get("OUTBOX_STUCK_AFTER"))
