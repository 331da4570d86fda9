"""A campaign to 20,000 contacts: invitations queued per second when it opens, beside a floor,
and emails delivered per second by Celery workers, with zero duplicates.

    .venv/bin/python -m bench.satisfaction [--contacts 20000] [--workers 2] [--concurrency 1]

Creates and migrates the database `brm_bench_sat_campaigns` (as BENCH_OWNER_URL's role), starts
a private redis-server on a spare port as the broker and an aiosmtpd server on loopback that
counts Message-IDs. Then, as the runtime role under row-level security:

1. **seed**: one office with 200 customers of 100 contacts each (bulk inserts; one contact in a
   hundred without an email, one in a hundred opted out, one in fifty invited 20 days ago by
   an earlier campaign), a survey of four questions and a campaign to all contacts of all
   active customers, scheduled through the services (`campaign_schedule`);
2. **open**: the campaign's opening job, dispatched and run as a worker runs it
   (`due_job_dispatch`, `due_job_run`): the audience and its rules read, every invitation
   recorded (invited or held back), a token and an email queued for each one invited;
3. **floor**: in a transaction rolled back afterwards, the same invitation rows, token rows and
   outbox rows (the same texts) written by plain `bulk_create`, with nothing else: no rules,
   no rendering, no audit;
4. **deliver**: the workers start, the dispatcher ticks until every email is delivered to the
   SMTP server; the invitations' delivery status is read back (each `sent`).

Prints the figures and writes bench/results/satisfaction_campaign.json; exits non-zero if an
email is missing, one arrived twice, an outbox key is there twice or an invitation is not `sent`.
"""

import argparse
import json
import os
import time

from bench import mailrun

OWNER_URL = os.environ.get(
    "BENCH_OWNER_URL", "postgres://brm_owner@127.0.0.1:5432/brm_bench_sat_campaigns"
)
CUSTOMERS = 200
BATCH = 5000


