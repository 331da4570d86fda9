"""Checks that each meetings floor answers with its page's rows (bench/meetings/floor.py).

The load script runs them on the bench offices before it times anything and the tests run them
on a small office. Each raises bench.contract.FloorMismatch saying what differs.

The rows are compared with what the pages read: the list's selector as the page opens
(meetings.selectors.meeting_list with its defaults: the upcoming tab, by start), and for the
meeting page meeting_get, meeting_attendees and the parts and history the view asks for.
"""

import re

from django.utils import timezone

from bench.contract import FloorMismatch
from brm.audit.history import HISTORY_SHOWN, history_for
from meetings import selectors
from meetings.models import MeetingAction

from .floor import LIST_PAGE_SIZE, PARTS, meeting_list_rows, meeting_page_rows


def _first_difference(ours: list, theirs: list) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"item {i}: page {a!r}, floor {b!r}"
    return f"page has {len(ours)} items, floor {len(theirs)}"


def check_list_rows(tenant_id: int) -> None:
    """Run inside the office's tenant_context: the floor's rows are the first page of the list
    as it opens (the same meetings in the same order, with the same times, title, kind,
    customer, status and organiser), and its count is the list's."""
    now = timezone.now()
    count, rows = meeting_list_rows(tenant_id, now)
    meetings = selectors.meeting_list(now=now)
    expected = [
        (
            m.pk,
            m.title,
            m.starts_at,
            m.ends_at,
            m.kind,
            m.customer.name,
            m.status,
            str(m.organiser.user),
        )
        for m in meetings[:LIST_PAGE_SIZE]
    ]
    got = [(r[0], r[1], r[2], r[3], r[5], r[7], r[4], r[8]) for r in rows]
    if expected != got:
        raise FloorMismatch(f"meeting list: rows differ ({_first_difference(expected, got)})")
    if count != meetings.count():
        raise FloorMismatch(f"meeting list: {meetings.count()} meetings, floor {count}")


def _linked(slug: str, html: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'href="/t/{re.escape(slug)}/meetings/(\d+)/"', html)]


def check_list_page(slug: str, page_html: str, floor_html: str) -> None:
    """The meetings the page links to, in order, are the floor's, and it shows their count."""
    page_ids, floor_ids = _linked(slug, page_html), _linked(slug, floor_html)
    if not floor_ids:
        raise FloorMismatch("meeting list page: the floor shows no meetings")
    # A page may link a meeting more than once (title and date): keep the first of each.
    page_ids = list(dict.fromkeys(page_ids))
    if page_ids != floor_ids:
        diff = _first_difference(page_ids, floor_ids)
        raise FloorMismatch(f"meeting list page: the floor shows other meetings ({diff})")
    count = re.search(r"<caption>(\d+) meetings</caption>", floor_html)[1]
    if not re.search(rf"\b{count} meetings?\b", page_html):
        raise FloorMismatch(f"meeting list page: it does not say {count} meetings")


def check_meeting_page(tenant_id: int, pk: int) -> None:
    """Run inside the office's tenant_context: the meeting and each of its parts are the
    page's, in their order, and so is its history."""
    floor = meeting_page_rows(tenant_id, pk)
    if floor is None:
        raise FloorMismatch(f"meeting page: the floor finds no meeting {pk}")
    meeting = selectors.meeting_get(pk=pk)
    head = floor["meeting"]
    expected_head = (
        meeting.pk,
        meeting.title,
        meeting.starts_at,
        meeting.status,
        meeting.customer.name,
        str(meeting.organiser.user),
        meeting.sequence,
        meeting.cadence.name if meeting.cadence_id else None,
    )
    if (head[0], head[1], head[2], head[4], head[7], head[8], head[11], head[14]) != expected_head:
        raise FloorMismatch(f"meeting page: the floor's head {head} differs from {expected_head}")
    minutes = selectors.minutes_of(meeting)
    items = list(meeting.agenda_items.all())
    decisions = list(meeting.decisions.all())
    expected = {
        "attendees": [a.pk for a in selectors.meeting_attendees(meeting)],
        "agenda": [i.pk for i in items],
        "minutes": [minutes.pk] if minutes else [],
        "decisions": [d.pk for d in decisions],
        "actions": [
            link.action_item_id
            for link in MeetingAction.objects.filter(meeting=meeting).order_by("pk")
        ],
        "history": [
            e.pk
            for e in history_for([meeting, *items, *([minutes] if minutes else []), *decisions])[
                :HISTORY_SHOWN
            ]
        ],
    }
    for part in PARTS:
        ids = [row[0] for row in floor[part]]
        if ids != expected[part]:
            diff = _first_difference(expected[part], ids)
            raise FloorMismatch(f"meeting page: the floor's {part} differ ({diff})")
