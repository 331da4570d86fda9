"""The floors: for each customers endpoint, the least any implementation of its contract must do.

A floor answers the same request as its endpoint, under the same middleware, with the same rows,
and leaves out only what the application adds on top (ORM, forms, serializers, layout). An
endpoint's throughput over its floor's, in the same round, is what the application costs.

API lists (mounted under /api/, so brm.api.middleware.ApiKeyMiddleware makes the very key lookup
of /api/v1/ and runs the request in the key's office, one transaction with row-level security
set): the same exact COUNT and the same page query as the endpoint (same rows, same columns, same
order, same page size) in raw SQL, planned for the office at hand as OfficePaginator plans the
endpoint's, and the same JSON document, encoded by json.dumps. bench.contract checks that the
document is the endpoint's.

Pages (mounted under /t/<slug>/, so the whole middleware stack runs: session, user,
TenantMiddleware's membership and staff checks, the office's transaction): the same rows as the
page in raw SQL, through a minimal template of the same template engine (its context processors
included), without the staff layout, filter forms or pager. bench.contract checks the rows.
"""

import json
from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from brm.api.pagination import PageNumberPagination
from brm.db.plans import office_wide
from brm.tenancy.context import current_tenant_id
from customers.models import ActionItem
from customers.views import HISTORY_SHOWN, OPEN_ACTIONS_SHOWN

API_PAGE_SIZE = PageNumberPagination.page_size
LIST_PAGE_SIZE = 25  # the staff list pages' (bench.contract checks the page shows these rows)
OPEN = tuple(str(s) for s in ActionItem.OPEN_STATUSES)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _iso(value, zone) -> str | None:
    """A datetime as the API writes it: ISO 8601 in the office's zone, UTC as Z."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# API lists -----------------------------------------------------------------------------------


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404("Invalid page.")
    return int(raw)


def _link(request, number: int) -> str:
    """The URL of page `number`, its query sorted as DRF's pagination writes it."""
    query = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
    if number > 1:
        query.append(("page", str(number)))
    encoded = urlencode(sorted(query))
    return request.build_absolute_uri(request.path + (f"?{encoded}" if encoded else ""))


def _api_page(request, count: tuple[str, list], page: tuple[str, list], represent):
    """{"count", "next", "previous", "results"} of one page, as PageNumberPagination writes it.

    `count` and `page` are (sql, params); both run unprepared, as OfficePaginator runs them.
    """
    number = _page_number(request)
    offset = (number - 1) * API_PAGE_SIZE
    with office_wide():
        total = _rows(*count)[0][0]
        if offset and offset >= total:
            raise Http404("Invalid page.")
        rows = _rows(f"{page[0]} LIMIT {API_PAGE_SIZE} OFFSET {offset}", page[1])
    zone = timezone.get_current_timezone()
    body = {
        "count": total,
        "next": _link(request, number + 1) if offset + API_PAGE_SIZE < total else None,
        "previous": _link(request, number - 1) if number > 1 else None,
        "results": [represent(row, zone) for row in rows],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
    )


def _key_required(view):
    """401 unless ApiKeyMiddleware resolved a valid key (and entered its office)."""

    def wrapped(request):
        if getattr(request, "api_key", None) is None:
            detail = getattr(request, "api_key_error", None) or "Not authenticated."
            return JsonResponse({"detail": detail}, status=401)
        return view(request)

    return wrapped


CUSTOMER_FIELDS = (
    "id",
    "name",
    "division",
    "status",
    "relationship_manager",
    "relationship_manager_email",
    "business_manager",
    "counterpart",
    "strategy",
    "business_drivers",
    "demand_patterns",
    "notes",
    "created_at",
    "updated_at",
)


def _customer_json(row, zone) -> dict:
    item = dict(zip(CUSTOMER_FIELDS, row, strict=True))
    item["created_at"] = _iso(item["created_at"], zone)
    item["updated_at"] = _iso(item["updated_at"], zone)
    return item


@_key_required
def api_customer_list_floor(request):
    """GET /api/v1/customers/: the office's customers counted, and a page of them by name."""
    tenant_id = current_tenant_id()
    return _api_page(
        request,
        ("SELECT COUNT(*) FROM customers_customer WHERE tenant_id = %s", [tenant_id]),
        (
            "SELECT c.id, c.name, c.division, c.status, c.relationship_manager_id, u.email,"
            " c.business_manager_id, c.counterpart_id, c.strategy, c.business_drivers,"
            " c.demand_patterns, c.notes, c.created_at, c.updated_at"
            " FROM customers_customer c"
            " JOIN tenancy_membership m ON m.id = c.relationship_manager_id"
            " JOIN accounts_user u ON u.id = m.user_id"
            " WHERE c.tenant_id = %s ORDER BY c.name, c.id",
            [tenant_id],
        ),
        _customer_json,
    )


ACTION_ITEM_FIELDS = (
    "id",
    "customer",
    "title",
    "description",
    "owner_member",
    "owner_contact",
    "due_date",
    "status",
    "is_overdue",
    "source",
    "source_ref",
    "completed_at",
    "created_at",
    "updated_at",
)


