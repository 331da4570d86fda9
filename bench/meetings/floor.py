"""The meetings pages' floors: the least any implementation of their contract must do.

Under /t/<office>/, so the whole middleware stack runs as for the pages (session, user, the
membership and staff checks of TenantMiddleware, the office's transaction); the page's rows in
raw SQL through a minimal template of the same engine (its context processors included),
without layout, filter form or pager. bench.meetings.contract checks them against the pages'
selectors (or, until the pages' selectors exist, against the ORM queries they must equal).

- list: the office's meetings in the meetings' order (start, then id), the count and the first
  25, each with its customer, organiser, status and the number of people invited;
- meeting page: the meeting with its customer and organiser, every attendee as invited (the
  removed ones too, marked), the agenda in order with its minutes, the minutes, the decisions
  taken in it (newest first) with who is accountable, and the action items agreed in it.
"""

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils.functional import SimpleLazyObject

from brm.db.plans import office_wide
from brm.tenancy.context import current_tenant_id

LIST_PAGE_SIZE = 25  # brm.web.pages.PAGE_SIZE

_engine = SimpleLazyObject(lambda: engines["django"])


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


NAME = "COALESCE(NULLIF(u.full_name, ''), u.email)"
MEETING_COLUMNS = (
    "SELECT x.id, x.title, x.starts_at, x.ends_at, x.status, x.kind, x.customer_id, c.name,"
    f" {NAME}, x.location, x.online_url, x.sequence, x.cancel_reason, x.cadence_id"
)
MEETING_FROM = (
    " FROM meetings_meeting x JOIN customers_customer c ON c.id = x.customer_id"
    " JOIN tenancy_membership m ON m.id = x.organiser_id JOIN accounts_user u ON u.id = m.user_id"
)
INVITED = (
    ", (SELECT COUNT(*) FROM meetings_attendee a WHERE a.tenant_id = x.tenant_id"
    " AND a.meeting_id = x.id AND a.removed_at IS NULL)"
)


def meeting_list_rows(tenant_id: int) -> tuple[int, list[tuple]]:
    """The staff meeting list's first page: the count, and the first LIST_PAGE_SIZE meetings
    by start and id with the list's columns, the number invited last."""
    with office_wide():
        count = _rows("SELECT COUNT(*) FROM meetings_meeting WHERE tenant_id = %s", [tenant_id])
        rows = _rows(
            f"{MEETING_COLUMNS}{INVITED}{MEETING_FROM} WHERE x.tenant_id = %s"
            f" ORDER BY x.starts_at, x.id LIMIT {LIST_PAGE_SIZE}",
            [tenant_id],
        )
    return count[0][0], rows


LIST_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Meetings</title>
<table><caption>{{ count }} meetings</caption>
{% for m in rows %}<tr><th><a href="/t/{{ request.tenant.slug }}/meetings/{{ m.0 }}/">
{{ m.1 }}</a></th><td>{{ m.2|date:"Y-m-d H:i" }}</td><td>{{ m.7 }}</td><td>{{ m.8 }}</td>
<td>{{ m.4 }}</td><td>{{ m.14 }}</td></tr>
{% endfor %}</table></html>"""

_list_template = SimpleLazyObject(lambda: _engine.from_string(LIST_TEMPLATE))


def meeting_list_page_floor(request):
    """/t/<slug>/meetings/: the same rows through a minimal template."""
    count, rows = meeting_list_rows(current_tenant_id())
    return HttpResponse(_list_template.render({"count": count, "rows": rows}, request))


def meeting_page_rows(tenant_id: int, pk: int) -> dict | None:
    """The rows of the staff meeting page; None when there is no such meeting."""
    head = _rows(
        f"{MEETING_COLUMNS}{MEETING_FROM} WHERE x.tenant_id = %s AND x.id = %s", [tenant_id, pk]
    )
    if not head:
        return None
    params = [tenant_id, pk]
    return {
        "meeting": head[0],
        "attendees": _rows(
            "SELECT id, name, email, attendance, removed_at, sent_sequence, contact_id, member_id"
            " FROM meetings_attendee WHERE tenant_id = %s AND meeting_id = %s ORDER BY id",
            params,
        ),
        "agenda": _rows(
            "SELECT id, position, title, notes, presenter, source, withdrawn, minutes"
            " FROM meetings_agendaitem WHERE tenant_id = %s AND meeting_id = %s"
            " ORDER BY position, id",
            params,
        ),
        "minutes": _rows(
            "SELECT id, status, summary, published_at FROM meetings_minutes"
            " WHERE tenant_id = %s AND meeting_id = %s",
            params,
        ),
        "decisions": _rows(
            "SELECT d.id, d.title, d.kind, d.status, COALESCE(k.name, NULLIF(u.full_name, ''),"
            " u.email), d.decided_by_name, d.decided_at FROM meetings_decision d"
            " LEFT JOIN customers_contact k ON k.id = d.accountable_contact_id"
            " LEFT JOIN tenancy_membership m ON m.id = d.accountable_member_id"
            " LEFT JOIN accounts_user u ON u.id = m.user_id"
            " WHERE d.tenant_id = %s AND d.meeting_id = %s ORDER BY d.created_at DESC, d.id DESC",
            params,
        ),
        "actions": _rows(
            "SELECT i.id, i.title, i.status, i.due_date, COALESCE(k.name, NULLIF(u.full_name, ''),"
            " u.email) FROM meetings_meetingaction l"
            " JOIN customers_actionitem i ON i.id = l.action_item_id"
            " LEFT JOIN customers_contact k ON k.id = i.owner_contact_id"
            " LEFT JOIN tenancy_membership m ON m.id = i.owner_member_id"
            " LEFT JOIN accounts_user u ON u.id = m.user_id"
            " WHERE l.tenant_id = %s AND l.meeting_id = %s ORDER BY i.id",
            params,
        ),
    }


DETAIL_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>{{ rows.meeting.1 }}</title><h1>{{ rows.meeting.1 }}</h1><p>{{ rows.meeting|join:" " }}</p>
{% for title, part in parts %}<h2>{{ title }}</h2>
<ul>{% for row in part %}<li>{{ row|join:" " }}</li>{% endfor %}</ul>{% endfor %}
</html>"""
PARTS = ("attendees", "agenda", "minutes", "decisions", "actions")

_detail_template = SimpleLazyObject(lambda: _engine.from_string(DETAIL_TEMPLATE))


def meeting_page_floor(request, pk):
    """/t/<slug>/meetings/<pk>/: the same rows through a minimal template."""
    rows = meeting_page_rows(current_tenant_id(), pk)
    if rows is None:
        raise Http404("No such meeting.")
    context = {"rows": rows, "parts": [(name, rows[name]) for name in PARTS]}
    return HttpResponse(_detail_template.render(context, request))
