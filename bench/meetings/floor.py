"""The meetings pages' floors: the least any implementation of their contract must do.

Under /t/<office>/, so the whole middleware stack runs as for the pages (session, user, the
membership and staff checks of TenantMiddleware, the office's transaction), behind the pages' own
role check (every staff role, GET only); the page's rows in raw SQL through a minimal template of
the same engine (its context processors included), without layout, tabs, filter form or pager.
bench.meetings.contract checks them against the pages' selectors.

- list, as the page opens (its "upcoming" tab, by start): the count of the office's planned
  meetings that have not ended, and the first 25 by start and id, each with its end, kind,
  customer, status and organiser;
- meeting page: the meeting with its customer, organiser and cadence, every attendee as invited
  (the removed ones last, marked), the agenda in order with its minutes, the minutes and who
  published them, the decisions taken in it (newest first) with who is accountable, the action
  items agreed in it with their owner and agenda item, and the 20 newest changes to the meeting,
  its agenda, minutes and decisions.
"""

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from brm.audit.history import HISTORY_SHOWN
from brm.db.plans import office_wide
from brm.tenancy.context import current_tenant_id
from brm.web.access import staff_required

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
# The list's default tab (meetings.selectors.meeting_list, view "upcoming").
UPCOMING = "x.tenant_id = %s AND x.status = 'planned' AND x.ends_at >= %s"


def meeting_list_rows(tenant_id: int, now=None) -> tuple[int, list[tuple]]:
    """The staff meeting list as it opens: the count of upcoming meetings (planned, not ended
    at `now`), and the first LIST_PAGE_SIZE of them by start and id with the list's columns."""
    params = [tenant_id, now or timezone.now()]
    with office_wide():
        count = _rows(f"SELECT COUNT(*) FROM meetings_meeting x WHERE {UPCOMING}", params)
        rows = _rows(
            f"{MEETING_COLUMNS}{MEETING_FROM} WHERE {UPCOMING}"
            f" ORDER BY x.starts_at, x.id LIMIT {LIST_PAGE_SIZE}",
            params,
        )
    return count[0][0], rows


LIST_TEMPLATE = """{% load tz %}<!doctype html><html lang="en"><meta charset="utf-8">
<title>Meetings</title>{% timezone request.tenant.zone %}
<table><caption>{{ count }} meetings</caption>
{% for m in rows %}<tr><td>{{ m.2|date:"D Y-m-d H:i" }}–{{ m.3|date:"H:i" }}</td>
<th><a href="/t/{{ request.tenant.slug }}/meetings/{{ m.0 }}/">{{ m.1 }}</a> ({{ m.5 }})</th>
<td><a href="/t/{{ request.tenant.slug }}/customers/{{ m.6 }}/">{{ m.7 }}</a></td>
<td>{{ m.4 }}</td><td>{{ m.8 }}</td></tr>
{% endfor %}</table>{% endtimezone %}</html>"""

_list_template = SimpleLazyObject(lambda: _engine.from_string(LIST_TEMPLATE))


@staff_required
@require_GET
def meeting_list_page_floor(request):
    """/t/<slug>/meetings/: the same rows through a minimal template."""
    count, rows = meeting_list_rows(current_tenant_id())
    return HttpResponse(_list_template.render({"count": count, "rows": rows}, request))


HEAD_COLUMNS = f"{MEETING_COLUMNS}, k.name, x.detached"
HEAD_FROM = f"{MEETING_FROM} LEFT JOIN meetings_cadence k ON k.id = x.cadence_id"


