"""Writes for scheduled work: queue an email or a job, dispatch what is due, send, sweep.

Who calls what:
  * any service, in its tenant: `outbox_enqueue(...)`, `due_job_schedule(...)`;
  * Celery beat ticks (brm.celery): `outbox_dispatch()`, `due_job_dispatch()`,
    `scheduled_work_sweep()`, `daily_jobs_schedule()` - the only code here that crosses
    tenants, one tenant at a time;
  * workers (brm.outbox.tasks): `outbox_deliver(...)`, `due_job_run(...)`.

Every step is a short transaction that moves a row from one state to the next with a conditional
UPDATE (`WHERE status = ...`), so two dispatchers, a duplicate broker delivery or a retried task
find the row already taken and do nothing. See docs/decisions.md, "Scheduled work".
"""

from __future__ import annotations

import base64
import logging
import smtplib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import audit_record
from brm.tenancy.context import current_tenant_id, tenant_context
from brm.tenancy.models import Tenant

from . import conf
from .models import DueJob, OutboxMessage, ScheduledWork, message_id_for
from .registry import daily_jobs, delivery_listeners_for, handler_get

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS_BYTES = 15 * 1024 * 1024
ERROR_LENGTH = 1000


# --- queueing (in the caller's tenant and transaction) ---------------------------------------


def _attachment(item: Mapping) -> dict:
    content = item["content"]
    if isinstance(content, str) and not item.get("base64"):
        content = content.encode()
    if isinstance(content, bytes):
        content = base64.b64encode(content).decode("ascii")
    return {
        "filename": str(item["filename"]),
        "content_type": item.get("content_type") or "application/octet-stream",
        "content": content,
    }


def _alternative(item: Mapping) -> dict:
    content, content_type = item["content"], str(item.get("content_type") or "")
    if isinstance(content, bytes):
        content = content.decode()
    if not isinstance(content, str) or not content_type.startswith("text/"):
        raise ValidationError(
            {"alternatives": _("An alternative body is text with a text/... content type.")}
        )
    return {"content": content, "content_type": content_type}


def _addresses(values: Iterable[str] | str, field: str) -> list[str]:
    addresses = [values] if isinstance(values, str) else list(values)
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {field: _("%(address)s is not an email address.") % {"address": address}}
            ) from None
    return addresses


def outbox_enqueue(
    *,
    key: str,
    to: Iterable[str] | str,
    subject: str,
    text: str,
    html: str = "",
    alternatives: Iterable[Mapping] = (),
    attachments: Iterable[Mapping] = (),
    cc: Iterable[str] | str = (),
    reply_to: Iterable[str] | str = (),
    send_at: datetime | None = None,
) -> OutboxMessage:
    """Queue an email in the current tenant; a second call with the same key returns the first.

    `attachments` are mappings of filename, content (bytes, text, or base64 text with
    `"base64": True`) and content_type, e.g. an `invite.ics` as `application/ics`.
    `alternatives` are further renderings of the body (content as text, and a text/... content
    type whose charset is added when sent), placed after the text and the HTML inside
    multipart/alternative: a `text/calendar; method=REQUEST` iTIP invitation (brm.calendar.itip).
    With no `send_at` the send task is published when the caller's transaction commits; a later
    `send_at` waits for the dispatcher. Nothing is sent if the caller's transaction rolls back.
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    to_list = _addresses(to, "to")
    if not to_list:
        raise ValidationError({"to": _("An email needs at least one recipient.")})
    files = [_attachment(a) for a in attachments]
    bodies = [_alternative(a) for a in alternatives]
    size = sum(len(f["content"]) * 3 // 4 for f in files)
    if size + sum(len(b["content"].encode()) for b in bodies) > MAX_ATTACHMENTS_BYTES:
        raise ValidationError({"attachments": _("The attachments are too large to send.")})
    now = timezone.now()
    tenant_id = current_tenant_id()
    # Due now: published on commit below, so it is "dispatched" from the start and the
    # dispatcher does not publish it a second time.
    dispatched = send_at is None or send_at <= now
    message = OutboxMessage(
        tenant_id=tenant_id,
        key=key,
        status=OutboxMessage.DISPATCHED if dispatched else OutboxMessage.QUEUED,
        claimed_at=now if dispatched else None,
        message_id=message_id_for(tenant_id, key),
        to=to_list,
        cc=_addresses(cc, "cc"),
        reply_to=_addresses(reply_to, "reply_to"),
        subject=" ".join(subject.splitlines())[:500],  # a header: no line breaks
        text=text,
        html=html,
        alternatives=bodies,
        attachments=files,
        next_attempt_at=max(send_at, now) if send_at else now,
    )
    try:
        with transaction.atomic():  # a savepoint: losing the race below keeps the caller's work
            message.save()
    except IntegrityError:
        # Another transaction queued the same key first; it has committed by now.
        return OutboxMessage.objects.get(key=key)
    if dispatched:
        _publish_on_commit(OutboxMessage, "outbox_send", tenant_id, message.pk)
    return message


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, actor) -> OutboxMessage:
    """Queue a failed email again, with a fresh count of attempts (the outbox page's Retry)."""
    now = timezone.now()
    updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.FAILED).update(
        status=OutboxMessage.DISPATCHED, attempts=0, next_attempt_at=now, claimed_at=now
    )
    if not updated:
        raise ValidationError(_("Only a failed email can be retried."))
    audit_record(
        actor=actor,
        action="outbox.retry",
        obj=message,
        changes={"status": [message.status, OutboxMessage.QUEUED]},
    )
    message.refresh_from_db()
    _publish_on_commit(OutboxMessage, "outbox_send", message.tenant_id, message.pk)
    return message


