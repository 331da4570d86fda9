"""Checks that each meetings floor answers with its page's rows (bench/meetings/floor.py).

The load script runs them on the bench offices before it times anything and the tests run them
on a small office. Each raises bench.contract.FloorMismatch saying what differs.

The rows are compared with the pages' selectors (meetings.selectors.meeting_list and
meeting_get) when they exist; until then with the ORM queries below, which say what the pages
must show (the office's meetings by start, the meeting with its parts in their order).
"""

import re

from django.db.models import Count, Q

from bench.contract import FloorMismatch
from customers.models import ActionItem
from meetings.models import Meeting, Minutes

from .floor import LIST_PAGE_SIZE, PARTS, meeting_list_rows, meeting_page_rows


def _selector(name: str):
    try:
        from meetings import selectors
    except ImportError:
        return None
    return getattr(selectors, name, None)


def meeting_list_queryset():
    """The list's meetings: the pages' selector's, else the office's meetings by start."""
    selector = _selector("meeting_list")
    if selector is not None:
        return selector()
    return Meeting.objects.select_related("customer", "organiser__user").order_by("starts_at", "pk")


def meeting_get(pk: int) -> Meeting:
    selector = _selector("meeting_get")
    if selector is not None:
        return selector(pk=pk)
    return Meeting.objects.select_related("customer", "organiser__user").get(pk=pk)


def _first_difference(ours: list, theirs: list) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"item {i}: page {a!r}, floor {b!r}"
    return f"page has {len(ours)} items, floor {len(theirs)}"


def check_list_rows(tenant_id: int) -> None:
    """Run inside the office's tenant_context: the floor's first page is the list's, with the
    same customer, organiser, status and number invited, and the same count."""
    count, rows = meeting_list_rows(tenant_id)
    meetings = meeting_list_queryset()
    invited = Count("attendees", filter=Q(attendees__removed_at__isnull=True))
    expected = [
        (m.pk, m.customer.name, m.organiser.user.full_name or m.organiser.user.email, m.status, n)
        for m, n in (
            (m, m.n_invited) for m in meetings.annotate(n_invited=invited)[:LIST_PAGE_SIZE]
        )
    ]
    got = [(r[0], r[7], r[8], r[4], r[14]) for r in rows]
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
    page's, in their order."""
    floor = meeting_page_rows(tenant_id, pk)
    if floor is None:
        raise FloorMismatch(f"meeting page: the floor finds no meeting {pk}")
    meeting = meeting_get(pk)
    head = floor["meeting"]
    organiser = meeting.organiser.user
    expected_head = (
        meeting.pk,
        meeting.title,
        meeting.starts_at,
        meeting.status,
        meeting.customer.name,
        organiser.full_name or organiser.email,
        meeting.sequence,
    )
    if (head[0], head[1], head[2], head[4], head[7], head[8], head[11]) != expected_head:
        raise FloorMismatch(f"meeting page: the floor's head {head} differs from {expected_head}")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    expected = {
        "attendees": [a.pk for a in meeting.attendees.order_by("pk")],
        "agenda": [i.pk for i in meeting.agenda_items.all()],
        "minutes": [minutes.pk] if minutes else [],
        "decisions": [d.pk for d in meeting.decisions.all()],
        "actions": list(
            ActionItem.objects.filter(meeting_link__meeting=meeting)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }
    for part in PARTS:
        ids = [row[0] for row in floor[part]]
        if ids != expected[part]:
            diff = _first_difference(expected[part], ids)
            raise FloorMismatch(f"meeting page: the floor's {part} differ ({diff})")
