"""Due-job handlers by name. Each area registers its own in its `tasks.py`:

    @due_job_handler("meetings.reminder")
    def meeting_reminder(job: DueJob) -> None:
        meeting = Meeting.objects.get(pk=job.object_id)
        outbox_enqueue(key=f"meeting-reminder:{meeting.pk}", ...)

A handler runs inside the job's tenant, in the transaction that marks the job done: its database
writes happen exactly once. Anything it does outside the database (use outbox_enqueue for email)
must itself be idempotent, because a handler that raises is run again.
"""

from collections.abc import Callable

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
