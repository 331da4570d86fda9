"""The campaign results page's floor: the least any implementation of its contract must do.

Under /t/<office>/, so the whole middleware stack runs as for the page (session, user, the
membership and staff checks of TenantMiddleware, the office's transaction); then the same
figures from the same aggregate SQL, written by hand and merged where SQL allows: the office's
minimum, the campaign, the scored answers counted per customer and kind (the campaign's figures
are their sums), responses and invitations delivered per customer in one statement, the service
ratings, the comments with their count (a window), the campaign's line (campaigns and survey
versions) and its trend per campaign. The figures (NPS, CSAT, averages, intervals) are computed
by satisfaction.stats, which is arithmetic. A minimal template of the same engine (the first
25 customers, as the page's first page), no layout and no charts. bench.satisfaction.contract
checks its figures against the page's selectors.
"""

from collections import defaultdict

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils.functional import SimpleLazyObject

from brm.tenancy.context import current_tenant_id
from satisfaction import stats

_engine = SimpleLazyObject(lambda: engines["django"])
SCALES = {"effort": (1, 7), "service_rating": (1, 5)}
TOP = "(q.kind = 'nps' AND a.value >= 9) OR (q.kind IN ('csat', 'service_rating') AND a.value >= 4)"
BOTTOM = (
    "(q.kind = 'nps' AND a.value <= 6) OR (q.kind IN ('csat', 'service_rating') AND a.value <= 2)"
)
COUNTS = (
    f"COUNT(*), COUNT(*) FILTER (WHERE {TOP}), COUNT(*) FILTER (WHERE {BOTTOM}),"
    " COALESCE(SUM(a.value), 0), COALESCE(SUM(a.value * a.value), 0)"
)
ANSWERS = (
    " FROM satisfaction_answer a JOIN satisfaction_response r ON r.id = a.response_id"
    " JOIN satisfaction_question q ON q.id = a.question_id"
)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _figures(counts: dict, minimum: int) -> dict:
    nps = counts.get("nps", (0, 0, 0, 0, 0))
    csat = counts.get("csat", (0, 0, 0, 0, 0))
    effort = counts.get("effort", (0, 0, 0, 0, 0))
    return {
        "nps": stats.nps_figure(nps[1], nps[0] - nps[1] - nps[2], nps[2], minimum=minimum),
        "csat": stats.csat_figure(csat[1], csat[0], minimum=minimum),
        "effort": stats.average_figure(
            effort[3], effort[4], effort[0], scale=SCALES["effort"], minimum=minimum
        ),
    }


def _lineage(tenant_id: int, campaign_id: int) -> list[int]:
    campaigns = _rows(
        "SELECT id, previous_id, survey_id FROM satisfaction_campaign WHERE tenant_id = %s",
        [tenant_id],
    )
    surveys = _rows(
        "SELECT id, previous_id FROM satisfaction_survey WHERE tenant_id = %s"
        " AND previous_id IS NOT NULL",
        [tenant_id],
    )
    parent: dict = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for pk, previous_id, survey_id in campaigns:
        parent[find(("c", pk))] = find(("s", survey_id))
        if previous_id:
            parent[find(("c", pk))] = find(("c", previous_id))
    for pk, previous_id in surveys:
        parent[find(("s", pk))] = find(("s", previous_id))
    root = find(("c", campaign_id))
    return [pk for pk, _p, _s in campaigns if find(("c", pk)) == root]


