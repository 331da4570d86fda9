"""What the page tests share: URLs of the meetings pages, a one-off meeting (ahead or already
started), a held one, and a signed-in client."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings import services
from tests.kit import in_tenant


def url(tenant, name: str, **kwargs) -> str:
    return reverse(f"meetings:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def signed_in(client, member):
    client.force_login(member.user)
    return client


def one_off(world, *, days: float = 7, title: str = "Escalation: payroll run", **overrides):
    """A one-off meeting `days` from now (negative: already started), Bea and the RM invited."""
    start = timezone.now() + timedelta(days=days)
    data = {
        "customer": world.customer,
        "title": title,
        "kind": "escalation",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "organiser": world.rm,
    }
    data.update(overrides)
    with in_tenant(world.customer.tenant_id):
        return services.meeting_create(
            actor=world.rm.user, contacts=[world.bea], members=[world.rm], **data
        )


def held(world, **kwargs):
    meeting = one_off(world, days=-1, **kwargs)
    with in_tenant(world.customer.tenant_id):
        services.meeting_mark_held(meeting=meeting, actor=world.rm.user)
    return meeting