def seed(contacts: int):
    """The office, its customers and contacts, a survey and the scheduled campaign."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from brm.accounts.models import User
    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Membership, Role
    from brm.tenancy.services import tenant_create
    from customers.models import Contact, Customer
    from satisfaction import campaigns
    from satisfaction.models import Campaign, Invitation, Question, Survey, SurveyOptOut

    tenant = tenant_create(
        slug="bench-survey",
        name="Survey bench",
        time_zone="Europe/Amsterdam",
        mfa_policy="optional",
    )
    user = User.objects.create(email="rm@bench-survey.example", full_name="Rita Manager")
    per_customer = contacts // CUSTOMERS
    with tenant_context(tenant):
        rm = Membership.objects.create(tenant=tenant, user=user, role=Role.RELATIONSHIP_MANAGER)
        Customer.objects.bulk_create(
            Customer(tenant=tenant, name=f"Customer {c:03d}", relationship_manager=rm)
            for c in range(CUSTOMERS)
        )
        customer_ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
        rows = []
        for c, customer_id in enumerate(customer_ids):
            for p in range(per_customer):
                n = c * per_customer + p
                rows.append(
                    Contact(
                        tenant=tenant,
                        customer_id=customer_id,
                        name=f"Person {n:05d}",
                        email="" if n % 100 == 7 else f"person{n}@business{c}.example",
                    )
                )
        Contact.objects.bulk_create(rows, batch_size=BATCH)
        SurveyOptOut.objects.bulk_create(
            SurveyOptOut(tenant=tenant, email=f"person{n}@business{n // per_customer}.example")
            for n in range(13, contacts, 100)
        )
        survey = Survey.objects.create(name="Quarterly pulse")
        for position, kind in enumerate(("nps", "csat", "service_rating", "text")):
            Question.objects.create(
                survey=survey, position=position, kind=kind, text=f"Question {position}"
            )
        earlier_at = timezone.now() - timedelta(days=20)
        earlier = Campaign.objects.create(
            survey=survey,
            name="Earlier",
            status=Campaign.Status.CLOSED,
            opens_at=earlier_at,
            closes_at=earlier_at + timedelta(days=7),
        )
        invited = Contact.objects.exclude(email="").order_by("pk")[::50]
        Invitation.objects.bulk_create(
            Invitation(
                tenant=tenant,
                campaign=earlier,
                contact=contact,
                customer_id=contact.customer_id,
                name=contact.name,
                email=contact.email,
                status=Invitation.Status.SENT,
                sent_at=earlier_at,
            )
            for contact in invited
        )
        campaign = campaigns.campaign_create(
            actor=rm,
            survey=survey,
            name="Winter pulse",
            opens_at=timezone.now() + timedelta(seconds=2),
            closes_at=timezone.now() + timedelta(days=21),
        )
        campaigns.campaign_schedule(campaign=campaign, actor=rm)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tenant, campaign


def open_campaign(tenant, campaign) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from brm.outbox.models import DueJob
    from brm.outbox.services import due_job_dispatch, due_job_run
    from brm.tenancy.context import tenant_context
    from satisfaction import campaigns
    from satisfaction.models import Invitation

    time.sleep(2.5)  # until the opening is due
    with tenant_context(tenant):
        job = DueJob.objects.get(handler=campaigns.OPEN_JOB, object_id=str(campaign.pk))
    due_job_dispatch(now=timezone.now())
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        result = due_job_run(tenant_id=tenant.pk, job_id=job.pk)
    seconds = time.perf_counter() - started
    with tenant_context(tenant):
        invitations = Invitation.objects.filter(campaign=campaign)
        queued = invitations.filter(status=Invitation.Status.QUEUED).count()
        held = dict(
            invitations.filter(status=Invitation.Status.HELD_BACK)
            .values_list("held_back_rule")
            .annotate(n=Count("pk"))
            .order_by()
        )
    statements = [
        q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    return {
        "job": result,
        "seconds": round(seconds, 2),
        "invitations": queued + sum(held.values()),
        "invited": queued,
        "held_back": held,
        "queued_per_second": round(queued / seconds),
        "statements": len(statements),
    }


def floor(tenant, campaign) -> dict:
    """The same rows by plain bulk inserts, in a transaction that is rolled back."""
    from django.db import transaction

    from brm.outbox.models import OutboxMessage, message_id_for
    from brm.tenancy.context import tenant_context
    from satisfaction import tokens
    from satisfaction.models import Campaign, Invitation, InvitationToken

    class Rollback(Exception):
        pass

    with tenant_context(tenant):
        source = list(
            Invitation.objects.filter(campaign=campaign).values(
                "contact_id",
                "customer_id",
                "name",
                "email",
                "status",
                "held_back_rule",
                "held_back_detail",
            )
        )
        texts = {
            int(key.rsplit(":", 1)[1]): (subject, text, html)
            for key, subject, text, html in OutboxMessage.objects.filter(
                key__startswith="satisfaction.invite:"
            ).values_list("key", "subject", "text", "html")
        }
        sample = next(iter(texts.values()))
    started = time.perf_counter()
    try:
        with tenant_context(tenant), transaction.atomic():
            copy = Campaign.objects.create(
                survey_id=campaign.survey_id,
                name="Floor",
                opens_at=campaign.opens_at,
                closes_at=campaign.closes_at,
            )
            rows = [Invitation(tenant_id=tenant.pk, campaign=copy, **row) for row in source]
            Invitation.objects.bulk_create(rows, batch_size=2000)
            invited = [r for r in rows if r.status == Invitation.Status.QUEUED]
            raw = {}
            token_rows = []
            for row in invited:
                token, digest = tokens.new_token()
                raw[row.pk] = token
                token_rows.append(
                    InvitationToken(tenant_id=tenant.pk, invitation=row, token_hash=digest)
                )
            InvitationToken.objects.bulk_create(token_rows, batch_size=2000)
            subject, text, html = sample
            OutboxMessage.objects.bulk_create(
                (
                    OutboxMessage(
                        tenant_id=tenant.pk,
                        key=f"floor:{row.pk}",
                        message_id=message_id_for(tenant.pk, f"floor:{row.pk}"),
                        to=[row.email],
                        subject=subject,
                        text=text,
                        html=html,
                        next_attempt_at=copy.opens_at,
                    )
                    for row in invited
                ),
                batch_size=1000,
            )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return {
        "seconds": round(seconds, 2),
        "invited": len(invited),
        "queued_per_second": round(len(invited) / seconds),
    }


def deliver(tenant, expected: int, args, smtp, workdir) -> dict:
    from django.db.models import Count

    from brm.tenancy.context import tenant_context
    from satisfaction.models import Invitation

    with mailrun.celery_workers(args.workers, args.concurrency, workdir):
        delivery = mailrun.deliver_all(smtp, expected)
    with tenant_context(tenant):
        invitations = dict(
            Invitation.objects.filter(campaign__name="Winter pulse")
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return {
        "workers": f"{args.workers} x concurrency {args.concurrency} (prefork)",
        **delivery,
        **mailrun.outbox_figures(tenant),
        "invitations": invitations,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2, help="celery worker processes")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    parser.add_argument("--no-delivery", action="store_true", help="seed, open and floor only")
    args = parser.parse_args()

    mailrun.fresh_database(OWNER_URL, "bench.satisfaction.settings")
    with mailrun.mail_servers("bench-satisfaction-") as (smtp, workdir):
        import django

        django.setup()
        started = time.perf_counter()
        tenant, campaign = seed(args.contacts)
        seeded = round(time.perf_counter() - started, 1)
        print(f"seeded {args.contacts} contacts in {seeded}s", flush=True)
        opened = open_campaign(tenant, campaign)
        print(f"open: {json.dumps(opened)}", flush=True)
        floored = floor(tenant, campaign)
        print(f"floor: {json.dumps(floored)}", flush=True)
        result = {
            "contacts": args.contacts,
            "seed_seconds": seeded,
            "open": opened,
            "floor": floored,
            "open_of_floor": round(opened["queued_per_second"] / floored["queued_per_second"], 2),
        }
        if not args.no_delivery:
            result["delivery"] = deliver(tenant, opened["invited"], args, smtp, workdir)
    print(json.dumps(result, indent=2))
    mailrun.write_result("satisfaction_campaign", result)
    problems = []
    delivery = result.get("delivery")
    if delivery:
        if delivery["delivered"] != opened["invited"]:
            problems.append(f"{opened['invited'] - delivery['delivered']} emails missing")
        if delivery["smtp_duplicates"] or delivery["outbox_keys_twice"]:
            problems.append("duplicates")
        if delivery["invitations"].get("sent", 0) != opened["invited"]:
            problems.append("invitations not all marked sent")
    if problems:
        raise SystemExit("; ".join(problems))


if __name__ == "__main__":
    main()
