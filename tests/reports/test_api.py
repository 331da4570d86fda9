"""GET /api/v1/kpis/: the snapshots by metric, period and scope, for read keys; bad input is 400
naming the parameter; another office's snapshots are never seen; queries pinned."""

from datetime import date, timedelta

import pytest

from reports.models import MetricSnapshot, ScopeKind, Window
from tests.kit import api_client, assert_api_queries, in_tenant

URL = "/api/v1/kpis/"
SINCE, UNTIL = date(2026, 10, 1), date(2026, 12, 10)


def _days():
    day = SINCE
    while day <= UNTIL:
        yield day
        day += timedelta(days=1)


def seed(tenant, *, bias=0):
    """Two metrics over 1 October to 10 December 2026, for four scopes: the value is the day
    of the month (plus `bias`), so a row says which day it is."""
    scopes = [
        (ScopeKind.OFFICE, ""),
        (ScopeKind.RM, "5"),
        (ScopeKind.DIVISION, "Corporate"),
        (ScopeKind.CUSTOMER, "7"),
    ]
    rows = []
    for day in _days():
        for kind, sid in scopes:
            rows.append(("agreements_in_force", kind, sid, Window.STATE, day))
            rows.append(("reviews_held", kind, sid, Window.MONTH, day))
            rows.append(("reviews_held", kind, sid, Window.QUARTER, day))
    with in_tenant(tenant):
        MetricSnapshot.objects.bulk_create(
            MetricSnapshot(
                tenant_id=tenant.pk,
                metric=m,
                scope_kind=k,
                scope_id=s,
                window=w,
                day=d,
                value=d.day + bias,
                n=10,
            )
            for m, k, s, w, d in rows
        )


@pytest.fixture
def api(tenant_a, tenant_b):
    seed(tenant_a)
    seed(tenant_b, bias=1000)
    return api_client(tenant_a, scope="read")


def results(api, query):
    response = api.get(URL, query)
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_read_key_lists_the_office_scope_by_default_paginated(api):
    body = results(api, {})
    days = len(list(_days()))
    assert body["count"] == 2 * days  # by day: states and the month to date
    first = body["results"][0]
    assert first == {
        "day": "2026-10-01",
        "metric": "agreements_in_force",
        "unit": "count",
        "scope": "office",
        "scope_id": "",
        "window": "state",
        "value": 1.0,
        "n": 10,
        "low": None,
        "high": None,
    }
    assert len(body["results"]) == 50 and body["next"]


def test_another_offices_snapshots_are_never_seen(api):
    values = [r["value"] for r in results(api, {"page_size": 200})["results"]]
    assert values and all(v < 1000 for v in values)
    for query in ({"scope": "rm", "scope_id": 5}, {"period": "month"}, {"metric": "nps"}):
        body = results(api, query | {"page_size": 200})
        assert all(r["value"] < 1000 for r in body["results"])


def test_metric_and_days_filter(api):
    body = results(api, {"metric": "reviews_held", "since": "2026-11-29", "until": "2026-12-01"})
    assert [(r["day"], r["window"], r["value"]) for r in body["results"]] == [
        ("2026-11-29", "month", 29.0),
        ("2026-11-30", "month", 30.0),
        ("2026-12-01", "month", 1.0),
    ]


def test_month_and_quarter_read_each_periods_last_snapshot(api):
    body = results(api, {"metric": "reviews_held", "period": "month"})
    assert [(r["day"], r["window"]) for r in body["results"]] == [
        ("2026-10-31", "month"),
        ("2026-11-30", "month"),
        ("2026-12-10", "month"),  # the month so far
    ]
    body = results(api, {"metric": "reviews_held", "period": "quarter"})
    assert [(r["day"], r["window"]) for r in body["results"]] == [
        ("2026-12-10", "quarter"),
    ]
    body = results(
        api, {"metric": "agreements_in_force", "period": "quarter", "until": "2026-11-15"}
    )
    assert [(r["day"], r["window"]) for r in body["results"]] == [("2026-11-15", "state")]


@pytest.mark.parametrize(
    ("query", "scope", "scope_id"),
    [
        ({"scope": "rm", "scope_id": 5}, "rm", "5"),
        ({"scope": "customer", "scope_id": 7}, "customer", "7"),
        ({"scope": "division", "division": "Corporate"}, "division", "Corporate"),
        ({"scope": "office"}, "office", ""),
    ],
)
def test_each_scope_lists_its_own_rows(api, query, scope, scope_id):
    body = results(api, query | {"metric": "agreements_in_force", "until": "2026-10-03"})
    assert [(r["scope"], r["scope_id"], r["day"]) for r in body["results"]] == [
        (scope, scope_id, f"2026-10-0{d}") for d in (1, 2, 3)
    ]


def test_a_scope_nobody_has_is_an_empty_list(api):
    assert results(api, {"scope": "rm", "scope_id": 6})["count"] == 0
    assert results(api, {"scope": "division", "division": "Nowhere"})["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"metric": "happiness"}, "metric"),
        ({"period": "week"}, "period"),
        ({"scope": "team"}, "scope"),
        ({"scope": "rm"}, "scope_id"),
        ({"scope": "customer", "scope_id": "x"}, "scope_id"),
        ({"scope": "customer", "scope_id": 0}, "scope_id"),
        ({"scope": "division"}, "division"),
        ({"scope_id": 5}, "scope_id"),
        ({"scope": "rm", "scope_id": 5, "division": "Corporate"}, "division"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "2026-11-02", "until": "2026-11-01"}, "until"),
        ({"until": ""}, "until"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(api, query, field):
    response = api.get(URL, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and field in error["fields"], error


def test_no_key_is_401(client, api):
    assert client.get(URL).status_code == 401


def test_queries_are_pinned(api):
    # the count and the page; a month or quarter first reads the days with snapshots
    assert_api_queries(api, URL, own=2)
    assert_api_queries(api, f"{URL}?metric=reviews_held&scope=rm&scope_id=5", own=2)
    assert_api_queries(api, f"{URL}?metric=reviews_held&period=month", own=3)
