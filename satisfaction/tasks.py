"""Due jobs of the satisfaction area (brm.outbox runs each once, in its tenant, in the
transaction that marks it done): a campaign's opening, each of its reminders and its close.
`campaign_schedule` plans them; each handler locks the campaign and finds nothing to do when
it was cancelled or already done. apps.py imports this module, so every process that loads the
app knows the handlers."""

from brm.outbox.models import DueJob
from brm.outbox.registry import delivery_listener, due_job_handler

from . import campaigns
from .models import Campaign


def _campaign(job: DueJob) -> Campaign | None:
    return Campaign.objects.filter(pk=job.object_id).first()


@due_job_handler(campaigns.OPEN_JOB)
def campaign_open(job: DueJob) -> None:
    """The campaign opens: invitations recorded, emails queued."""
    campaign = _campaign(job)
    if campaign is not None:
        campaigns.campaign_open(campaign)


@due_job_handler(campaigns.REMIND_JOB)
def campaign_remind(job: DueJob) -> None:
    """Reminder n to those who have not answered (everyone, in anonymous mode)."""
    campaign = _campaign(job)
    if campaign is not None:
        campaigns.campaign_remind(campaign, int(job.payload["n"]))


@due_job_handler(campaigns.CLOSE_JOB)
def campaign_close(job: DueJob) -> None:
    """The campaign closes; a repeat makes the next one."""
    campaign = _campaign(job)
    if campaign is not None:
        campaigns.campaign_close(campaign)


delivery_listener(campaigns.INVITE_KEY)(campaigns.invitation_delivered)
