"""The agreements endpoints' floors: the least any implementation of their contract must do.

`POST /api/v1/sla-measurements/` beside `POST /api/floor/sla-measurements/`: under /api/, so
ApiKeyMiddleware makes the very key lookup of the endpoint and runs the request in the key's
office (one transaction, row-level security set). The floor refuses a missing or read-only key
as the endpoint does, parses the same JSON, makes the reads that decide whether the measurement
may be recorded (the line and its version; the line of the same key in the version in force at
the period's end; a measurement of that key and period already there) and one INSERT, and
answers the same document (201) or a 400 with field errors. It writes no audit entry: that is
part of what the application adds. bench.agreements.contract checks it against the endpoint.
"""

import calendar
import json
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt

from agreements.periods import MONTH, last_finished
from brm.db.plans import office_wide
from brm.tenancy.context import current_tenant_id

MEASURABLE = ["in_force", "superseded"]
MONTHS = {"month": 1, "quarter": 3}


def iso(value: datetime, zone) -> str:
    """A datetime as the API writes it: ISO 8601 in the office's zone, UTC as Z."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def row_of(sql: str, params: list):
    """The first row of a statement, or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def period_containing(kind: str, day: date) -> tuple[date, date]:
    months = MONTHS[kind]
    first = (day.month - 1) // months * months + 1
    last = first + months - 1
    return date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1])


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _parse(body: bytes) -> tuple[dict, dict]:
    """The fields of the request and the errors of the ones that are not right."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}, {"non_field_errors": ["JSON parse error."]}
    if not isinstance(data, dict):
        return {}, {"non_field_errors": ["Invalid data."]}
    errors, values = {}, {}
    line = data.get("line")
    if not isinstance(line, int) or isinstance(line, bool):
        errors["line"] = ["A valid integer is required." if line else "This field is required."]
    values["line"] = line
    for name in ("period_start", "period_end"):
        if name in data and data[name] is not None or name == "period_start":
            values[name] = _date(data.get(name))
            if values[name] is None:
                errors[name] = ["Date has wrong format. Use YYYY-MM-DD."]
    try:
        actual = Decimal(str(data["actual_value"]))
        if not actual.is_finite() or abs(actual) >= Decimal("1e10"):
            raise InvalidOperation
        values["actual_value"] = actual.quantize(Decimal("0.0001"))
    except (KeyError, InvalidOperation, ValueError):
        errors["actual_value"] = ["A valid number is required."]
    for name, limit in (("actual_workload", 200), ("note", None)):
        value = data.get(name, "")
        if not isinstance(value, str) or (limit and len(value) > limit):
            errors[name] = ["Not a valid string."]
        values[name] = value
    return values, errors


def _error(status: int, code: str, detail: str) -> JsonResponse:
    """The API's one error shape (brm.api.exceptions)."""
    return JsonResponse(
        {"error": {"status": status, "code": code, "detail": detail}}, status=status
    )


def _bad(errors: dict) -> JsonResponse:
    body = {"status": 400, "code": "invalid", "detail": "Invalid input.", "fields": errors}
    return JsonResponse({"error": body}, status=400)