def meeting_page_rows(tenant_id: int, pk: int) -> dict | None:
    """The rows of the staff meeting page; None when there is no such meeting."""
    head = _rows(f"{HEAD_COLUMNS}{HEAD_FROM} WHERE x.tenant_id = %s AND x.id = %s", [tenant_id, pk])
    if not head:
        return None
    params = [tenant_id, pk]
    rows = {
        "meeting": head[0],
        "attendees": _rows(
            "SELECT id, name, email, attendance, removed_at, sent_sequence, contact_id, member_id"
            " FROM meetings_attendee WHERE tenant_id = %s AND meeting_id = %s"
            " ORDER BY removed_at IS NOT NULL, id",
            params,
        ),
        "agenda": _rows(
            "SELECT id, position, title, notes, presenter, source, withdrawn, minutes"
            " FROM meetings_agendaitem WHERE tenant_id = %s AND meeting_id = %s"
            " ORDER BY position, id",
            params,
        ),
        "minutes": _rows(
            f"SELECT n.id, n.status, n.summary, n.published_at, {NAME} FROM meetings_minutes n"
            " LEFT JOIN accounts_user u ON u.id = n.published_by_id"
            " WHERE n.tenant_id = %s AND n.meeting_id = %s",
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
            " u.email), g.title FROM meetings_meetingaction l"
            " JOIN customers_actionitem i ON i.id = l.action_item_id"
            " LEFT JOIN customers_contact k ON k.id = i.owner_contact_id"
            " LEFT JOIN tenancy_membership m ON m.id = i.owner_member_id"
            " LEFT JOIN accounts_user u ON u.id = m.user_id"
            " LEFT JOIN meetings_agendaitem g ON g.id = l.agenda_item_id"
            " WHERE l.tenant_id = %s AND l.meeting_id = %s ORDER BY l.id",
            params,
        ),
    }
    # The changes to the meeting and to every part the page shows of it, as the page asks for
    # them (brm.audit.history.history_for): one condition per record type, the ids as text.
    records = {
        "meetings.meeting": [pk],
        "meetings.agendaitem": [r[0] for r in rows["agenda"]],
        "meetings.minutes": [r[0] for r in rows["minutes"]],
        "meetings.decision": [r[0] for r in rows["decisions"]],
    }
    records = {kind: [str(i) for i in ids] for kind, ids in records.items() if ids}
    conditions = " OR ".join("(h.object_type = %s AND h.object_id = ANY(%s))" for _ in records)
    rows["history"] = _rows(
        f"SELECT h.id, h.at, h.action, h.object_repr, h.changes, {NAME}"
        " FROM audit_auditevent h LEFT JOIN accounts_user u ON u.id = h.actor_id"
        f" WHERE h.tenant_id = %s AND ({conditions})"
        f" ORDER BY h.at DESC, h.id DESC LIMIT {HISTORY_SHOWN}",
        [tenant_id, *(v for item in records.items() for v in item)],
    )
    return rows


DETAIL_TEMPLATE = """{% load tz %}<!doctype html><html lang="en"><meta charset="utf-8">
<title>{{ rows.meeting.1 }}</title>{% timezone request.tenant.zone %}<h1>{{ rows.meeting.1 }}</h1>
<p>{{ rows.meeting.2|date:"l j F Y, H:i" }}–{{ rows.meeting.3|date:"H:i" }}
{{ rows.meeting|join:" " }}</p>
{% for title, part in parts %}<h2>{{ title }}</h2>
<ul>{% for row in part %}<li>{{ row|join:" " }}</li>{% endfor %}</ul>{% endfor %}
{% endtimezone %}</html>"""
PARTS = ("attendees", "agenda", "minutes", "decisions", "actions", "history")

_detail_template = SimpleLazyObject(lambda: _engine.from_string(DETAIL_TEMPLATE))


@staff_required
@require_GET
def meeting_page_floor(request, pk):
    """/t/<slug>/meetings/<pk>/: the same rows through a minimal template."""
    rows = meeting_page_rows(current_tenant_id(), pk)
    if rows is None:
        raise Http404("No such meeting.")
    context = {"rows": rows, "parts": [(name, rows[name]) for name in PARTS]}
    return HttpResponse(_detail_template.render(context, request))
