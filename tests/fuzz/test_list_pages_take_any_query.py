"""Every list page under /t/<slug>/ (staff and portal, found by walking the URLconf) answers any
query string: garbage and numbers far past 64 bits in each of its filter, sort and page parameters
give the page (200), with the filter's error shown where the filter refuses the value, never a
server error. A list page added later is covered the day it is routed."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from brm.tenancy.models import Role
from tests import isolation_registry  # noqa: F401  (fills the registries)
from tests.isolation import MARKED_ROW_FACTORIES, PORTAL_USER_LINKERS, tenant_urls
from tests.kit import make_member

pytestmark = pytest.mark.django_db

GARBAGE = [
    "-8.6e192",
    "1e309",
    "99999999999999999999999999999999",
    str(2**63),
    "-1",
    "0",
    "0.0",
    "1.5",
    "abc",
    ",,,",
    "",
    "%00",
    "\x00",
    "' OR 1=1 --",
    "9" * 500,
]
# What crispy-bootstrap5 renders on a field the form refused.
FIELD_ERROR = "is-invalid"

LIST_PAGES = [u for u in tenant_urls() if not u.params and not u.is_public]


class _QueryParameters(HTMLParser):
    """The names a page itself sends back as query parameters: the fields of its GET forms and
    the keys of the query strings of its links (sorting, paging, tabs)."""

    def __init__(self):
        super().__init__()
        self.fields: set[str] = set()  # fields of a GET form: a refused value shows an error
        self.links: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            if attrs.get("type") not in ("hidden", "submit"):
                self.fields.add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            query = attrs["href"].split("?", 1)[1].split("#", 1)[0]
            self.links.update(part.split("=", 1)[0] for part in query.split("&") if part)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _signed_in(client, tenant, url):
    role = Role.CUSTOMER if url.is_portal else Role.ADMIN
    member = make_member(tenant, role, email=f"garbage-{role}@a.example.test")
    if url.is_portal:
        for link in PORTAL_USER_LINKERS:
            link(member)
    client.force_login(member.user)


def _parameters(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _QueryParameters()
    if response["Content-Type"].startswith("text/html"):  # not a download (the CSV export)
        parser.feed(response.content.decode())
    return parser.fields, parser.links | {"sort", "page"}


@pytest.mark.parametrize("url", LIST_PAGES, ids=lambda u: u.name)
def test_list_page_answers_garbage_in_any_parameter_with_the_page(client, tenant_a, url):
    for rows in MARKED_ROW_FACTORIES:
        rows(tenant_a)  # rows to sort and page through
    _signed_in(client, tenant_a, url)
    path = reverse(url.name, kwargs={"tenant_slug": tenant_a.slug})
    fields, others = _parameters(client, path)
    failures = []
    for name in sorted(fields | others):
        for value in GARBAGE:
            response = client.get(path, {name: value})
            if response.status_code != 200:
                failures.append((name, value, response.status_code))
    assert failures == []


@pytest.mark.parametrize("url", LIST_PAGES, ids=lambda u: u.name)
def test_list_page_shows_the_error_of_a_filter_that_refuses_a_value(client, tenant_a, url):
    _signed_in(client, tenant_a, url)
    path = reverse(url.name, kwargs={"tenant_slug": tenant_a.slug})
    fields, _others = _parameters(client, path)
    refused = []
    for name in sorted(fields):
        for value in ("-8.6e192", str(2**63), "abc"):
            response = client.get(path, {name: value})
            assert response.status_code == 200, (name, value)
            if FIELD_ERROR in _body(response):
                refused.append(name)
                break
    # Free-text search takes anything; every other filter (a choice, a date, an id) refuses.
    text_fields = {"q", "search"}
    assert set(refused) == fields - text_fields