@csrf_exempt
def api_sla_measurement_create_floor(request):
    """POST /api/v1/sla-measurements/: one measurement recorded against the line of the version
    in force at the period's end."""
    api_key = getattr(request, "api_key", None)
    if api_key is None:
        detail = getattr(request, "api_key_error", None) or "Not authenticated."
        return _error(401, "not_authenticated", detail)
    if request.method != "POST":
        return _error(405, "method_not_allowed", "This floor answers POST only.")
    if not api_key.can_write:
        return _error(403, "permission_denied", "This API key is read-only.")
    values, errors = _parse(request.body)
    if errors:
        return _bad(errors)
    tenant_id = current_tenant_id()
    zone = request.tenant.zone
    line = row_of(
        "SELECT l.key, l.period, v.status, v.agreement_id FROM agreements_slaline l"
        " JOIN agreements_agreementversion v ON v.id = l.version_id"
        " WHERE l.tenant_id = %s AND l.id = %s",
        [tenant_id, values["line"]],
    )
    if line is None:
        return _bad({"line": [f'Invalid pk "{values["line"]}" - object does not exist.']})
    key, period, status, agreement_id = line
    if status not in MEASURABLE:
        return _bad({"line": ["Only lines of a version in force (or superseded) are measured."]})
    start = values["period_start"]
    end = values.get("period_end") or period_containing(period, start)[1]
    today = timezone.localdate(timezone.now(), zone)
    if end < start:
        return _bad({"period_end": ["The period ends on or after its first day."]})
    if end >= today:
        return _bad({"period_end": ["This period has not finished yet."]})
    end_of_day = datetime.combine(min(end, today) + timedelta(days=1), dtime.min, tzinfo=zone)
    measured = row_of(
        "SELECT l.id, l.period, l.direction, l.target_value FROM agreements_slaline l"
        " WHERE l.tenant_id = %s AND l.key = %s AND l.version_id = ("
        "  SELECT v.id FROM agreements_agreementversion v"
        "  WHERE v.tenant_id = %s AND v.agreement_id = %s AND v.status = ANY(%s)"
        "  AND v.in_force_at < %s ORDER BY v.in_force_at DESC, v.number DESC LIMIT 1)"
        " ORDER BY l.position, l.id LIMIT 1",
        [tenant_id, key, tenant_id, agreement_id, MEASURABLE, end_of_day],
    )
    if measured is None:
        return _bad({"line": [f"No version in force for this period has the line {key}."]})
    measured_id, measured_period, direction, target = measured
    if period_containing(measured_period, start) != (start, end):
        return _bad({"period_start": [f"The line is measured by {measured_period}."]})
    duplicate = [{"period_start": [f"This line has a measurement for {start} already."]}]
    if row_of(
        "SELECT 1 FROM agreements_slameasurement WHERE tenant_id = %s AND agreement_id = %s"
        " AND line_key = %s AND period_start = %s",
        [tenant_id, agreement_id, key, start],
    ):
        return _bad(duplicate[0])
    now = timezone.now()
    recorded_by = api_key.created_by_id
    inserted = row_of(
        "INSERT INTO agreements_slameasurement (tenant_id, agreement_id, line_key, line_id,"
        " period_start, period_end, actual_value, actual_workload, note, source, recorded_by_id,"
        " recorded_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'api', %s, %s, %s)"
        " ON CONFLICT DO NOTHING RETURNING id",
        [
            tenant_id,
            agreement_id,
            key,
            measured_id,
            start,
            end,
            values["actual_value"],
            values["actual_workload"],
            values["note"],
            recorded_by,
            now,
            now,
        ],
    )
    if inserted is None:  # a concurrent one won the unique constraint
        return _bad(duplicate[0])
    actual = values["actual_value"]
    met = actual >= target if direction == "at_least" else actual <= target
    body = {
        "id": inserted[0],
        "agreement": agreement_id,
        "line": measured_id,
        "line_key": key,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "actual_value": format(actual, "f"),
        "actual_workload": values["actual_workload"],
        "note": values["note"],
        "target_met": met,
        "source": "api",
        "recorded_by": recorded_by,
        "recorded_at": iso(now, zone),
        "updated_at": iso(now, zone),
    }
    return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})


# Pages ---------------------------------------------------------------------------------------
# Under /t/<slug>/, so the whole middleware stack runs (session, user, membership and staff
# checks, the office's transaction); the page's rows in raw SQL through a minimal template of
# the same engine (its context processors included), without layout, filter form or pager.

LIST_PAGE_SIZE = 25  # brm.web.pages.PAGE_SIZE (bench.agreements.contract checks the rows)

_engine = SimpleLazyObject(lambda: engines["django"])


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _state(in_force, in_signature, review_due, today) -> str:
    """agreements.selectors.agreement_state, on the row's values."""
    if in_force is None:
        return "none_in_force"
    if review_due is not None and review_due < today:
        return "review_overdue"
    return "in_force_newer_in_signature" if in_signature is not None else "in_force"


# The list's columns, and the agreement page's head: the customer, the version in force and the
# one in signature, the pending signatures of that one, the review date and the RM.
AGREEMENT_COLUMNS = (
    "SELECT a.id, c.name, a.review_due, u.full_name, u.email,"
    " (SELECT v.number FROM agreements_agreementversion v WHERE v.tenant_id = a.tenant_id"
    "  AND v.agreement_id = a.id AND v.status = 'in_force' LIMIT 1),"
    " (SELECT v.number FROM agreements_agreementversion v WHERE v.tenant_id = a.tenant_id"
    "  AND v.agreement_id = a.id AND v.status = 'in_signature' LIMIT 1),"
    " (SELECT COUNT(*) FROM agreements_signature s"
    "  JOIN agreements_agreementversion v ON v.id = s.version_id"
    "  WHERE s.tenant_id = a.tenant_id AND v.agreement_id = a.id"
    "  AND v.status = 'in_signature' AND s.status = 'pending')"
)
AGREEMENT_FROM = (
    " FROM agreements_agreement a JOIN customers_customer c ON c.id = a.customer_id"
    " JOIN tenancy_membership m ON m.id = c.relationship_manager_id"
    " JOIN accounts_user u ON u.id = m.user_id"
)


