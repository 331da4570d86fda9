"""Seed the satisfaction results benchmark database.

    .venv/bin/python -m bench.satisfaction.seed [--fresh] [--responses 50000]

The offices of bench.customers.seed (`bench-big` with 5,000 customers and 50,000 contacts, 19
small ones with 100 customers and 1,000 contacts) in their own database
`brm_bench_satisfaction`; then in each office one closed campaign of a survey with an NPS, a
CSAT, a rating per service (two services), an effort and a free-text question, an invitation
delivered to every contact and to people whose contact has gone since (sixty thousand in all
in `bench-big`; a few failed, a few held back), and responses: 50,000 in
`bench-big` (`--responses`), 500 in each small office, each with its five to six answers and
one in five with a comment. Bulk inserts as the runtime role under row-level security.
"""

import argparse
import random
import time
from datetime import timedelta

from bench.satisfaction import use_bench_database

use_bench_database()

from bench.customers import seed as customers_seed  # noqa: E402

BIG_SLUG, SMALL_SLUG = "bench-big", "bench-01"
BATCH = 5000
CAMPAIGN_NAME = "Bench satisfaction survey"


def seed_office(slug: str, responses: int, rng: random.Random) -> int:
    from django.utils import timezone

    from brm.tenancy.context import tenant_context
    from brm.tenancy.models import Tenant
    from customers.models import Contact, Service
    from satisfaction.models import Answer, Campaign, Invitation, Question, Response, Survey

    tenant = Tenant.objects.get(slug=slug)
    now = timezone.now()
    with tenant_context(tenant):
        if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
            return 0
        survey = Survey.objects.create(name="Bench survey", frozen_at=now)
        kinds = ["nps", "csat", "service_rating", "effort", "text"]
        questions = {
            kind: Question.objects.create(survey=survey, position=i, kind=kind, text=kind)
            for i, kind in enumerate(kinds)
        }
        services = [Service.objects.get_or_create(name=f"Bench service {n}")[0] for n in (1, 2)]
        closes = now - timedelta(days=2)
        campaign = Campaign.objects.create(
            survey=survey,
            name=CAMPAIGN_NAME,
            status=Campaign.Status.CLOSED,
            opens_at=closes - timedelta(days=21),
            closes_at=closes,
            opened_at=closes - timedelta(days=21),
            closed_at=closes,
        )
        contacts = list(Contact.objects.order_by("pk").values_list("pk", "customer_id", "name"))
        # People invited whose contact record has gone since (the invitation keeps its name):
        # enough of them that the responses asked for can all come from delivered invitations.
        extra = max(0, round(responses * 1.2) - len(contacts))
        contacts += [
            (None, contacts[n % len(contacts)][1], f"Former contact {n}") for n in range(extra)
        ]
        invitations = []
        for n, (pk, customer_id, name) in enumerate(contacts):
            status, rule = Invitation.Status.SENT, ""
            if n % 97 == 5:
                status = Invitation.Status.FAILED
            elif n % 89 == 7:
                status, rule = Invitation.Status.HELD_BACK, Invitation.Rule.GAP
            invitations.append(
                Invitation(
                    tenant_id=tenant.pk,
                    campaign=campaign,
                    contact_id=pk,
                    customer_id=customer_id,
                    name=name,
                    email=f"c{pk or n}@bench.example",
                    status=status,
                    held_back_rule=rule,
                    sent_at=campaign.opens_at if status == Invitation.Status.SENT else None,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=BATCH)
        delivered = [i for i in invitations if i.status == Invitation.Status.SENT]
        chosen = rng.sample(delivered, min(responses, len(delivered)))
        made = 0
        for start in range(0, len(chosen), BATCH):
            batch = chosen[start : start + BATCH]
            rows = Response.objects.bulk_create(
                [
                    Response(
                        tenant_id=tenant.pk,
                        campaign=campaign,
                        invitation=i,
                        customer_id=i.customer_id,
                        submitted_at=closes - timedelta(hours=rng.randint(1, 480)),
                        channel=Response.Channel.PORTAL if rng.random() < 0.2 else "link",
                    )
                    for i in batch
                ]
            )
            answers = []
            for response in rows:

                def answer(kind, response=response, answers=answers, **values):
                    answers.append(
                        Answer(
                            tenant_id=tenant.pk,
                            response=response,
                            question=questions[kind],
                            **values,
                        )
                    )

                answer("nps", value=min(10, max(0, round(rng.gauss(7.5, 2)))))
                answer("csat", value=min(5, max(1, round(rng.gauss(3.9, 1)))))
                answer("effort", value=rng.randint(1, 7))
                for service in services:
                    if rng.random() < 0.7:
                        answer(
                            "service_rating",
                            service=service,
                            value=min(5, max(1, round(rng.gauss(3.8, 1)))),
                        )
                if rng.random() < 0.2:
                    answer("text", text=f"Comment {rng.randint(1, 10**6)} on the service")
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            made += len(rows)
    return made


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database")
    parser.add_argument("--responses", type=int, default=50_000)
    args = parser.parse_args(argv)
    started = time.monotonic()
    customers_seed.main(["--fresh"] if args.fresh else [])
    import django

    django.setup()
    rng = random.Random(14)
    big = seed_office(BIG_SLUG, args.responses, rng)
    small = seed_office(SMALL_SLUG, 500, rng)
    customers_seed.vacuum_analyze()
    print(
        f"seeded {big} responses in {BIG_SLUG}, {small} in {SMALL_SLUG} "
        f"in {time.monotonic() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
