"""Checks that each complaints floor answers with its page's rows (bench/complaints/floor.py).

The load script runs them on the bench offices before it times anything and the tests run them
on a small office. Each raises bench.contract.FloorMismatch saying what differs.

The rows are compared with the area's selectors, which the pages start from:
`selectors.complaint_list(member)` (the complaints `complaints_visible_to` gives the member, in
the model's order: newest received first, then id) and `selectors.complaint_get(member, pk)`
with `complaint_timeline`, `complaint_route` and the complaint's spans, escalations and
attachments. If the list page sorts otherwise by default, the floor must follow it: this check
then says so.
"""

import re

from bench.contract import FloorMismatch
from complaints import selectors
from complaints.models import ClockSpan, ComplaintAttachment, Escalation

from .floor import LIST_PAGE_SIZE, complaint_list_rows, complaint_page_rows


def _name(member) -> str | None:
    return (member.user.full_name or member.user.email) if member is not None else None


def _first_difference(ours: list, theirs: list) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"item {i}: page {a!r}, floor {b!r}"
    return f"page has {len(ours)} items, floor {len(theirs)}"


def check_list_rows(tenant_id: int, member) -> None:
    """Run inside the office's tenant_context: the floor's first page is the list's for
    `member`, with the same customer, owner, status, severity, level and targets, the same
    count, and the spans of those complaints."""
    count, rows, spans = complaint_list_rows(tenant_id, member.pk)
    complaints = selectors.complaint_list(member)
    page = list(complaints[:LIST_PAGE_SIZE])
    expected = [
        (c.pk, c.reference, c.customer.name, _name(c.owner), c.status, c.severity, c.level)
        + (c.resolve_due_at, c.breached)
        for c in page
    ]
    got = [(r[0], r[1], r[7], r[8], r[3], r[4], r[5], r[18], r[15] or r[16]) for r in rows]
    if expected != got:
        raise FloorMismatch(f"complaint list: rows differ ({_first_difference(expected, got)})")
    if count != complaints.count():
        raise FloorMismatch(f"complaint list: {complaints.count()} complaints, floor {count}")
    expected_spans = list(
        ClockSpan.objects.filter(complaint__in=[c.pk for c in page])
        .order_by("complaint_id", "started_at", "pk")
        .values_list("complaint_id", "started_at", "ended_at")
    )
    if expected_spans != spans:
        raise FloorMismatch("complaint list: the floor's clock spans differ")


def _linked(slug: str, html: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'href="/t/{re.escape(slug)}/complaints/(\d+)/"', html)]


def check_list_page(slug: str, page_html: str, floor_html: str) -> None:
    """The complaints the page links to, in order, are the floor's, and it shows their count."""
    page_ids, floor_ids = _linked(slug, page_html), _linked(slug, floor_html)
    if not floor_ids:
        raise FloorMismatch("complaint list page: the floor shows no complaints")
    page_ids = list(dict.fromkeys(page_ids))  # a page may link one twice (reference, subject)
    if page_ids != floor_ids:
        diff = _first_difference(page_ids, floor_ids)
        raise FloorMismatch(f"complaint list page: the floor shows other complaints ({diff})")
    count = re.search(r"<caption>(\d+) complaints</caption>", floor_html)[1]
    if not re.search(rf"\b{count} complaints?\b", page_html.replace(",", "")):
        raise FloorMismatch(f"complaint list page: it does not say {count} complaints")


def check_complaint_page(tenant_id: int, member, pk: int) -> None:
    """Run inside the office's tenant_context: the complaint and each of its parts are the
    page's (for `member`), in their order."""
    floor = complaint_page_rows(tenant_id, member.pk, pk)
    if floor is None:
        raise FloorMismatch(f"complaint page: the floor finds no complaint {pk}")
    complaint = selectors.complaint_get(member, pk)
    head = floor["complaint"]
    expected_head = (
        complaint.pk,
        complaint.reference,
        complaint.status,
        complaint.customer.name,
        _name(complaint.owner),
        complaint.received_at,
    )
    got_head = (head[0], head[1], head[3], head[7], head[8], head[9])
    if got_head != expected_head:
        raise FloorMismatch(f"complaint page: the floor's head {got_head} != {expected_head}")
    timeline = selectors.complaint_timeline(complaint)
    route = selectors.complaint_route(complaint)
    expected = {
        "events": sorted(e.event.pk for e in timeline if e.event is not None),
        "messages": sorted(e.message.pk for e in timeline if e.message is not None),
        "spans": list(
            ClockSpan.objects.filter(complaint=complaint)
            .order_by("started_at", "pk")
            .values_list("pk", flat=True)
        ),
        "escalations": list(
            Escalation.objects.filter(complaint=complaint).values_list("pk", flat=True)
        ),
        "attachments": list(
            ComplaintAttachment.objects.filter(complaint=complaint).values_list("pk", flat=True)
        ),
        "route": sorted({m.pk for _level, people in route for m in people}),
    }
    for part, ids in expected.items():
        got = [row[0] for row in floor[part]]
        if part in ("events", "messages", "route"):
            got = sorted(got)  # the timeline merges both by time; the route is a set per level
        if got != ids:
            diff = _first_difference(ids, got)
            raise FloorMismatch(f"complaint page: the floor's {part} differ ({diff})")
