"""Agreement reminders, as due jobs (each runs once; see brm/outbox/registry.py; agreements/tasks.py
imports this module so every process knows its handlers).

- A version in signature: the signers who have not signed are reminded 3 days after submission,
  then weekly, at most 3 times.
- A version in force: the relationship manager is reminded 90, 30 and 7 days before the review
  date, and when the review is overdue the IT manager who signed is told too.

Reminders go out at 09:00 in the office's time zone. A job that finds its reason gone (signed,
withdrawn, a newer version in force with another review date) does nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.outbox.models import DueJob
from brm.outbox.registry import due_job_handler
from brm.outbox.services import due_job_schedule, outbox_enqueue

from .models import Agreement, AgreementVersion, Signature

SIGNATURE_REMINDER = "agreements.signature_reminder"
REVIEW_REMINDER = "agreements.review_reminder"

FIRST_SIGNATURE_REMINDER_DAYS = 3
SIGNATURE_REMINDER_INTERVAL_DAYS = 7
MAX_SIGNATURE_REMINDERS = 3
REVIEW_REMINDER_DAYS_BEFORE = (90, 30, 7)
SEND_AT = time(9, 0)


def _at_nine(day: date, zone) -> datetime:
    return datetime.combine(day, SEND_AT, tzinfo=zone)


def signature_url(signature: Signature, tenant_slug: str) -> str:
    """Where the signer reads the version and signs: the staff page for the RM and the IT
    manager, the portal for the business side."""
    name = (
        "agreements:signature_sign"
        if signature.role in Signature.STAFF_SIDE
        else "agreements:portal_signature_sign"
    )
    path = reverse(name, kwargs={"tenant_slug": tenant_slug, "pk": signature.pk})
    return f"{settings.BRM_BASE_URL}{path}"


def signature_requested_notify(version: AgreementVersion) -> None:
    """Each named signer is asked, once, with the link to sign."""
    customer = version.agreement.customer
    for signature in Signature.objects.filter(version=version).select_related("user"):
        outbox_enqueue(
            key=f"agreement-signature-requested:{signature.pk}",
            to=signature.user.email,
            subject=_("Your signature on the agreement with %(customer)s")
            % {"customer": customer.name},
            text=_(
                "Version %(number)s of the Partnership Agreement between %(office)s and "
                "%(customer)s has been submitted for signature, and you are named to sign it as "
                "%(role)s.\n\nRead it and sign (or decline with a reason) here:\n%(url)s\n\n"
                "Content SHA-256: %(sha256)s"
            )
            % {
                "number": version.number,
                "office": version.agreement.tenant.name,
                "customer": customer.name,
                "role": signature.get_role_display(),
                "url": signature_url(signature, version.agreement.tenant.slug),
                "sha256": version.content_sha256,
            },
        )


def schedule_signature_reminders(version: AgreementVersion) -> DueJob:
    """The first reminder of a round; each reminder schedules the next."""
    zone = version.agreement.tenant.zone
    submitted = timezone.localtime(version.submitted_at, zone).date()
    return due_job_schedule(
        handler=SIGNATURE_REMINDER,
        key=f"agreements.signature-reminder:{version.pk}:1",
        due_at=_at_nine(submitted + timedelta(days=FIRST_SIGNATURE_REMINDER_DAYS), zone),
        payload={"n": 1},
        obj=version,
    )


def schedule_review_reminders(agreement: Agreement) -> list[DueJob]:
    """Reminders for the agreement's review date; those already past are not sent late, except
    the overdue notice. Keys name the date, so a new review date makes new reminders and the old
    ones find their date gone."""
    if agreement.review_due is None:
        return []
    zone = agreement.tenant.zone
    now = timezone.now()
    jobs = []
    due = agreement.review_due
    for days in (*REVIEW_REMINDER_DAYS_BEFORE, 0):
        day = due - timedelta(days=days) if days else due + timedelta(days=1)
        due_at = _at_nine(day, zone)
        if days and due_at <= now:
            continue
        jobs.append(
            due_job_schedule(
                handler=REVIEW_REMINDER,
                key=f"agreements.review-reminder:{agreement.pk}:{due.isoformat()}:{days}",
                due_at=due_at,
                payload={"review_due": due.isoformat(), "days_before": days},
                obj=agreement,
            )
        )
    return jobs


@due_job_handler(SIGNATURE_REMINDER)
def signature_reminder(job: DueJob) -> None:
    version = (
        AgreementVersion.objects.select_related("agreement__customer", "agreement__tenant")
        .filter(pk=job.object_id)
        .first()
    )
    if version is None or version.status != AgreementVersion.Status.IN_SIGNATURE:
        return
    n = int(job.payload.get("n", 1))
    customer = version.agreement.customer
    awaited = Signature.objects.filter(
        version=version, status=Signature.Status.PENDING
    ).select_related("user")
    for signature in awaited:
        outbox_enqueue(
            key=f"agreement-signature-reminder:{signature.pk}:{n}",
            to=signature.user.email,
            subject=_("Reminder: your signature on the agreement with %(customer)s")
            % {"customer": customer.name},
            text=_(
                "Version %(number)s of the Partnership Agreement with %(customer)s is waiting "
                "for your signature as %(role)s since %(day)s.\n\n"
                "Read it and sign or decline here:\n%(url)s\n\n"
                "Content SHA-256: %(sha256)s"
            )
            % {
                "number": version.number,
                "customer": customer.name,
                "role": signature.get_role_display(),
                "day": timezone.localtime(version.submitted_at, version.agreement.tenant.zone)
                .date()
                .isoformat(),
                "url": signature_url(signature, version.agreement.tenant.slug),
                "sha256": version.content_sha256,
            },
        )
    if n < MAX_SIGNATURE_REMINDERS and awaited.exists():
        due_job_schedule(
            handler=SIGNATURE_REMINDER,
            key=f"agreements.signature-reminder:{version.pk}:{n + 1}",
            due_at=job.due_at + timedelta(days=SIGNATURE_REMINDER_INTERVAL_DAYS),
            payload={"n": n + 1},
            obj=version,
        )


@due_job_handler(REVIEW_REMINDER)
def review_reminder(job: DueJob) -> None:
    agreement = (
        Agreement.objects.select_related("customer__relationship_manager__user", "tenant")
        .filter(pk=job.object_id)
        .first()
    )
    if agreement is None or agreement.review_due is None:
        return
    if agreement.review_due.isoformat() != job.payload.get("review_due"):
        return  # a newer version came into force with another review date
    in_force = (
        AgreementVersion.objects.filter(
            agreement=agreement, status=AgreementVersion.Status.IN_FORCE
        )
        .order_by("-number")
        .first()
    )
    if in_force is None:
        return
    customer = agreement.customer
    days = int(job.payload.get("days_before", 0))
    recipients = []
    rm = customer.relationship_manager
    if rm is not None and rm.user.email:
        recipients.append(rm.user.email)
    if not days:
        it_manager = (
            Signature.objects.filter(version=in_force, role=Signature.SignerRole.IT_MANAGER)
            .select_related("user")
            .first()
        )
        if it_manager is not None and it_manager.user.email not in recipients:
            recipients.append(it_manager.user.email)
    if not recipients:
        return
    values = {
        "customer": customer.name,
        "number": in_force.number,
        "day": agreement.review_due.isoformat(),
        "days": days,
    }
    if days:
        subject = _("The agreement with %(customer)s is due for review in %(days)s days") % values
        text = (
            _(
                "Version %(number)s of the Partnership Agreement with %(customer)s is due for "
                "review on %(day)s (in %(days)s days). Plan the review with the customer and "
                "revise the agreement if anything has changed."
            )
            % values
        )
    else:
        subject = _("The review of the agreement with %(customer)s is overdue") % values
        text = (
            _(
                "The review of version %(number)s of the Partnership Agreement with %(customer)s "
                "was due on %(day)s and has not been done. Review it with the customer and revise "
                "the agreement, or agree a new review date."
            )
            % values
        )
    outbox_enqueue(
        key=f"agreement-review-reminder:{agreement.pk}:{agreement.review_due.isoformat()}:{days}",
        to=recipients,
        subject=subject,
        text=text,
    )