def _action_item_json(row, zone) -> dict:
    item = dict(zip(ACTION_ITEM_FIELDS, row, strict=True))
    item["due_date"] = item["due_date"].isoformat() if item["due_date"] else None
    for name in ("completed_at", "created_at", "updated_at"):
        item[name] = _iso(item[name], zone)
    return item


@_key_required
def api_open_action_item_list_floor(request):
    """GET /api/v1/action-items/?status=open: open items counted, and a page of them by due date.

    `is_overdue` as the endpoint computes it: open and due before the office's today. This floor
    answers that one filter (the one measured) and refuses any other query.
    """
    if (
        sorted(k for k in request.GET if k != "page") != ["status"]
        or request.GET["status"] != "open"
    ):
        return JsonResponse({"detail": "This floor answers ?status=open only."}, status=400)
    tenant_id = current_tenant_id()
    open_statuses = list(OPEN)
    return _api_page(
        request,
        (
            "SELECT COUNT(*) FROM customers_actionitem WHERE tenant_id = %s AND status = ANY(%s)",
            [tenant_id, open_statuses],
        ),
        (
            "SELECT id, customer_id, title, description, owner_member_id, owner_contact_id,"
            " due_date, status,"
            " CASE WHEN due_date < %s AND status = ANY(%s) THEN true ELSE false END,"
            " source, source_ref, completed_at, created_at, updated_at"
            " FROM customers_actionitem WHERE tenant_id = %s AND status = ANY(%s)"
            " ORDER BY due_date, id",
            [timezone.localdate(), open_statuses, tenant_id, open_statuses],
        ),
        _action_item_json,
    )


# Pages ---------------------------------------------------------------------------------------

_engine = SimpleLazyObject(lambda: engines["django"])

# Every column of every row is written out (escaped); the links let bench.contract read the rows.
LIST_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Customers</title>
<table><caption>{{ count }} customers</caption>
{% for c in rows %}<tr><th><a href="/t/{{ request.tenant.slug }}/customers/{{ c.0 }}/">{{ c.1 }}</a>
</th><td>{{ c.2 }}</td><td>{{ c.3 }}</td><td>{{ c.4 }} {{ c.5 }} {{ c.6 }}</td></tr>
{% endfor %}</table></html>"""

_list_template = SimpleLazyObject(lambda: _engine.from_string(LIST_TEMPLATE))


def customer_list_rows(tenant_id: int) -> tuple[int, list[tuple]]:
    """The staff customer list's first page: the count, and (id, name, division, status, RM's
    name, RM's email, RM active) of the first LIST_PAGE_SIZE customers by name."""
    with office_wide():
        count = _rows("SELECT COUNT(*) FROM customers_customer WHERE tenant_id = %s", [tenant_id])
        rows = _rows(
            "SELECT c.id, c.name, c.division, c.status, u.full_name, u.email, m.is_active"
            " FROM customers_customer c"
            " JOIN tenancy_membership m ON m.id = c.relationship_manager_id"
            " JOIN accounts_user u ON u.id = m.user_id"
            f" WHERE c.tenant_id = %s ORDER BY c.name, c.id LIMIT {LIST_PAGE_SIZE}",
            [tenant_id],
        )
    return count[0][0], rows


def customer_list_page_floor(request):
    """/t/<slug>/customers/: the same rows through a minimal template."""
    count, rows = customer_list_rows(current_tenant_id())
    return HttpResponse(_list_template.render({"count": count, "rows": rows}, request))


