"""Due jobs of the SLA appendix (brm.outbox runs them, once, in their tenant).

Imported by AgreementsConfig.ready(), in every process, beside the area's tasks.py that
brm.outbox discovers: a handler must be registered before due_job_schedule names it.
"""

from brm.outbox.registry import due_job_handler

from . import services
from .models import Agreement


@due_job_handler(services.SLA_REMINDER)
def sla_measurement_missing(job) -> None:
    """A period of an SLA line has finished: remind its owner if nothing was measured."""
    agreement = Agreement.objects.filter(pk=job.payload["agreement"]).first()
    if agreement is None:  # the customer and its agreement were deleted since
        return
    services.sla_measurement_missing_check(agreement=agreement, payload=job.payload)
