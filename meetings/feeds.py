"""Personal calendar feeds: an .ics subscription URL per staff or portal member.

The URL carries a secret token; only its SHA-256 is stored (CalendarFeed.token_hash), and the
URL is shown once, when it is made. A member has at most one active feed: making a new one
revokes the old. The feed lists the member's meetings from 30 days ago on:

  * staff: the meetings they organise or are invited to, and the meetings of the customers
    they are the relationship manager of;
  * portal: the meetings they are invited to (as the contact their login belongs to).

A cancelled meeting stays in, with STATUS:CANCELLED, for 30 days after it was called off, so a
subscribed calendar drops it rather than keeping a stale copy.

The URL (`/calendar/<token>.ics`) is outside /t/<office>/ so it survives a renamed office; the
token chooses the office, as an API key does, through one explicit cross-tenant read
(`calendar_feed_find`).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import audit_record
from brm.calendar import ics
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Tenant, hash_token

from .agenda import visible_agenda
from .invitations import meeting_event, meeting_url
from .models import Attendee, CalendarFeed, Meeting

PAST_DAYS = 30
CANCELLED_KEPT_DAYS = 30
# Writing last_used_at on every poll would turn each calendar's hourly GET into a write.
LAST_USED_RESOLUTION = timedelta(hours=1)
TOKEN_SETTING = "app.calendar_feed_token"


def calendar_feed_url(raw: str) -> str:
    """The subscription address of a raw token (shown once, never stored)."""
    return settings.BRM_BASE_URL + reverse("calendar_feed_ics", kwargs={"token": raw})


def calendar_feed_active(membership: Membership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).first()


@transaction.atomic
def calendar_feed_create(*, membership: Membership, actor) -> tuple[CalendarFeed, str]:
    """A new feed for `membership`, revoking the one it had. Returns the feed and the raw token
    (the only time it exists outside the subscriber's calendar)."""
    # One active feed a member: the lock makes two clicks at once revoke one another in turn.
    Membership.objects.select_for_update().get(pk=membership.pk)
    calendar_feed_revoke(membership=membership, actor=actor)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(membership=membership, token_hash=hash_token(raw))
    audit_record(actor=actor, action="calendar_feed.created", obj=feed)
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, membership: Membership, actor) -> CalendarFeed | None:
    """End the member's active subscription, if any; the old URL answers 404 from now on."""
    feed = (
        CalendarFeed.objects.select_for_update()
        .filter(membership=membership, revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="calendar_feed.revoked",
        obj=feed,
        changes={"revoked_at": [None, feed.revoked_at.isoformat()]},
    )
    return feed


def _candidates(digest: str) -> list[dict]:
    """The feeds with this token hash, in whatever office: the one read here that crosses
    tenants. On PostgreSQL the row-level security policy shows a row of another office only
    while `app.calendar_feed_token` names its hash (CalendarFeed.rls_extra_read_condition), and
    the setting is cleared again right after, inside the caller's transaction."""
    rows = CalendarFeed.all_tenants.filter(token_hash=digest).values(
        "pk", "tenant_id", "token_hash", "revoked_at"
    )
    if connection.vendor != "postgresql":
        return list(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [TOKEN_SETTING, digest])
        try:
            return list(rows)
        finally:
            cursor.execute("SELECT set_config(%s, '', true)", [TOKEN_SETTING])


def calendar_feed_find(raw: str) -> tuple[int, int] | None:
    """(tenant id, feed id) of the active feed of this raw token, or None (unknown, revoked,
    or its office closed). Runs before any tenant is known."""
    if not raw or len(raw) > 100:
        return None
    digest = hash_token(raw)
    row = next(
        (r for r in _candidates(digest) if hmac.compare_digest(r["token_hash"], digest)), None
    )
    if row is None or row["revoked_at"] is not None:
        return None
    if not Tenant.objects.filter(pk=row["tenant_id"], is_active=True).exists():
        return None
    return row["tenant_id"], row["pk"]


def feed_meetings(membership: Membership, *, now: datetime | None = None):
    """The meetings a member's feed lists (see the module's docstring), oldest first."""
    now = now or timezone.now()
    invited = Attendee.objects.filter(meeting=OuterRef("pk"), removed_at__isnull=True)
    if membership.is_portal:
        contact = getattr(membership, "contact", None)
        if contact is None:
            return Meeting.objects.none()
        mine = Q(Exists(invited.filter(contact=contact)))
    else:
        mine = (
            Q(organiser=membership)
            | Q(Exists(invited.filter(member=membership)))
            | Q(customer__relationship_manager=membership)
        )
    stale_cancellation = Q(status=Meeting.Status.CANCELLED) & Q(
        updated_at__lt=now - timedelta(days=CANCELLED_KEPT_DAYS)
    )
    return (
        Meeting.objects.filter(mine, ends_at__gte=now - timedelta(days=PAST_DAYS))
        .exclude(stale_cancellation)
        .select_related("tenant", "customer", "organiser__user")
        .prefetch_related("agenda_items")
        .order_by("starts_at", "pk")
    )


def feed_events(membership: Membership, *, now: datetime | None = None) -> list:
    portal = membership.is_portal
    # A purchaser's feed leaves out the agenda items about the whole customer, as the portal does.
    contact = getattr(membership, "contact", None) if portal else None
    return [
        meeting_event(
            meeting,
            link=meeting_url(meeting, portal=portal),
            agenda=visible_agenda(list(meeting.agenda_items.all()), contact=contact),
        )
        for meeting in feed_meetings(membership, now=now)
    ]


def calendar_feed_read(
    tenant_id: int, feed_id: int, *, now: datetime | None = None
) -> bytes | None:
    """The feed's file, read in its office; None when the member is no longer active there."""
    now = now or timezone.now()
    with tenant_context(tenant_id):
        feed = (
            CalendarFeed.objects.select_related("membership__user", "membership__contact", "tenant")
            .filter(pk=feed_id, revoked_at__isnull=True)
            .first()
        )
        if feed is None or not feed.membership.is_active:
            return None
        if feed.last_used_at is None or feed.last_used_at < now - LAST_USED_RESOLUTION:
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        user = feed.membership.user
        name = _("%(office)s meetings of %(name)s") % {
            "office": feed.tenant.name,
            "name": user.get_full_name() or user.email,
        }
        return ics.feed_bytes(feed_events(feed.membership, now=now), name=name, stamp=now)
