"""What the business portal reads of meetings: a portal user's meetings, their agenda, the
minutes once published, and the decisions.

A customer (who holds the budget mandate) reads every meeting and decision of their customer;
a purchaser only the meetings they were invited to (an attendee for their contact, not removed)
and the decisions taken in those. Draft minutes, and agenda items no provider proposes any more
(withdrawn), stay with the office. Anything outside the scope is a 404 for the views.
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from customers.selectors import PortalScope

from .models import AgendaItem, Attendee, Decision, Meeting, Minutes


def _invited(contact_id: int):
    return Exists(
        Attendee.objects.filter(
            meeting_id=OuterRef("pk"), contact_id=contact_id, removed_at__isnull=True
        )
    )


def portal_meeting_list(scope: PortalScope) -> QuerySet[Meeting]:
    """The meetings this portal user may read, in time order, with their published minutes'
    status and the organiser in the same query."""
    meetings = Meeting.objects.filter(customer_id=scope.contact.customer_id)
    if not scope.whole_customer:
        meetings = meetings.filter(_invited(scope.contact.pk))
    return meetings.select_related("organiser__user", "minutes").order_by("starts_at", "pk")


def published_minutes(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes once published; a draft is never shown on the portal."""
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return None
    return minutes if minutes.status == Minutes.Status.PUBLISHED else None


def portal_agenda(meeting: Meeting, scope: PortalScope) -> QuerySet[AgendaItem]:
    """The agenda as the business sees it: what is still proposed, in order; for a purchaser
    without the items about the whole customer (its action items, its pending decisions)."""
    items = meeting.agenda_items.filter(withdrawn=False)
    if not scope.whole_customer:
        items = items.filter(audience=AgendaItem.Audience.ALL)
    return items.order_by("position", "pk")


def portal_attendees(meeting: Meeting) -> QuerySet[Attendee]:
    """Who is invited (and, once held, who attended); removed invitations are left out."""
    return meeting.attendees.filter(removed_at__isnull=True).order_by("pk")


def portal_decision_list(scope: PortalScope) -> QuerySet[Decision]:
    """The customer's decision log, awaiting approval first; for a purchaser, the decisions
    taken in the meetings they were invited to."""
    decisions = Decision.objects.filter(customer_id=scope.contact.customer_id)
    if not scope.whole_customer:
        invited = Meeting.objects.filter(customer_id=scope.contact.customer_id).filter(
            _invited(scope.contact.pk)
        )
        decisions = decisions.filter(meeting__in=invited)
    awaiting_first = Case(
        When(status=Decision.Status.PROPOSED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return decisions.select_related(
        "meeting", "accountable_contact", "accountable_member__user"
    ).order_by(awaiting_first, "-created_at", "-pk")


def meeting_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(meeting=meeting)
        .select_related("accountable_contact", "accountable_member__user")
        .order_by("created_at", "pk")
    )
