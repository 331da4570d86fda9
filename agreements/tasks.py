"""Due jobs of the agreements area (brm.outbox runs them once, in their tenant)."""

from brm.outbox.models import DueJob
from brm.outbox.registry import due_job_handler

from . import services
from .models import AgreementVersion


@due_job_handler(services.SEAL_JOB)
def seal_in_force(job: DueJob) -> None:
    """Seal the version that came into force and email it to its signers."""
    version = AgreementVersion.objects.filter(pk=job.object_id).first()
    if version is None:
        return  # deleted since (only a draft can be): nothing to seal
    services.version_seal(version=version)


# The signature and review reminders register their handlers where they are scheduled.
from . import reminders  # noqa: E402, F401