def campaign_results_rows(tenant_id: int, campaign_id: int) -> dict:
    """The page's figures in raw SQL: {"campaign", "minimum", "overall", "customers",
    "services", "comments", "comments_count", "trend"}."""
    found = _rows(
        "SELECT minimum_answers FROM satisfaction_satisfactionsettings WHERE tenant_id = %s",
        [tenant_id],
    )
    minimum = found[0][0] if found else stats.DEFAULT_MINIMUM
    campaign = _rows(
        "SELECT id, name, anonymity FROM satisfaction_campaign WHERE tenant_id = %s AND id = %s",
        [tenant_id, campaign_id],
    )
    if not campaign:
        raise Http404
    _pk, name, anonymity = campaign[0]
    per_customer: dict = defaultdict(dict)
    overall: dict = {}
    for customer_id, kind, *counts in _rows(
        f"SELECT r.customer_id, q.kind, {COUNTS}{ANSWERS} WHERE a.tenant_id = %s"
        " AND r.campaign_id = %s AND a.value IS NOT NULL AND q.kind IN ('nps', 'csat', 'effort')"
        " GROUP BY r.customer_id, q.kind",
        [tenant_id, campaign_id],
    ):
        per_customer[customer_id][kind] = counts
        overall[kind] = [x + y for x, y in zip(overall.get(kind, [0] * 5), counts, strict=True)]
    customers, responses, delivered = [], 0, 0
    for customer_id, customer_name, answered, reached in _rows(
        "SELECT c.id, c.name, COALESCE(r.n, 0), COALESCE(i.n, 0) FROM"
        " (SELECT customer_id, COUNT(*) n FROM satisfaction_invitation WHERE tenant_id = %s"
        "  AND campaign_id = %s AND status = 'sent' GROUP BY customer_id) i"
        " FULL JOIN (SELECT customer_id, COUNT(*) n FROM satisfaction_response"
        "  WHERE tenant_id = %s AND campaign_id = %s GROUP BY customer_id) r USING (customer_id)"
        " JOIN customers_customer c ON c.id = customer_id ORDER BY lower(c.name), c.id",
        [tenant_id, campaign_id, tenant_id, campaign_id],
    ):
        responses += answered
        delivered += reached
        customers.append(
            {
                "id": customer_id,
                "name": customer_name,
                "responses": answered,
                "delivered": reached,
                **_figures(per_customer.get(customer_id, {}), minimum),
            }
        )
    services = [
        {
            "name": service_name,
            "rating": stats.average_figure(
                total, squares, n, scale=SCALES["service_rating"], minimum=minimum
            ),
            "satisfied": stats.csat_figure(top, n, minimum=minimum),
        }
        for service_name, n, top, _bottom, total, squares in _rows(
            f"SELECT s.name, {COUNTS}{ANSWERS} JOIN customers_service s ON s.id = a.service_id"
            " WHERE a.tenant_id = %s AND r.campaign_id = %s AND a.value IS NOT NULL"
            " AND q.kind = 'service_rating' GROUP BY s.id, s.name ORDER BY lower(s.name)",
            [tenant_id, campaign_id],
        )
    ]
    attributed = anonymity == "attributed"
    comments = _rows(
        "SELECT a.text, q.text, c.name, i.name, COUNT(*) OVER (), r.customer_id"
        f"{ANSWERS} JOIN customers_customer c ON c.id = r.customer_id"
        " LEFT JOIN satisfaction_invitation i ON i.id = r.invitation_id"
        " WHERE a.tenant_id = %s AND r.campaign_id = %s AND q.kind = 'text' AND a.text <> ''"
        + (" ORDER BY r.submitted_at DESC, a.id" if attributed else " ORDER BY a.text, a.id")
        + " LIMIT 100",
        [tenant_id, campaign_id],
    )
    comments_count = comments[0][4] if comments else 0
    # Not attributed: a comment names its customer only from the minimum responses on.
    named = {c["id"] for c in customers if attributed or c["responses"] >= minimum}
    if not attributed and comments_count < minimum:
        comments = []
    line = _lineage(tenant_id, campaign_id)
    trend_counts: dict = defaultdict(dict)
    for trend_campaign, kind, *counts in _rows(
        f"SELECT r.campaign_id, q.kind, {COUNTS}{ANSWERS} WHERE a.tenant_id = %s"
        " AND r.campaign_id = ANY(%s) AND a.value IS NOT NULL"
        " AND q.kind IN ('nps', 'csat', 'effort') GROUP BY r.campaign_id, q.kind",
        [tenant_id, line],
    ):
        trend_counts[trend_campaign][kind] = counts
    trend = [
        {
            "id": pk,
            "name": trend_name,
            "closes_at": closes_at,
            **_figures(trend_counts[pk], minimum),
        }
        for pk, trend_name, closes_at in _rows(
            "SELECT id, name, closes_at FROM satisfaction_campaign WHERE tenant_id = %s"
            " AND id = ANY(%s) AND (status = 'closed' OR id = %s) ORDER BY closes_at, id",
            [tenant_id, line, campaign_id],
        )
    ]
    return {
        "campaign": {"id": campaign_id, "name": name, "anonymity": anonymity},
        "minimum": minimum,
        "overall": {"responses": responses, "delivered": delivered, **_figures(overall, minimum)},
        "customers": customers,
        "services": services,
        "comments": [
            {
                "text": t,
                "question": q,
                "customer": c if customer_id in named else None,
                "who": w if attributed else None,
            }
            for t, q, c, w, _n, customer_id in comments
        ],
        "comments_count": comments_count,
        "trend": trend,
    }


PAGE = "".join(
    [
        "<!doctype html><title>{{ r.campaign.name }}</title>",
        "<p>{{ r.overall.responses }} / {{ r.overall.delivered }}</p>",
        "{% for k in figures %}<p>{{ k.value|floatformat:1 }} {{ k.low|floatformat:0 }}",
        " {{ k.high|floatformat:0 }} {{ k.n }}</p>{% endfor %}",
        "<table>{% for c in customers %}<tr><th>{{ c.name }}</th>",
        "<td>{{ c.responses }}/{{ c.delivered }}</td>",
        "<td>{{ c.nps.value|floatformat:0 }} {{ c.nps.n }}</td>",
        "<td>{{ c.csat.value|floatformat:0 }}</td><td>{{ c.effort.value|floatformat:1 }}</td>",
        "</tr>{% endfor %}</table>",
        "<table>{% for s in r.services %}<tr><th>{{ s.name }}</th>",
        "<td>{{ s.rating.value|floatformat:1 }} {{ s.satisfied.value|floatformat:0 }}</td>",
        "</tr>{% endfor %}</table>",
        "<ul>{% for c in r.comments %}<li>{{ c.text }} {{ c.customer }}",
        ' {{ c.who|default:"" }}</li>{% endfor %}</ul>',
        "<ol>{% for t in r.trend %}<li>{{ t.name }} {{ t.nps.value|floatformat:0 }}</li>",
        "{% endfor %}</ol>",
    ]
)


def campaign_results_page_floor(request, pk):
    if request.membership is None or not request.membership.is_staff_role:
        raise Http404
    found = campaign_results_rows(current_tenant_id(), pk)
    overall = found["overall"]
    template = _engine.from_string(PAGE)
    html = template.render(
        {
            "r": found,
            "figures": [overall["nps"], overall["csat"], overall["effort"]],
            # The page's first page of customers (25), its figures of them all.
            "customers": found["customers"][:25],
        },
        request,
    )
    return HttpResponse(html)
