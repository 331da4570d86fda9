"""Scheduled work: emails waiting to be sent and jobs waiting for their time.

The database is the source of truth. Each row has a status, the time it is next due (UTC) and an
idempotency key unique in its tenant; the broker only carries "look at row N of tenant T now".
A lost broker message therefore loses nothing: the sweeper puts the row back in the queue.

    queued --dispatcher--> dispatched --worker claims--> sending / running --> sent / done
       ^                                                        |
       +------ temporary failure, after a backoff --------------+--> failed (permanent or capped)
"""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from brm.tenancy.models import TenantOwnedModel
from brm.web.badges import badge_colours

MESSAGE_ID_DOMAIN = "brm-office"


def message_id_for(tenant_id: int, key: str) -> str:
    """The Message-ID of the email with this key: the same on every attempt, so that a receiving
    server or a person can recognise a resend of the same message."""
    digest = hashlib.sha256(f"{tenant_id}:{key}".encode()).hexdigest()[:32]
    return f"<{digest}@{MESSAGE_ID_DOMAIN}>"


class ScheduledWork(TenantOwnedModel):
    """What an email and a due job share: when it is due, how often it was tried, why it failed.

    Subclasses name their states QUEUED, DISPATCHED, IN_FLIGHT, DONE and FAILED, so the
    dispatcher, the claims and the sweeper are written once (brm.outbox.services).
    """

    key = models.CharField(_("idempotency key"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # When the dispatcher or a worker last took the row: the sweeper's clock for lost work.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True


class OutboxMessage(ScheduledWork):
    """An email the office sends (reminders, invitations, agreements to sign), kept until sent.

    Services never talk to the mail server themselves: they put a message here, in the same
    transaction as the change that causes it, and a worker sends it once.
    """

    @badge_colours(
        queued="secondary", dispatched="info", sending="info", sent="success", failed="danger"
    )
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DISPATCHED = "dispatched", _("Handed to a worker")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    QUEUED, DISPATCHED, IN_FLIGHT = Status.QUEUED, Status.DISPATCHED, Status.SENDING
    DONE, FAILED = Status.SENT, Status.FAILED

    message_id = models.CharField(_("Message-ID"), max_length=100, editable=False)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    # Where a person's "Reply" goes when it is not the office's sending address (the organiser
    # of a meeting, say); From stays DEFAULT_FROM_EMAIL, see docs/decisions.md.
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text body"))
    html = models.TextField(_("HTML body"), blank=True)
    # [{"filename": "meeting.ics", "content_type": "text/calendar", "content": "<base64>"}]
    # Further renderings of the body beside text and HTML, inside multipart/alternative:
    # [{"content": "BEGIN:VCALENDAR...", "content_type": "text/calendar; method=REQUEST"}]
    alternatives = models.JSONField(_("alternative bodies"), default=list, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="outbox_message_key_per_tenant"),
        ]
        indexes = [
            # The dispatcher's and the sweeper's question: "what is due / stuck in this tenant".
            models.Index(fields=["tenant", "status", "next_attempt_at"], name="outbox_msg_due"),
            models.Index(fields=["tenant", "status", "claimed_at"], name="outbox_msg_claimed"),
            models.Index(fields=["tenant", "-created_at"], name="outbox_msg_recent"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]


class DueJob(ScheduledWork):
    """A piece of work due at a time: "run handler X for record Y at T" (a meeting reminder, an
    escalation of an unanswered complaint). Areas register handlers with `@due_job_handler`."""

    @badge_colours(
        queued="secondary",
        dispatched="info",
        running="info",
        done="success",
        failed="danger",
        cancelled="secondary",
    )
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DISPATCHED = "dispatched", _("Handed to a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    QUEUED, DISPATCHED, IN_FLIGHT = Status.QUEUED, Status.DISPATCHED, Status.RUNNING
    DONE, FAILED = Status.DONE, Status.FAILED

    handler = models.CharField(_("handler"), max_length=100)
    # The record the job is about, as plain strings: a job outlives no model change that way.
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="due_job_key_per_tenant"),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "next_attempt_at"], name="due_job_due"),
            models.Index(fields=["tenant", "status", "claimed_at"], name="due_job_claimed"),
            models.Index(fields=["tenant", "object_type", "object_id"], name="due_job_object"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} {self.key}"
