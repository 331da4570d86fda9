"""Reading the search pages in tests: the groups shown (kind -> titles of the hits) parsed
from the results page."""

from html.parser import HTMLParser

from django.urls import reverse


def staff_search(tenant) -> str:
    return reverse("search:staff", kwargs={"tenant_slug": tenant.slug})


def portal_search(tenant) -> str:
    return reverse("search:portal", kwargs={"tenant_slug": tenant.slug})


class _Results(HTMLParser):
    def __init__(self):
        super().__init__()
        self.groups: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self._kind = None
        self._in_hit = False
        self._in_count = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("results-"):
            self._kind = attrs["id"].removeprefix("results-")
            self.groups[self._kind] = []
            self.links[self._kind] = []
        elif self._kind and tag == "li":
            self._in_hit = True
        elif self._kind and self._in_hit and tag == "a":
            self.links[self._kind].append(attrs["href"])
            self.groups[self._kind].append("")
        elif self._kind and tag == "span" and "badge" in (attrs.get("class") or ""):
            self._in_count = True

    def handle_endtag(self, tag):
        if tag == "section":
            self._kind = None
        elif tag in ("li", "a"):
            self._in_hit = False
        elif tag == "span":
            self._in_count = False

    def handle_data(self, data):
        if self._kind and self._in_hit and self.groups[self._kind]:
            self.groups[self._kind][-1] += data
        elif self._kind and self._in_count:
            self.counts[self._kind] = int(data)


def results(response):
    """(groups, links, counts) of a results page: {kind: [titles]}, {kind: [urls]},
    {kind: count}, in the page's order."""
    assert response.status_code == 200
    parser = _Results()
    parser.feed(response.content.decode())
    return parser.groups, parser.links, parser.counts


def found(client, path, q) -> dict[str, list[str]]:
    return results(client.get(path, {"q": q}))[0]
