"""Checks that each floor answers with its endpoint's rows.

The load script runs them on the bench offices before it times anything (a floor that drifted
from its endpoint would make every ratio meaningless), and the tests run them on a small office.
Each raises FloorMismatch saying what differs.
"""

import json
import re

from brm.audit.history import history_for
from customers import selectors
from customers.views import HISTORY_SHOWN, OPEN_ACTIONS_SHOWN

from .floor import customer_page_rows


class FloorMismatch(AssertionError):
    """A floor does not answer with the same rows as its endpoint."""


def _first_difference(ours: list, theirs: list) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"item {i}: endpoint {a!r}, floor {b!r}"
    return f"endpoint has {len(ours)} items, floor {len(theirs)}"


def check_api(name: str, endpoint_body: bytes, floor_body: bytes) -> None:
    """The same count, the same results (every row, column and value, in order), a next page
    exactly when the endpoint has one."""
    endpoint, floor = json.loads(endpoint_body), json.loads(floor_body)
    if endpoint["count"] != floor["count"]:
        raise FloorMismatch(f"{name}: count {endpoint['count']}, floor {floor['count']}")
    if endpoint["results"] != floor["results"]:
        diff = _first_difference(endpoint["results"], floor["results"])
        raise FloorMismatch(f"{name}: the floor's results differ ({diff})")
    for link in ("next", "previous"):
        ours, theirs = endpoint[link], floor[link]
        if (ours is None) != (theirs is None) or (
            ours and ours.partition("?")[2] != theirs.partition("?")[2]
        ):
            raise FloorMismatch(f"{name}: {link} link {ours!r}, floor {theirs!r}")


def _linked_customers(slug: str, html: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'href="/t/{re.escape(slug)}/customers/(\d+)/"', html)]


def check_list_page(slug: str, page_html: str, floor_html: str) -> None:
    """The customers the page links to, in order, are the floor's, and the page shows its count."""
    page_ids, floor_ids = _linked_customers(slug, page_html), _linked_customers(slug, floor_html)
    if not floor_ids:
        raise FloorMismatch("customer list page: the floor shows no customers")
    if page_ids != floor_ids:
        diff = _first_difference(page_ids, floor_ids)
        raise FloorMismatch(f"customer list page: the floor shows other customers ({diff})")
    count = re.search(r"<caption>(\d+) customers</caption>", floor_html)[1]
    if not re.search(rf"\b{count} customers?\b", page_html):
        raise FloorMismatch(f"customer list page: it does not say {count} customers")


def check_customer_page(tenant_id: int, pk: int) -> None:
    """Run inside the office's tenant_context: each panel's rows are the selectors' the page
    uses, in the same order, and so are the open action count and the history."""
    floor = customer_page_rows(tenant_id, pk)
    if floor is None:
        raise FloorMismatch(f"customer page: the floor finds no customer {pk}")
    customer = selectors.customer_get(pk)
    panels = {
        "purchasers": list(selectors.purchaser_list(customer=customer)),
        "contacts": list(selectors.contact_list(customer=customer)),
        "expectations": list(selectors.expectation_list(customer=customer)),
        "register": list(selectors.register_item_list(customer=customer)),
        "rm_history": list(selectors.rm_assignment_list(customer=customer)),
    }
    open_actions = selectors.action_item_list(customer=customer, status="open")
    records = [customer, *(r for k, v in panels.items() if k != "rm_history" for r in v)]
    expected = {
        **{k: [r.pk for r in v] for k, v in panels.items()},
        "open_actions": [a.pk for a in open_actions[:OPEN_ACTIONS_SHOWN]],
        "history": [e.pk for e in history_for(records)[:HISTORY_SHOWN]],
    }
    for panel, ids in expected.items():
        floor_ids = [row[0] for row in floor[panel]]
        if ids != floor_ids:
            diff = _first_difference(ids, floor_ids)
            raise FloorMismatch(f"customer page: the floor's {panel} differ ({diff})")
    if floor["open_action_count"] != open_actions.count():
        raise FloorMismatch(
            f"customer page: {open_actions.count()} open actions, "
            f"floor {floor['open_action_count']}"
        )