DETAIL_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>{{ customer.1 }}</title><h1>{{ customer.1 }}</h1><p>{{ customer|join:" " }}</p>
<p>{{ open_action_count }} open actions</p>
{% for title, rows in panels %}<h2>{{ title }}</h2>
<ul>{% for row in rows %}<li>{{ row|join:" " }}</li>{% endfor %}</ul>{% endfor %}</html>"""
PANELS = (
    "services",
    "purchasers",
    "contacts",
    "expectations",
    "register",
    "rm_history",
    "open_actions",
)

_detail_template = SimpleLazyObject(lambda: _engine.from_string(DETAIL_TEMPLATE))


def customer_page_rows(tenant_id: int, pk: int) -> dict | None:
    """The rows of the staff customer page (profile, purchasers, people, expectations, register,
    RM history, the open action items shown and their count, the newest history), or None."""
    where = "WHERE x.tenant_id = %s AND x.customer_id = %s"
    params = [tenant_id, pk]
    customer = _rows(
        "SELECT c.id, c.name, c.division, c.status, c.strategy, c.business_drivers,"
        " c.demand_patterns, c.notes, u.full_name, u.email,"
        " bm.name, cp.name"
        " FROM customers_customer c"
        " JOIN tenancy_membership m ON m.id = c.relationship_manager_id"
        " JOIN accounts_user u ON u.id = m.user_id"
        " LEFT JOIN customers_contact bm ON bm.id = c.business_manager_id"
        " LEFT JOIN customers_contact cp ON cp.id = c.counterpart_id"
        " WHERE c.tenant_id = %s AND c.id = %s",
        params,
    )
    if not customer:
        return None
    rows = {"customer": customer[0]}
    rows["services"] = _rows(
        "SELECT s.id, s.name, s.status FROM customers_service s"
        " JOIN customers_customerservice x ON x.service_id = s.id"
        f" {where} ORDER BY s.name, s.id",
        params,
    )
    rows["purchasers"] = _rows(
        "SELECT x.id, x.name, mc.name, iu.full_name FROM customers_purchaser x"
        " LEFT JOIN customers_contact mc ON mc.id = x.manager_id"
        " LEFT JOIN tenancy_membership im ON im.id = x.it_contact_id"
        f" LEFT JOIN accounts_user iu ON iu.id = im.user_id {where} ORDER BY x.name",
        params,
    )
    rows["contacts"] = _rows(
        "SELECT x.id, x.name, x.title, x.email, x.phone, x.role, p.name, ms.is_active,"
        " inv.accepted_at IS NULL AND inv.revoked_at IS NULL AND inv.expires_at > now(),"
        " inv.expires_at"
        " FROM customers_contact x"
        " LEFT JOIN customers_purchaser p ON p.id = x.purchaser_id"
        " LEFT JOIN tenancy_membership ms ON ms.id = x.membership_id"
        f" LEFT JOIN tenancy_invitation inv ON inv.id = x.portal_invitation_id {where}"
        " ORDER BY x.name",
        params,
    )
    rows["expectations"] = _rows(
        "SELECT x.id, x.title, x.service, x.status, x.agreed_at, ab.name, au.full_name"
        " FROM customers_businessexpectation x"
        " LEFT JOIN customers_contact ab ON ab.id = x.agreed_by_business_id"
        " LEFT JOIN tenancy_membership am ON am.id = x.agreed_by_it_id"
        f" LEFT JOIN accounts_user au ON au.id = am.user_id {where} ORDER BY x.title",
        params,
    )
    rows["register"] = _rows(
        "SELECT x.id, x.kind, x.title, x.impact, x.likelihood, x.status, x.review_date,"
        " ou.full_name FROM customers_registeritem x"
        " LEFT JOIN tenancy_membership om ON om.id = x.owner_id"
        f" LEFT JOIN accounts_user ou ON ou.id = om.user_id {where} ORDER BY x.kind, x.title",
        params,
    )
    rows["rm_history"] = _rows(
        "SELECT x.id, x.started_at, x.ended_at, u.full_name, b.full_name"
        " FROM customers_relationshipmanagerassignment x"
        " JOIN tenancy_membership m ON m.id = x.relationship_manager_id"
        " JOIN accounts_user u ON u.id = m.user_id"
        f" LEFT JOIN accounts_user b ON b.id = x.assigned_by_id {where}"
        " ORDER BY x.started_at DESC, x.id DESC",
        params,
    )
    open_statuses = list(OPEN)
    rows["open_actions"] = _rows(
        "SELECT x.id, x.title, x.due_date, x.status, ou.full_name, oc.name"
        " FROM customers_actionitem x"
        " LEFT JOIN tenancy_membership om ON om.id = x.owner_member_id"
        " LEFT JOIN accounts_user ou ON ou.id = om.user_id"
        f" LEFT JOIN customers_contact oc ON oc.id = x.owner_contact_id {where}"
        f" AND x.status = ANY(%s) ORDER BY x.due_date, x.id LIMIT {OPEN_ACTIONS_SHOWN}",
        [*params, open_statuses],
    )
    rows["open_action_count"] = _rows(
        f"SELECT COUNT(*) FROM customers_actionitem x {where} AND x.status = ANY(%s)",
        [*params, open_statuses],
    )[0][0]
    # The history of the customer and of every record the page shows, as the page asks for it:
    # one condition per record type.
    records = {
        "customers.customer": [pk],
        "customers.purchaser": [r[0] for r in rows["purchasers"]],
        "customers.contact": [r[0] for r in rows["contacts"]],
        "customers.businessexpectation": [r[0] for r in rows["expectations"]],
        "customers.registeritem": [r[0] for r in rows["register"]],
    }
    records = {kind: [str(i) for i in ids] for kind, ids in records.items() if ids}
    conditions = " OR ".join("(h.object_type = %s AND h.object_id = ANY(%s))" for _ in records)
    rows["history"] = _rows(
        "SELECT h.id, h.at, h.action, h.object_repr, h.changes, a.full_name"
        " FROM audit_auditevent h LEFT JOIN accounts_user a ON a.id = h.actor_id"
        f" WHERE h.tenant_id = %s AND ({conditions})"
        f" ORDER BY h.at DESC, h.id DESC LIMIT {HISTORY_SHOWN}",
        [tenant_id, *(v for item in records.items() for v in item)],
    )
    return rows


def customer_page_floor(request, pk):
    """/t/<slug>/customers/<pk>/: the same rows through a minimal template."""
    rows = customer_page_rows(current_tenant_id(), pk)
    if rows is None:
        raise Http404("No such customer.")
    context = {
        "customer": rows["customer"],
        "open_action_count": rows["open_action_count"],
        "panels": [(name, rows[name]) for name in (*PANELS, "history")],
    }
    return HttpResponse(_detail_template.render(context, request))
