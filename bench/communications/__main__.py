"""A planned maintenance notice to every contact of 5,000 customers: emails queued per second by
the send job, beside a floor, and delivered per second by two Celery workers, with zero
duplicates.

    .venv/bin/python -m bench.communications [--customers 5000] [--contacts 10] [--workers 2]

Creates and migrates the database `brm_bench_communications` (as BENCH_OWNER_URL's role), starts
a private redis-server on a spare port as the broker and an aiosmtpd server on loopback that
counts Message-IDs. Then, as the runtime role under row-level security:

1. **seed**: one office with `--customers` customers of `--contacts` contacts each, every
   customer consuming the "Workplace" service (bulk inserts; one contact in a hundred has
   opted out of general notices and newsletters, which a planned maintenance ignores), and a
   planned maintenance notice to every contact of every customer consuming the service, made
   and sent through the services (`notice_create`, `notice_send`: marked sent, one job due);
2. **fan out**: that job, dispatched and run as a worker runs it (`due_job_dispatch`,
   `due_job_run`): the audience resolved (customers, contacts, opt-outs), one recipient row
   each with its reason, the customers' plan entries delivered, the email rendered once with
   its calendar file and one outbox row queued per recipient;
3. **floor**: in a transaction rolled back afterwards, the same contacts read by one query and
   the same recipient rows and outbox rows (the same texts and calendar file) written by plain
   `bulk_create`, with nothing else: no roles, no opt-outs, no rendering, no audit;
4. **deliver**: the workers start, the dispatcher ticks until every email has reached the SMTP
   server; each recipient's outbox row is read back (each `sent`).

Prints the figures and writes bench/results/communications.json; exits non-zero if an email is
missing, one arrived twice, an outbox key is there twice or a recipient's email is not `sent`.
"""

import argparse
import json
import os
import time

from bench import mailrun

OWNER_URL = os.environ.get(
    "BENCH_OWNER_URL", "postgres://brm_owner@127.0.0.1:5432/brm_bench_communications"
)
BATCH = 5000


