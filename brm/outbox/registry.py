"""Due-job handlers by name. Each area registers its own in its `tasks.py`:

    @due_job_handler("meetings.reminder")
    def meeting_reminder(job: DueJob) -> None:
        meeting = Meeting.objects.get(pk=job.object_id)
        outbox_enqueue(key=f"meeting-reminder:{meeting.pk}", ...)

A handler runs inside the job's tenant, in the transaction that marks the job done: its database
writes happen exactly once. Anything it does outside the database (use outbox_enqueue for email)
must itself be idempotent, because a handler that raises is run again.

Work done once a day in every office (plan the meetings ahead, send the digests) registers with
`@daily_job(name, at=time(7, 0))`: the handler is a due-job handler of that name, and the beat's
daily tick (services.daily_jobs_schedule) gives each active office one job a day for it, due at
`at` in the office's time zone, with the office's date in `job.payload["date"]`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ImproperlyConfigured

Handler = Callable[..., None]
_handlers: dict[str, Handler] = {}


def due_job_handler(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        existing = _handlers.get(name)
        if existing is not None and existing is not func:
            raise ImproperlyConfigured(f"Two due-job handlers are named {name!r}.")
        _handlers[name] = func
        return func

    return register


def handler_get(name: str) -> Handler:
    try:
        return _handlers[name]
    except KeyError:
        raise LookupError(f"No due-job handler is registered as {name!r}.") from None


def handler_names() -> list[str]:
    return sorted(_handlers)


@dataclass(frozen=True)
class DailyJob:
    name: str
    at: time  # office time


_daily: dict[str, DailyJob] = {}


def daily_job(name: str, *, at: time = time(7, 0)) -> Callable[[Handler], Handler]:
    """Run the handler once a day in every active office, at `at` in the office's time zone."""

    def register(func: Handler) -> Handler:
        due_job_handler(name)(func)
        existing = _daily.get(name)
        if existing is not None and existing.at != at:
            raise ImproperlyConfigured(f"The daily job {name!r} is registered at two times.")
        _daily[name] = DailyJob(name=name, at=at)
        return func

    return register


def daily_jobs() -> list[DailyJob]:
    return [_daily[name] for name in sorted(_daily)]


# Delivery listeners ------------------------------------------------------------------------------

# fn(*, key, status, at): an area's record follows its email's delivery (an invitation's
# "delivered" or "failed"). Called after the outbox's own state is committed, in the message's
# tenant and a transaction of its own, for each email whose key starts with the prefix.
DeliveryListener = Callable[..., None]
_delivery: dict[str, DeliveryListener] = {}


def delivery_listener(key_prefix: str) -> Callable[[DeliveryListener], DeliveryListener]:
    """Be told when an email whose key starts with `key_prefix` is sent or fails for good."""

    def register(func: DeliveryListener) -> DeliveryListener:
        existing = _delivery.get(key_prefix)
        if existing is not None and existing is not func:
            raise ImproperlyConfigured(f"Two delivery listeners for {key_prefix!r}.")
        _delivery[key_prefix] = func
        return func

    return register


def delivery_listeners_for(key: str) -> list[DeliveryListener]:
    return [func for prefix, func in _delivery.items() if key.startswith(prefix)]
