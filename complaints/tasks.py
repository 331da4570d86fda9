"""Due jobs of the complaints area (brm.outbox runs each once, in its tenant, in the transaction
that marks it done): the clock's warnings and breaches (complaints/clock.py) and the deemed
acceptance of a resolution nobody answered. apps.py imports this module, so every process that
loads the app knows the handlers."""

from brm.outbox.models import DueJob
from brm.outbox.registry import due_job_handler

from . import clock, services


@due_job_handler(clock.CLOCK_JOB)
def complaint_clock_mark(job: DueJob) -> None:
    """A warning (75 %) or a breach (100 %) of a target fell due."""
    clock.clock_mark(job)


@due_job_handler(services.DEEMED_JOB)
def complaint_deemed_acceptance(job: DueJob) -> None:
    """A resolution has had no answer: the reminder, or the close as deemed accepted."""
    services.complaint_deemed_acceptance(job)