def seed(customers: int, per_customer: int):
    """The office, its customers and contacts, the service and the sent notice."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from brm.accounts.models import User
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership, Role
    from brm.tenancy.services import tenant_create
    from customers.models import Contact, Customer, CustomerService, Service
    from meetings import communications
    from meetings.communication_models import AudienceRole, CommunicationPreference, Topic

    tenant = tenant_create(
        slug="bench-news", name="News bench", time_zone="Europe/Amsterdam", mfa_policy="optional"
    )
    user = User.objects.create(email="rm@bench-news.example", full_name="Rita Manager")
    with tenant_context(tenant):
        rm = Membership.objects.create(tenant=tenant, user=user, role=Role.RELATIONSHIP_MANAGER)
        service = Service.objects.create(name="Workplace")
        Customer.objects.bulk_create(
            (
                Customer(tenant=tenant, name=f"Customer {c:04d}", relationship_manager=rm)
                for c in range(customers)
            ),
            batch_size=BATCH,
        )
        customer_ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
        CustomerService.objects.bulk_create(
            (CustomerService(tenant=tenant, customer_id=c, service=service) for c in customer_ids),
            batch_size=BATCH,
        )
        Contact.objects.bulk_create(
            (
                Contact(
                    tenant=tenant,
                    customer_id=customer_id,
                    name=f"Person {c * per_customer + p:06d}",
                    email=f"person{c * per_customer + p}@business{c}.example",
                )
                for c, customer_id in enumerate(customer_ids)
                for p in range(per_customer)
            ),
            batch_size=BATCH,
        )
        CommunicationPreference.objects.bulk_create(
            (
                CommunicationPreference(
                    tenant=tenant, contact_id=pk, newsletters=False, general=False
                )
                for pk in Contact.objects.order_by("pk").values_list("pk", flat=True)[::100]
            ),
            batch_size=BATCH,
        )
        starts = timezone.now() + timedelta(days=7)
        notice = communications.notice_create(
            actor=user,
            actor_member=rm,
            kind=Topic.PLANNED_MAINTENANCE,
            subject="Workplace maintenance on Saturday night",
            body=(
                "The **workplace** service (email, calendar, file shares) is down for "
                "maintenance.\n\n- Save your work before 22:00\n- Mobile email keeps working"
            ),
            window_starts_at=starts,
            window_ends_at=starts + timedelta(hours=4),
            service=service,
            resolve="roles",
            roles=[AudienceRole.ALL_CONTACTS],
        )
        communications.notice_send(notice=notice, actor=user, actor_member=rm)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tenant, notice, service


def fan_out(tenant, notice) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from brm.outbox.models import DueJob, OutboxMessage
    from brm.outbox.services import due_job_dispatch, due_job_run
    from brm.tenancy.context import tenant_context
    from meetings import communications
    from meetings.communication_models import NoticeRecipient

    with tenant_context(tenant):
        job = DueJob.objects.get(handler=communications.NOTICE_FANOUT, object_id=str(notice.pk))
    due_job_dispatch(now=timezone.now())
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        result = due_job_run(tenant_id=tenant.pk, job_id=job.pk)
    seconds = time.perf_counter() - started
    with tenant_context(tenant):
        recipients = NoticeRecipient.objects.filter(notice=notice).count()
        queued = OutboxMessage.objects.filter(key__startswith=f"notice-{notice.pk}:").count()
    statements = [
        q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    return {
        "job": result,
        "seconds": round(seconds, 2),
        "recipients": recipients,
        "queued": queued,
        "queued_per_second": round(queued / seconds),
        "statements": len(statements),
    }


def floor(tenant, notice, service) -> dict:
    """The same rows by one read and plain bulk inserts, in a transaction that is rolled back."""
    from django.db import transaction

    from brm.outbox.models import OutboxMessage, message_id_for
    from brm.tenancy.context import tenant_context
    from customers.models import Contact
    from meetings.communication_models import Notice, NoticeRecipient

    class Rollback(Exception):
        pass

    with tenant_context(tenant):
        subject, text, html, attachments = (
            OutboxMessage.objects.filter(key__startswith=f"notice-{notice.pk}:")
            .values_list("subject", "text", "html", "attachments")
            .first()
        )
        reason = NoticeRecipient.objects.filter(notice=notice).values_list("reason", flat=True)[0]
    started = time.perf_counter()
    try:
        with tenant_context(tenant), transaction.atomic():
            copy = Notice.objects.create(
                kind=notice.kind, subject=notice.subject, body=notice.body, service=service
            )
            contacts = list(
                Contact.objects.filter(customer__service_links__service=service)
                .exclude(email="")
                .values_list("pk", "customer_id", "purchaser_id", "email")
            )
            NoticeRecipient.objects.bulk_create(
                (
                    NoticeRecipient(
                        tenant_id=tenant.pk,
                        notice=copy,
                        contact_id=pk,
                        customer_id=customer_id,
                        purchaser_id=purchaser_id,
                        email=email,
                        reason=reason,
                    )
                    for pk, customer_id, purchaser_id, email in contacts
                ),
                batch_size=2000,
            )
            OutboxMessage.objects.bulk_create(
                (
                    OutboxMessage(
                        tenant_id=tenant.pk,
                        key=f"floor:{pk}",
                        message_id=message_id_for(tenant.pk, f"floor:{pk}"),
                        to=[email],
                        subject=subject,
                        text=text,
                        html=html,
                        attachments=attachments,
                        next_attempt_at=copy.created_at,
                    )
                    for pk, _customer, _purchaser, email in contacts
                ),
                batch_size=2000,
            )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return {
        "seconds": round(seconds, 2),
        "queued": len(contacts),
        "queued_per_second": round(len(contacts) / seconds),
    }


def deliver(tenant, notice, expected: int, args, smtp, workdir) -> dict:
    from brm.outbox.models import OutboxMessage
    from brm.tenancy.context import tenant_context

    with mailrun.celery_workers(args.workers, args.concurrency, workdir):
        delivery = mailrun.deliver_all(smtp, expected)
    with tenant_context(tenant):
        ours = OutboxMessage.objects.filter(key__startswith=f"notice-{notice.pk}:")
        sent = ours.filter(status=OutboxMessage.Status.SENT).count()
    return {
        "workers": f"{args.workers} x concurrency {args.concurrency} (prefork)",
        **delivery,
        **mailrun.outbox_figures(tenant),
        "recipients_sent": sent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--contacts", type=int, default=10, help="contacts per customer")
    parser.add_argument("--workers", type=int, default=2, help="celery worker processes")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    parser.add_argument("--no-delivery", action="store_true", help="seed, fan out and floor only")
    args = parser.parse_args()

    mailrun.fresh_database(OWNER_URL, "bench.communications.settings")
    with mailrun.mail_servers("bench-communications-") as (smtp, workdir):
        import django

        django.setup()
        started = time.perf_counter()
        tenant, notice, service = seed(args.customers, args.contacts)
        seeded = round(time.perf_counter() - started, 1)
        print(f"seeded {args.customers} customers x {args.contacts} contacts in {seeded}s")
        sent = fan_out(tenant, notice)
        print(f"fan out: {json.dumps(sent)}", flush=True)
        floored = floor(tenant, notice, service)
        print(f"floor: {json.dumps(floored)}", flush=True)
        result = {
            "customers": args.customers,
            "contacts": args.customers * args.contacts,
            "seed_seconds": seeded,
            "fan_out": sent,
            "floor": floored,
            "fan_out_of_floor": round(sent["queued_per_second"] / floored["queued_per_second"], 2),
        }
        if not args.no_delivery:
            result["delivery"] = deliver(tenant, notice, sent["queued"], args, smtp, workdir)
    print(json.dumps(result, indent=2))
    mailrun.write_result("communications", result)
    problems = []
    if sent["queued"] != floored["queued"] or sent["recipients"] != sent["queued"]:
        problems.append(f"{sent['queued']} queued, the floor {floored['queued']}")
    delivery = result.get("delivery")
    if delivery:
        if delivery["delivered"] != sent["queued"]:
            problems.append(f"{sent['queued'] - delivery['delivered']} emails missing")
        if delivery["smtp_duplicates"] or delivery["outbox_keys_twice"]:
            problems.append("duplicates")
        if delivery["recipients_sent"] != sent["queued"]:
            problems.append("recipients' emails not all marked sent")
    if problems:
        raise SystemExit("; ".join(problems))


if __name__ == "__main__":
    main()
