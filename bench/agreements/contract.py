"""Checks that each agreements floor answers with its endpoint's rows (bench/agreements/floor.py).

The load script runs them on the bench offices before it times anything and the tests run them
on a small office. Each raises bench.contract.FloorMismatch saying what differs.
"""

import json
import re
from datetime import date

from agreements import presentation, selectors, services
from agreements.models import AgreementVersion
from agreements.periods import period_containing
from bench.contract import FloorMismatch

from .floor import SECTION_NAMES, agreement_page_rows

MEASUREMENT_PATH = "/api/v1/sla-measurements/"
MEASUREMENT_FLOOR_PATH = "/api/floor/sla-measurements/"
# What differs between two measurements recorded a moment apart for two periods.
OWN_FIELDS = {"id", "period_start", "period_end", "recorded_at", "updated_at"}


def _first_difference(ours: list, theirs: list) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"item {i}: endpoint {a!r}, floor {b!r}"
    return f"endpoint has {len(ours)} items, floor {len(theirs)}"


def _answer(post, path: str, body: dict) -> tuple[int, dict]:
    response = post(path, json.dumps(body))
    return response.status_code, json.loads(response.content or b"{}")


def _same_refusal(post, what: str, body: dict, field: str) -> None:
    ours, theirs = (
        _answer(post, MEASUREMENT_PATH, body),
        _answer(post, MEASUREMENT_FLOOR_PATH, body),
    )
    for name, (status, answer) in (("endpoint", ours), ("floor", theirs)):
        errors = answer.get("error", {}).get("fields", {})
        if status != 400 or field not in errors:
            raise FloorMismatch(
                f"POST sla-measurements, {what}: the {name} answered {status} {answer}, "
                f"not a 400 on {field}"
            )
    if set(ours[1]["error"]["fields"]) != set(theirs[1]["error"]["fields"]):
        raise FloorMismatch(
            f"POST sla-measurements, {what}: the endpoint refused {ours[1]}, the floor {theirs[1]}"
        )


def check_measurement_post(post, *, line: int, months: tuple[date, date], draft_line: int):
    """`post(path, body)` POSTs JSON with a write key of the office.

    `line` is a monthly line of a version in force or superseded; `months` two finished months
    that it has no measurement of, both measured against the same version. The endpoint records
    the first, the floor the second: the documents agree on everything but the period and the
    record's own id and times, each sees the other's as a duplicate, and both refuse a period
    that has not finished and a line of a draft."""
    first, second = months
    body = {"line": line, "actual_value": "99.9100", "actual_workload": "2,000 users", "note": "é"}
    status, endpoint = _answer(post, MEASUREMENT_PATH, {**body, "period_start": str(first)})
    if status != 201:
        raise FloorMismatch(f"POST sla-measurements: the endpoint answered {status} {endpoint}")
    status, floor = _answer(post, MEASUREMENT_FLOOR_PATH, {**body, "period_start": str(second)})
    if status != 201:
        raise FloorMismatch(f"POST sla-measurements: the floor answered {status} {floor}")
    for answer, month in ((endpoint, first), (floor, second)):
        start, end = period_containing("month", month)
        if (answer["period_start"], answer["period_end"]) != (str(start), str(end)):
            raise FloorMismatch(f"POST sla-measurements: period {answer['period_start']}")
    if set(endpoint) != set(floor):
        raise FloorMismatch(f"POST sla-measurements: fields {sorted(endpoint)}, {sorted(floor)}")
    for name in sorted(set(endpoint) - OWN_FIELDS):
        if endpoint[name] != floor[name]:
            raise FloorMismatch(
                f"POST sla-measurements: {name} {endpoint[name]!r}, floor {floor[name]!r}"
            )
    _same_refusal(
        post, "a duplicate of the floor's", {**body, "period_start": str(second)}, "period_start"
    )
    _same_refusal(
        post, "a duplicate of the endpoint's", {**body, "period_start": str(first)}, "period_start"
    )
    this_month = period_containing("month", date.today())[0]
    _same_refusal(
        post, "an unfinished period", {**body, "period_start": str(this_month)}, "period_end"
    )
    _same_refusal(
        post, "a draft's line", {**body, "line": draft_line, "period_start": str(first)}, "line"
    )
    _same_refusal(post, "no such line", {**body, "line": 0, "period_start": str(first)}, "line")
    _same_refusal(post, "no value", {"line": line, "period_start": str(first)}, "actual_value")