# The list's SLA attainment of the last finished month: the measurements of it, and those met.
SLA_COUNTS = (
    ", (SELECT COUNT(*) FROM agreements_slameasurement ms WHERE ms.tenant_id = a.tenant_id"
    "  AND ms.agreement_id = a.id AND ms.period_end = %s),"
    " (SELECT COUNT(*) FROM agreements_slameasurement ms"
    "  JOIN agreements_slaline l ON l.id = ms.line_id"
    "  WHERE ms.tenant_id = a.tenant_id AND ms.agreement_id = a.id AND ms.period_end = %s"
    "  AND CASE WHEN l.direction = 'at_least' THEN ms.actual_value >= l.target_value"
    "  ELSE ms.actual_value <= l.target_value END)"
)


def _with_state(rows: list[tuple], today) -> list[tuple]:
    return [(*row, _state(row[5], row[6], row[2], today)) for row in rows]


LIST_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Agreements</title>
<table><caption>{{ count }} agreements</caption>
{% for a in rows %}<tr><th><a href="/t/{{ request.tenant.slug }}/agreements/{{ a.0 }}/">
{{ a.1 }}</a></th><td>{{ a.5 }}</td><td>{{ a.10 }}</td><td>{{ a.2|date:"Y-m-d" }}</td>
<td>{{ a.7 }} {{ a.6 }}</td><td>{{ a.9 }} {{ a.8 }}</td><td>{{ a.3 }} {{ a.4 }}</td></tr>
{% endfor %}</table></html>"""

_list_template = SimpleLazyObject(lambda: _engine.from_string(LIST_TEMPLATE))


def agreement_list_rows(tenant_id: int) -> tuple[int, list[tuple]]:
    """The staff agreement list's first page: the count, and the first LIST_PAGE_SIZE
    agreements by customer name with the columns the list shows (the SLA measurements of the
    last finished month and those met, after the head's) and their state, last."""
    today = timezone.localdate()
    month_end = last_finished(MONTH, today)[1]
    with office_wide():
        count = _rows("SELECT COUNT(*) FROM agreements_agreement WHERE tenant_id = %s", [tenant_id])
        rows = _rows(
            f"{AGREEMENT_COLUMNS}{SLA_COUNTS}{AGREEMENT_FROM} WHERE a.tenant_id = %s"
            f" ORDER BY c.name, a.id LIMIT {LIST_PAGE_SIZE}",
            [month_end, month_end, tenant_id],
        )
    return count[0][0], _with_state(rows, today)


def agreement_list_page_floor(request):
    """/t/<slug>/agreements/: the same rows through a minimal template."""
    count, rows = agreement_list_rows(current_tenant_id())
    return HttpResponse(_list_template.render({"count": count, "rows": rows}, request))


DETAIL_TEMPLATE = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>{{ agreement.1 }}</title><h1>{{ agreement.1 }}</h1><p>{{ agreement|join:" " }}</p>
<h2>Version {{ shown.1 }}</h2><p>{{ shown|join:" " }}</p>
{% for title, rows in sections %}<h2>{{ title }}</h2>
<ul>{% for row in rows %}<li>{{ row|join:" " }}</li>{% endfor %}</ul>{% endfor %}
<h2>Versions</h2><ul>{% for v, signatures in versions %}<li>{{ v|join:" " }}
<ul>{% for s in signatures %}<li>{{ s|join:" " }}</li>{% endfor %}</ul></li>{% endfor %}</ul>
</html>"""
SECTION_NAMES = ("partner_plan", "engagement", "objectives", "action_plan", "sla")

_detail_template = SimpleLazyObject(lambda: _engine.from_string(DETAIL_TEMPLATE))


def agreement_page_rows(tenant_id: int, pk: int) -> dict | None:
    """The rows of the staff agreement page: the agreement with its state, every version
    newest first with its signatures, and the sections of the version shown (the one in
    force, else the newest; the SLA appendix last) with the names of the meetings' attendees
    and of the lines' owners; None when none."""
    head = _rows(
        f"{AGREEMENT_COLUMNS}{AGREEMENT_FROM} WHERE a.tenant_id = %s AND a.id = %s", [tenant_id, pk]
    )
    if not head:
        return None
    rows = {"agreement": _with_state(head, timezone.localdate())[0]}
    versions = _rows(
        "SELECT id, number, status, content_sha256, submitted_at, in_force_at, superseded_at,"
        " withdrawn_at, withdrawn_reason, relationship_philosophy"
        " FROM agreements_agreementversion WHERE tenant_id = %s AND agreement_id = %s"
        " ORDER BY number DESC",
        [tenant_id, pk],
    )
    signatures = _rows(
        "SELECT s.id, s.version_id, s.role, s.status, s.signed_at, s.declined_at,"
        " s.signer_name, u.full_name, u.email, s.membership_id FROM agreements_signature s"
        " JOIN tenancy_membership m ON m.id = s.membership_id"
        " JOIN accounts_user u ON u.id = m.user_id"
        " WHERE s.tenant_id = %s AND s.version_id = ANY(%s) ORDER BY s.version_id, s.id",
        [tenant_id, [v[0] for v in versions]],
    )
    by_version = {}
    for s in signatures:
        by_version.setdefault(s[1], []).append(s)
    rows["versions"] = [(v, by_version.get(v[0], [])) for v in versions]
    shown = next((v for v in versions if v[2] == "in_force"), versions[0])
    rows["shown"] = shown
    where = "WHERE x.tenant_id = %s AND x.version_id = %s ORDER BY x.position, x.id"
    params = [tenant_id, shown[0]]
    rows["partner_plan"] = _rows(
        "SELECT x.id, x.name, x.title, x.email, x.phone, x.role"
        f" FROM agreements_partnerplanrow x {where}",
        params,
    )
    # Django reads jsonb as text (its JSONField decodes it): so do the attendees here.
    engagement = [
        (*row[:4], *(json.loads(v) if isinstance(v, str) else v for v in row[4:7]), *row[7:])
        for row in _rows(
            "SELECT x.id, x.meeting_type, x.name, x.purpose, x.attendee_roles,"
            " x.attendee_contact_ids, x.attendee_member_ids, x.frequency, x.interval,"
            " x.month_day, x.weekday, x.week_of_month, x.duration_minutes"
            f" FROM agreements_engagementrow x {where}",
            params,
        )
    ]
    contact_ids = sorted({i for row in engagement for i in row[5] or []})
    member_ids = sorted({i for row in engagement for i in row[6] or []})
    names = {}
    if contact_ids or member_ids:
        for kind, ident, name in _rows(
            "SELECT 'c', id, name FROM customers_contact WHERE tenant_id = %s AND id = ANY(%s)"
            " UNION ALL SELECT 'm', m.id, COALESCE(NULLIF(u.full_name, ''), u.email)"
            " FROM tenancy_membership m JOIN accounts_user u ON u.id = m.user_id"
            " WHERE m.tenant_id = %s AND m.id = ANY(%s)",
            [tenant_id, contact_ids, tenant_id, member_ids],
        ):
            names[kind, ident] = name
    rows["engagement"] = [
        (
            *row[:4],
            ", ".join(
                [*row[4]]
                + [names.get(("c", i), "a former contact") for i in row[5]]
                + [names.get(("m", i), "a former staff member") for i in row[6]]
            ),
            *row[7:],
        )
        for row in engagement
    ]
    rows["objectives"] = _rows(
        "SELECT x.id, x.objective, x.initiative,"
        " COALESCE(NULLIF(x.owner_text, ''), NULLIF(ou.full_name, ''), ou.email),"
        " x.target_date, x.status FROM agreements_objectiverow x"
        " LEFT JOIN tenancy_membership om ON om.id = x.owner_member_id"
        f" LEFT JOIN accounts_user ou ON ou.id = om.user_id {where}",
        params,
    )
    rows["action_plan"] = _rows(
        f"SELECT x.id, x.title, x.owner_name, x.due_date FROM agreements_actionplanrow x {where}",
        params,
    )
    rows["sla"] = _rows(
        "SELECT x.id, x.kind, s.name, x.metric, x.direction, x.target_value, x.unit, x.period,"
        " x.workload_limit, x.exceptions,"
        " COALESCE(NULLIF(ou.full_name, ''), ou.email, NULLIF(su.full_name, ''), su.email)"
        " FROM agreements_slaline x JOIN customers_service s ON s.id = x.service_id"
        " LEFT JOIN tenancy_membership om ON om.id = x.owner_id"
        " LEFT JOIN accounts_user ou ON ou.id = om.user_id"
        " LEFT JOIN tenancy_membership sm ON sm.id = s.owner_id"
        f" LEFT JOIN accounts_user su ON su.id = sm.user_id {where}",
        params,
    )
    return rows


def agreement_page_floor(request, pk):
    """/t/<slug>/agreements/<pk>/: the same rows through a minimal template."""
    rows = agreement_page_rows(current_tenant_id(), pk)
    if rows is None:
        raise Http404("No such agreement.")
    context = {
        "agreement": rows["agreement"],
        "shown": rows["shown"],
        "sections": [(name, rows[name]) for name in SECTION_NAMES],
        "versions": rows["versions"],
    }
    return HttpResponse(_detail_template.render(context, request))
