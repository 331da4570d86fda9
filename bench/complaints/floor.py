"""The complaints pages' floors: the least any implementation of their contract must do.

Under /t/<office>/, so the whole middleware stack runs as for the pages (session, user, the
membership and staff checks of TenantMiddleware, the office's transaction); the page's rows in
raw SQL through a minimal template of the same engine (its context processors included),
without layout, filter form or pager. bench.complaints.contract checks them against the
area's selectors.

- list: the complaints the signed-in member sees (`selectors.complaints_visible_to`: the
  office's, less those about them as relationship manager), newest received first (then id),
  the count and the first 25, each with its customer, owner, status, severity, level, targets
  and breach flags, and the clock spans of those 25 (the time left to each target is worked
  out from them, in business hours);
- complaint page: the complaint with its customer, purchaser, raiser, category, service and
  owner; its timeline (events and messages, internal notes included: a staff page), its clock
  spans, its escalations, its attachments, and the people at each level of its route (the
  relationship manager, the IT managers, the steering group).
"""

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils.functional import SimpleLazyObject

from brm.db.plans import office_wide
from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Role

LIST_PAGE_SIZE = 25  # brm.web.pages.PAGE_SIZE

_engine = SimpleLazyObject(lambda: engines["django"])


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


NAME = "COALESCE(NULLIF(u.full_name, ''), u.email)"
COLUMNS = (
    "SELECT x.id, x.reference, x.subject, x.status, x.severity, x.level, x.customer_id, c.name,"
    f" {NAME}, x.received_at, x.acknowledge_hours, x.acknowledged_at, x.resolve_hours,"
    " x.resolve_started_at, x.resolved_at, x.acknowledge_breached, x.resolve_breached,"
    " x.acknowledge_due_at, x.resolve_due_at"
)
FROM = (
    " FROM complaints_complaint x JOIN customers_customer c ON c.id = x.customer_id"
    " LEFT JOIN tenancy_membership m ON m.id = x.owner_id"
    " LEFT JOIN accounts_user u ON u.id = m.user_id"
)
# What a staff member sees: not a complaint about them as relationship manager.
VISIBLE = " WHERE x.tenant_id = %s AND (x.rm_concerned_id IS NULL OR x.rm_concerned_id <> %s)"


def complaint_list_rows(tenant_id: int, member_id: int) -> tuple[int, list[tuple], list[tuple]]:
    """The staff complaint list's first page for `member_id`: the count, the first
    LIST_PAGE_SIZE complaints by receipt (newest first) and id, and their clock spans."""
    params = [tenant_id, member_id]
    with office_wide():
        # All the office's less those about the member: two index-only counts, where counting
        # through the OR of VISIBLE reads every row of the table.
        count = _rows(
            "SELECT (SELECT COUNT(*) FROM complaints_complaint WHERE tenant_id = %s)"
            " - (SELECT COUNT(*) FROM complaints_complaint"
            " WHERE tenant_id = %s AND rm_concerned_id = %s)",
            [tenant_id, *params],
        )
        rows = _rows(
            f"{COLUMNS}{FROM}{VISIBLE} ORDER BY x.received_at DESC, x.id DESC"
            f" LIMIT {LIST_PAGE_SIZE}",
            params,
        )
    spans = _rows(
        "SELECT complaint_id, started_at, ended_at FROM complaints_clockspan"
        " WHERE tenant_id = %s AND complaint_id = ANY(%s) ORDER BY complaint_id, started_at, id",
        [tenant_id, [r[0] for r in rows]],
    )
    return count[0][0], rows, spans