def _linked(slug: str, html: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'href="/t/{re.escape(slug)}/agreements/(\d+)/"', html)]


def check_list_page(slug: str, page_html: str, floor_html: str) -> None:
    """The agreements the page links to, in order, are the floor's, and it shows their count."""
    page_ids, floor_ids = _linked(slug, page_html), _linked(slug, floor_html)
    if not floor_ids:
        raise FloorMismatch("agreement list page: the floor shows no agreements")
    if page_ids != floor_ids:
        diff = _first_difference(page_ids, floor_ids)
        raise FloorMismatch(f"agreement list page: the floor shows other agreements ({diff})")
    count = re.search(r"<caption>(\d+) agreements</caption>", floor_html)[1]
    if not re.search(rf"\b{count} agreements?\b", page_html):
        raise FloorMismatch(f"agreement list page: it does not say {count} agreements")


def check_list_rows(tenant_id: int) -> None:
    """Run inside the office's tenant_context: the floor's first page is the selector's, with
    the same version in force, state and pending signatures."""
    from .floor import LIST_PAGE_SIZE, agreement_list_rows

    count, rows = agreement_list_rows(tenant_id)
    agreements = selectors.agreement_list()
    expected = [
        (
            a.pk,
            a.in_force_number,
            a.in_signature_number,
            a.pending_signatures,
            a.sla_measured,
            a.sla_met,
            a.state,
        )
        for a in agreements[:LIST_PAGE_SIZE]
    ]
    got = [
        (
            *r[:1],
            *r[5:],
        )
        for r in rows
    ]
    if expected != got:
        raise FloorMismatch(f"agreement list: rows differ ({_first_difference(expected, got)})")
    if count != agreements.count():
        raise FloorMismatch(f"agreement list: {agreements.count()} agreements, floor {count}")


def check_agreement_page(tenant_id: int, pk: int) -> None:
    """Run inside the office's tenant_context: the versions, the version shown, its
    signatures and each section's rows are the selectors' the page uses, in their order."""
    if tuple(presentation.SECTION_TITLES) != SECTION_NAMES:
        raise FloorMismatch(
            f"agreement page: it shows the sections {list(presentation.SECTION_TITLES)}, "
            f"the floor {list(SECTION_NAMES)}"
        )
    floor = agreement_page_rows(tenant_id, pk)
    if floor is None:
        raise FloorMismatch(f"agreement page: the floor finds no agreement {pk}")
    agreement = selectors.agreement_get(pk=pk)
    versions = list(selectors.version_history(agreement))
    shown = next((v for v in versions if v.status == AgreementVersion.Status.IN_FORCE), versions[0])
    head = floor["agreement"]
    if (head[5], head[6], head[7], head[-1]) != (
        agreement.in_force_number,
        agreement.in_signature_number,
        agreement.pending_signatures,
        agreement.state,
    ):
        raise FloorMismatch(f"agreement page: the floor's head {head} differs")
    expected = {
        "versions": [v.pk for v in versions],
        "signatures": [s.pk for v in versions for s in v.signatures.all()],
        "shown": [shown.pk],
        **{name: [r.pk for r in services.section_rows(shown, name)] for name in SECTION_NAMES},
    }
    got = {
        "versions": [v[0] for v, _s in floor["versions"]],
        "signatures": [s[0] for _v, signatures in floor["versions"] for s in signatures],
        "shown": [floor["shown"][0]],
        **{name: [r[0] for r in floor[name]] for name in SECTION_NAMES},
    }
    for part, ids in expected.items():
        if ids != got[part]:
            diff = _first_difference(ids, got[part])
            raise FloorMismatch(f"agreement page: the floor's {part} differ ({diff})")
