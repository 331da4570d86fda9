"""Helpers of the campaign and audience tests: a campaign made through the services, one
opened (scheduled, then its opening job run), an invitation that went out in the past, and the
raw tokens of the queued emails."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from brm.outbox.models import OutboxMessage
from satisfaction import campaigns
from satisfaction.models import Campaign, Invitation
from tests.factories import CampaignFactory

TOKEN_IN_LINK = re.compile(r"/s/([A-Za-z0-9_-]{43,})/")


def draft(world, **fields) -> Campaign:
    data = {
        "name": "Autumn pulse",
        "opens_at": timezone.now() + timedelta(hours=1),
        "closes_at": timezone.now() + timedelta(days=21),
    }
    data.update(fields)
    customers = data.pop("customers", None)
    return campaigns.campaign_create(
        actor=world.rm, survey=data.pop("survey", world.survey), customers=customers, **data
    )


def opened(world, **fields) -> Campaign:
    """A campaign scheduled and opened now (the opening job's work, without the dispatcher)."""
    fields.setdefault("opens_at", timezone.now() - timedelta(minutes=1))
    campaign = campaigns.campaign_schedule(campaign=draft(world, **fields), actor=world.rm)
    campaigns.campaign_open(campaign)
    campaign.refresh_from_db()
    return campaign


def invited_before(world, contact, *, days_ago: int, status=Invitation.Status.SENT) -> Invitation:
    """An invitation of `contact` to an earlier campaign that went out `days_ago` days ago."""
    when = timezone.now() - timedelta(days=days_ago)
    earlier = CampaignFactory(
        survey=world.survey,
        status=Campaign.Status.CLOSED,
        opens_at=when,
        closes_at=when + timedelta(days=14),
    )
    invitation = Invitation.objects.create(
        campaign=earlier,
        contact=contact,
        customer=contact.customer,
        name=contact.name,
        email=contact.email,
        status=status,
        sent_at=when if status == Invitation.Status.SENT else None,
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=when)
    return invitation


def tokens_in(message: OutboxMessage) -> list[str]:
    """The tokens of the email's links (its answer link and its opt-out link share one)."""
    return list(dict.fromkeys(TOKEN_IN_LINK.findall(message.text)))


def deliver_all(tenant) -> list[str]:
    """What the dispatcher and the workers do with the queued emails: each sent (locmem)."""
    from brm.outbox.services import outbox_deliver, outbox_dispatch
    from brm.tenancy.context import tenant_context

    outbox_dispatch()
    with tenant_context(tenant):
        ids = list(
            OutboxMessage.objects.filter(status=OutboxMessage.DISPATCHED).values_list(
                "pk", flat=True
            )
        )
    return [outbox_deliver(tenant_id=tenant.pk, message_id=pk) for pk in ids]