LIST_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Complaints</title>
<table><caption>{{ count }} complaints</caption>
{% for c in rows %}<tr><th><a href="/t/{{ request.tenant.slug }}/complaints/{{ c.0 }}/">
{{ c.1 }}</a> {{ c.2 }}</th><td>{{ c.7 }}</td><td>{{ c.8|default:"" }}</td><td>{{ c.3 }}</td>
<td>{{ c.4 }}</td><td>{{ c.5 }}</td><td>{{ c.9|date:"Y-m-d H:i" }}</td>
<td>{{ c.17|date:"Y-m-d H:i" }}</td><td>{{ c.18|date:"Y-m-d H:i" }}</td></tr>
{% endfor %}</table><p>{{ spans|length }} spans</p></html>"""

_list_template = SimpleLazyObject(lambda: _engine.from_string(LIST_TEMPLATE))


def complaint_list_page_floor(request):
    """/t/<slug>/complaints/: the same rows through a minimal template."""
    count, rows, spans = complaint_list_rows(current_tenant_id(), request.membership.pk)
    context = {"count": count, "rows": rows, "spans": spans}
    return HttpResponse(_list_template.render(context, request))


def complaint_page_rows(tenant_id: int, member_id: int, pk: int) -> dict | None:
    """The rows of the staff complaint page; None when there is no such complaint for them."""
    head = _rows(
        f"{COLUMNS}, x.description, x.desired_outcome, x.channel, x.about_rm, x.rm_concerned_id,"
        " x.raiser_name, x.raiser_email, r.name, r.email, p.name, k.name, s.name,"
        " x.root_cause_category, x.root_cause, x.resolution, x.rating,"
        " c.relationship_manager_id"
        f"{FROM} LEFT JOIN customers_contact r ON r.id = x.raiser_contact_id"
        " LEFT JOIN customers_purchaser p ON p.id = x.purchaser_id"
        " LEFT JOIN complaints_complaintcategory k ON k.id = x.category_id"
        " LEFT JOIN customers_service s ON s.id = x.service_id"
        f"{VISIBLE} AND x.id = %s",
        [tenant_id, member_id, pk],
    )
    if not head:
        return None
    params = [tenant_id, pk]
    rm_id, rm_concerned = head[0][-1], head[0][23]
    return {
        "complaint": head[0],
        "events": _rows(
            "SELECT e.id, e.kind, e.status, e.at, e.note, e.internal, e.data,"
            " COALESCE(NULLIF(u.full_name, ''), u.email) FROM complaints_complaintevent e"
            " LEFT JOIN accounts_user u ON u.id = e.actor_id"
            " WHERE e.tenant_id = %s AND e.complaint_id = %s ORDER BY e.at, e.id",
            params,
        ),
        "messages": _rows(
            "SELECT id, author_name, from_raiser, internal, body, created_at"
            " FROM complaints_complaintmessage WHERE tenant_id = %s AND complaint_id = %s"
            " ORDER BY created_at, id",
            params,
        ),
        "spans": _rows(
            "SELECT id, started_at, ended_at FROM complaints_clockspan"
            " WHERE tenant_id = %s AND complaint_id = %s ORDER BY started_at, id",
            params,
        ),
        "escalations": _rows(
            "SELECT id, from_level, to_level, reason, note, at FROM complaints_escalation"
            " WHERE tenant_id = %s AND complaint_id = %s ORDER BY at, id",
            params,
        ),
        "attachments": _rows(
            "SELECT id, original_name, content_type, size, internal, message_id"
            " FROM complaints_complaintattachment WHERE tenant_id = %s AND complaint_id = %s"
            " ORDER BY created_at, id",
            params,
        ),
        # The route: the relationship manager (level 1), the IT managers, the steering group;
        # active members only, never the RM the complaint is about.
        "route": _rows(
            f"SELECT m.id, m.role, {NAME} FROM tenancy_membership m"
            " JOIN accounts_user u ON u.id = m.user_id"
            " WHERE m.tenant_id = %s AND m.is_active AND (m.id = %s OR m.role IN (%s, %s))"
            " AND m.id IS DISTINCT FROM %s ORDER BY m.role = %s DESC, m.role, m.id",
            [
                tenant_id,
                rm_id,
                Role.IT_MANAGER,
                Role.STEERING,
                rm_concerned,
                Role.RELATIONSHIP_MANAGER,
            ],
        ),
    }


DETAIL_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>{{ rows.complaint.1 }}</title><h1>{{ rows.complaint.1 }} {{ rows.complaint.2 }}</h1>
<p>{{ rows.complaint|join:" " }}</p>
{% for title, part in parts %}<h2>{{ title }}</h2>
<ul>{% for row in part %}<li>{{ row|join:" " }}</li>{% endfor %}</ul>{% endfor %}
</html>"""
PARTS = ("events", "messages", "spans", "escalations", "attachments", "route")

_detail_template = SimpleLazyObject(lambda: _engine.from_string(DETAIL_TEMPLATE))


def complaint_page_floor(request, pk):
    """/t/<slug>/complaints/<pk>/: the same rows through a minimal template."""
    rows = complaint_page_rows(current_tenant_id(), request.membership.pk, pk)
    if rows is None:
        raise Http404("No such complaint.")
    context = {"rows": rows, "parts": [(name, rows[name]) for name in PARTS]}
    return HttpResponse(_detail_template.render(context, request))