def due_job_schedule(
    *,
    handler: str,
    key: str,
    due_at: datetime,
    payload: Mapping | None = None,
    obj=None,
) -> DueJob:
    """Run `handler` at `due_at` in the current tenant; a second call with the same key returns
    the first job unchanged (use a new key, e.g. one with the time in it, to reschedule)."""
    handler_get(handler)  # fail now, in the caller, for a handler nobody registered
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime")
    existing = DueJob.objects.filter(key=key).first()
    if existing is not None:
        return existing
    due_at = due_at.astimezone(UTC)
    now = timezone.now()
    dispatched = due_at <= now
    job = DueJob(
        tenant_id=current_tenant_id(),
        status=DueJob.DISPATCHED if dispatched else DueJob.QUEUED,
        claimed_at=now if dispatched else None,
        handler=handler,
        key=key,
        due_at=due_at,
        next_attempt_at=due_at,
        payload=dict(payload or {}),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        return DueJob.objects.get(key=key)
    if dispatched:
        _publish_on_commit(DueJob, "due_job_run", job.tenant_id, job.pk)
    return job


def due_job_cancel(*, key: str) -> bool:
    """Cancel a job that has not run yet (e.g. the meeting was called off). True if cancelled."""
    return bool(
        DueJob.objects.filter(key=key, status__in=[DueJob.QUEUED, DueJob.DISPATCHED]).update(
            status=DueJob.Status.CANCELLED, finished_at=timezone.now()
        )
    )


# --- publishing to the broker ---------------------------------------------------------------


# After a failed publish, skip publishing for this long: each attempt at a dead broker costs
# most of a second, and a page that queues ten emails must not take ten seconds.
BROKER_BACKOFF = 2.0
_broker_down_until = 0.0


def _publish(task_name: str, tenant_id: int, pk: int) -> bool:
    global _broker_down_until
    from . import tasks  # tasks import services; importing here keeps the cycle harmless

    if time.monotonic() < _broker_down_until:
        return False
    try:
        getattr(tasks, task_name).apply_async(args=(tenant_id, pk))
    except Exception:
        # The row is committed and stays due: the next dispatcher tick publishes it again. A
        # broken broker must never turn into an error for the person who caused the email.
        _broker_down_until = time.monotonic() + BROKER_BACKOFF
        logger.warning(
            "Could not publish %s(%s, %s); the dispatcher will retry",
            task_name,
            tenant_id,
            pk,
            exc_info=True,
        )
        return False
    return True


def _publish_on_commit(model: type[ScheduledWork], task_name: str, tenant_id: int, pk: int):
    """After commit, publish the task for a row created "dispatched"; if the broker is down,
    give the row back to the dispatcher at once instead of after OUTBOX_STUCK_AFTER."""

    def publish():
        if not _publish(task_name, tenant_id, pk):
            _give_back(model, tenant_id, [pk])

    transaction.on_commit(publish)


def _give_back(model: type[ScheduledWork], tenant_id: int, ids: list[int]) -> None:
    with tenant_context(tenant_id):
        model.objects.filter(pk__in=ids, status=model.DISPATCHED).update(
            status=model.QUEUED, claimed_at=None
        )


# --- dispatching (cross-tenant, one tenant at a time) ---------------------------------------


def _active_tenant_ids() -> list[int]:
    # The tenant table has no row-level security: this is the one cross-tenant read the
    # dispatcher needs. Every row it then touches is read inside that row's tenant_context.
    return list(Tenant.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))


def _claim_due(model: type[ScheduledWork], *, now: datetime, limit: int) -> list[int]:
    """In the current tenant, move up to `limit` due rows from queued to dispatched."""
    due = model.objects.filter(status=model.QUEUED, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: a second dispatcher skips the rows this one holds instead of waiting.
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        model.objects.filter(pk__in=ids, status=model.QUEUED).update(
            status=model.DISPATCHED, claimed_at=now
        )
        return ids
    # SQLite: IMMEDIATE transactions already serialise writers; the conditional UPDATE is what
    # makes the claim safe on any database.
    return [
        pk
        for pk in due.values_list("pk", flat=True)[:limit]
        if model.objects.filter(pk=pk, status=model.QUEUED).update(
            status=model.DISPATCHED, claimed_at=now
        )
    ]


@dataclass
class _Tick:
    claimed: int = 0
    broker_down: bool = False


def _publish_claimed(model, task_name: str, tenant_id: int, ids: list[int], tick: _Tick) -> None:
    for i, pk in enumerate(ids):
        if tick.broker_down or not _publish(task_name, tenant_id, pk):
            tick.broker_down = True
            # Give the unpublished rows back now rather than after OUTBOX_STUCK_AFTER.
            _give_back(model, tenant_id, ids[i:])
            return


def _dispatch(model: type[ScheduledWork], task_name: str, now: datetime | None) -> int:
    now = now or timezone.now()
    batch, limit = conf.get("OUTBOX_DISPATCH_BATCH"), conf.get("OUTBOX_DISPATCH_MAX")
    tick = _Tick()
    for tenant_id in _active_tenant_ids():
        while not tick.broker_down and tick.claimed < limit:
            with tenant_context(tenant_id):
                ids = _claim_due(model, now=now, limit=min(batch, limit - tick.claimed))
                if ids:
                    transaction.on_commit(
                        lambda ids=ids, t=tenant_id: _publish_claimed(
                            model, task_name, t, ids, tick
                        )
                    )
            tick.claimed += len(ids)
            if len(ids) < batch:
                break
        if tick.broker_down or tick.claimed >= limit:
            break
    return tick.claimed


def outbox_dispatch(*, now: datetime | None = None) -> int:
    """Hand every due email of every active tenant to the workers. Returns how many."""
    return _dispatch(OutboxMessage, "outbox_send", now)


def due_job_dispatch(*, now: datetime | None = None) -> int:
    """Hand every due job of every active tenant to the workers. Returns how many."""
    return _dispatch(DueJob, "due_job_run", now)


def scheduled_work_sweep(*, now: datetime | None = None) -> int:
    """Put rows back in the queue whose worker or broker message was lost. Returns how many.

    A row in flight longer than OUTBOX_STUCK_AFTER (longer than any task may run) belongs to a
    worker that died: an email may then be sent twice - the at-least-once window, see
    docs/decisions.md. A row that has used all its attempts is failed instead.
    """
    now = now or timezone.now()
    before = now - conf.stuck_after()
    max_attempts = conf.get("OUTBOX_MAX_ATTEMPTS")
    swept = 0
    for tenant_id in _active_tenant_ids():
        with tenant_context(tenant_id):
            for model in (OutboxMessage, DueJob):
                stuck = model.objects.filter(
                    status__in=[model.DISPATCHED, model.IN_FLIGHT], claimed_at__lt=before
                )
                swept += stuck.filter(status=model.IN_FLIGHT, attempts__gte=max_attempts).update(
                    status=model.FAILED,
                    claimed_at=None,
                    last_error=_("The worker was lost during the last allowed attempt."),
                )
                swept += stuck.update(status=model.QUEUED, claimed_at=None, next_attempt_at=now)
    return swept


def daily_job_key(name: str, day: date) -> str:
    return f"daily:{name}:{day.isoformat()}"


def daily_jobs_schedule(*, now: datetime | None = None) -> int:
    """Give every active office today's job of each daily handler (the daily tick). Returns how
    many jobs were made.

    "Today" and the time of day are the office's: an office in Sydney gets its 07:00 job while
    one in Amsterdam is still on the day before. The key names the office's date, so any number
    of ticks (or beats) make one job an office a day, and due_job_run runs it once. A tick makes
    only today's: after a day without ticks the missed day is not run late, today's is.
    """
    jobs = daily_jobs()
    if not jobs:
        return 0
    now = now or timezone.now()
    made = 0
    offices = Tenant.objects.filter(is_active=True).order_by("pk").values_list("pk", "time_zone")
    for tenant_id, zone_name in offices:
        zone = ZoneInfo(zone_name)
        today = now.astimezone(zone).date()
        keys = {daily_job_key(job.name, today): job for job in jobs}
        with tenant_context(tenant_id):
            have = set(DueJob.objects.filter(key__in=keys).values_list("key", flat=True))
            for key, job in keys.items():
                if key not in have:
                    due_job_schedule(
                        handler=job.name,
                        key=key,
                        due_at=datetime.combine(today, job.at, tzinfo=zone),
                        payload={"date": today.isoformat()},
                    )
                    made += 1
    return made


# --- working one row (workers) -------------------------------------------------------------


def _claim_one(model: type[ScheduledWork], pk: int) -> datetime | None:
    """In the current tenant, take a dispatched row for this worker; None when another task
    already has it (a duplicate delivery) or it went back to the queue. The claim time
    identifies the claim."""
    now = timezone.now()
    taken = model.objects.filter(pk=pk, status=model.DISPATCHED).update(
        status=model.IN_FLIGHT, claimed_at=now, attempts=F("attempts") + 1
    )
    return now if taken else None


def _record_failure(
    model: type[ScheduledWork], tenant_id: int, pk: int, error: str, *, permanent: bool
) -> str:
    now = timezone.now()
    with tenant_context(tenant_id):
        row = model.objects.select_for_update().filter(pk=pk, status=model.IN_FLIGHT).first()
        if row is None:  # swept meanwhile: whoever has it now decides
            return "lost"
        row.last_error = error[:ERROR_LENGTH]
        row.claimed_at = None
        if permanent or row.attempts >= conf.get("OUTBOX_MAX_ATTEMPTS"):
            row.status = model.FAILED
        else:
            row.status = model.QUEUED
            row.next_attempt_at = now + conf.retry_delay(row.attempts)
        row.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
        failed = row.status == model.FAILED
    if failed and model is OutboxMessage:
        _tell_listeners(tenant_id, row.key, "failed", now)
    return "failed" if failed else "retry"


def _tell_listeners(tenant_id: int, key: str, status: str, at: datetime) -> None:
    """Let the area that queued the email follow its delivery (brm.outbox.registry). After the
    outbox's own commit and in a transaction of its own: a listener that fails is logged and
    never makes an email be sent again."""
    for listener in delivery_listeners_for(key):
        try:
            with tenant_context(tenant_id):
                listener(key=key, status=status, at=at)
        except Exception:
            logger.warning("Delivery listener for %s failed", key, exc_info=True)


def _smtp_error(exc: Exception) -> tuple[str, bool]:
    """(reason, permanent?) for a failed send. 5xx answers are permanent; 4xx answers,
    connection errors and timeouts are worth another try, as is a login the server refused
    (the office's configuration, not this message's fault)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.items())
        reason = "; ".join(f"{r}: {code} {_text(msg)}" for r, (code, msg) in answers)
        return reason, all(500 <= code < 600 for _r, (code, _m) in answers)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}", False
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}", 500 <= exc.smtp_code < 600
    return f"{type(exc).__name__}: {exc}", False


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _email(message: OutboxMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        cc=message.cc,
        reply_to=message.reply_to,
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.alternatives:
        email.attach_alternative(item["content"], item["content_type"])
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content"]), item["content_type"])
    return email


def outbox_deliver(*, tenant_id: int, message_id: int) -> str:
    """Send one email (the send task). Returns what happened: sent, retry, failed or skipped.

    claim (commit) -> SMTP -> mark sent (commit), each step short. If the process dies between
    the server's "250 OK" and the last commit, the row stays "sending" and the sweeper sends it
    again: at least once, with the same Message-ID. Nothing else can send it twice.
    """
    with tenant_context(tenant_id):
        if _claim_one(OutboxMessage, message_id) is None:
            return "skipped"
        message = OutboxMessage.objects.get(pk=message_id)
    timeout = None if getattr(settings, "EMAIL_TIMEOUT", None) else conf.get("OUTBOX_SMTP_TIMEOUT")
    smtp = get_connection(timeout=timeout)
    try:
        # Open the connection first and close it after marking sent, so that the window above
        # is one UPDATE long, not also the QUIT round trip.
        smtp.open()
        _email(message, smtp).send()
    except Exception as exc:
        smtp.close()
        reason, permanent = _smtp_error(exc)
        logger.info("Sending outbox message %s failed: %s", message_id, reason)
        return _record_failure(OutboxMessage, tenant_id, message_id, reason, permanent=permanent)
    sent_at = timezone.now()
    try:
        with tenant_context(tenant_id):
            # Sent is the truth now, whatever state a sweep may have put the row in.
            OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxMessage.DONE).update(
                status=OutboxMessage.DONE, sent_at=sent_at, claimed_at=None, last_error=""
            )
    finally:
        smtp.close()
    _tell_listeners(tenant_id, message.key, "sent", sent_at)
    return "sent"


def due_job_run(*, tenant_id: int, job_id: int) -> str:
    """Run one due job (the run task). Returns done, retry, failed or skipped.

    The handler's writes and the "done" mark commit together, holding the row's lock, so they
    happen once even if the job is retried, swept or delivered twice.
    """
    with tenant_context(tenant_id):  # committed on its own: "running" and the attempt count
        claimed_at = _claim_one(DueJob, job_id)  # survive a handler that kills the process
    if claimed_at is None:
        return "skipped"
    try:
        with tenant_context(tenant_id):
            job = DueJob.objects.select_for_update().get(pk=job_id)
            if job.status != DueJob.IN_FLIGHT or job.claimed_at != claimed_at:
                return "skipped"  # swept and taken by another worker while this one waited
            handler_get(job.handler)(job)
            job.status, job.finished_at, job.claimed_at = DueJob.DONE, timezone.now(), None
            job.last_error = ""
            job.save(update_fields=["status", "finished_at", "claimed_at", "last_error"])
    except Exception as exc:
        logger.warning("Due job %s (%s) failed", job_id, tenant_id, exc_info=True)
        return _record_failure(
            DueJob, tenant_id, job_id, f"{type(exc).__name__}: {exc}", permanent=False
        )
    return "done"


@transaction.atomic
def outbox_enqueue_many(messages: Iterable[Mapping], *, batch_size: int = 2000) -> int:
    """Queue many emails in the current tenant in bulk (a campaign's invitations, a notice to
    every contact of thousands of customers): one INSERT a batch, no query per email. Each
    mapping has key, to, subject, text and optionally html and attachments; a key queued before
    is left as it was, so running it again queues nothing twice; a bad address refuses the
    whole call. The rows wait "queued" and are due now: a dispatch
    tick is published on commit so that they leave at once. Returns how many were handed in."""
    from . import tasks  # tasks import services

    tenant_id, now = current_tenant_id(), timezone.now()
    created, batch = 0, []

    def flush():
        nonlocal created
        OutboxMessage.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
        batch.clear()

    for item in messages:
        files = [_attachment(a) for a in item.get("attachments", ())]
        to_list = _addresses(item["to"], "to")
        if not to_list:
            raise ValidationError({"to": _("An email needs at least one recipient.")})
        batch.append(
            OutboxMessage(
                tenant_id=tenant_id,
                key=item["key"],
                status=OutboxMessage.QUEUED,
                message_id=message_id_for(tenant_id, item["key"]),
                to=to_list,
                subject=" ".join(str(item["subject"]).splitlines())[:500],
                text=item["text"],
                html=item.get("html", ""),
                attachments=files,
                next_attempt_at=now,
            )
        )
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()

    def tick():
        try:
            tasks.outbox_dispatch.apply_async()
        except Exception:  # the beat's next tick dispatches them all the same
            logger.warning("Could not publish a dispatch tick", exc_info=True)

    transaction.on_commit(tick)
    return created
