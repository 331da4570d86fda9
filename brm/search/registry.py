"""What each area makes searchable, and how one query is matched against it.

`brm` knows no area: each area registers its kinds in its `AppConfig.ready()`:

    from brm.search.registry import Hit, search_kinds

    search_kinds.register(
        "customers", label=_("Customers"), order=10,
        queryset=lambda ctx: Customer.objects.all(),
        fields=("name", "division"), names=("name",),
        hit=lambda customer, ctx: Hit(
            customer.name, ctx.url("customers:customer_detail", pk=customer.pk)
        ),
        more=lambda ctx: ctx.url("customers:customer_list", query=True),
    )

`queryset(ctx)` gives the records the reader may see (the area's own visibility selector, so a
search never shows what the area's pages would not), or None to leave the kind out for this
reader; `fields` are matched against the query, `names` are also matched by similarity on
PostgreSQL (a misspelt name still finds its record). `audience` says whether the kind is
searched from the staff pages, the portal's, or both; `ctx.portal` tells them apart.

On PostgreSQL the match is full-text search over `fields` (the `simple` configuration, so names
are not stemmed away) or trigram word similarity over `names` or a plain contains over `fields`
(a part of a reference or an email), ranked by the text rank plus the best name similarity
(the query's similarity to a word of the name plus the whole name's similarity to the query). On
SQLite it is the contains alone, in name order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Greatest, Lower
from django.urls import reverse
from django.utils.http import urlencode

from brm.web.registry import Registry

STAFF = "staff"
PORTAL = "portal"


@dataclass(frozen=True)
class Hit:
    """One found record: what the results page shows and where it leads."""

    title: str
    url: str
    subtitle: str = ""


@dataclass
class SearchContext:
    """The reader and the query, handed to every kind's functions."""

    request: Any
    query: str
    portal: bool
    _memo: dict = field(default_factory=dict)

    @property
    def membership(self):
        return self.request.membership

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per search: the kinds of one area share the portal user's scope."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def url(self, name: str, *, query: bool = False, **kwargs) -> str:
        """A page of the reader's office; with `query`, filtered by the searched text (`?q=`)."""
        path = reverse(name, kwargs={"tenant_slug": self.request.tenant.slug, **kwargs})
        if query:
            path = f"{path}?{urlencode({'q': self.query})}"
        return path


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: Any
    queryset: Callable[[SearchContext], QuerySet | None]
    fields: tuple[str, ...]
    hit: Callable[[Any, SearchContext], Hit]
    names: tuple[str, ...] = ()
    more: Callable[[SearchContext], str | None] | None = None
    audience: frozenset = frozenset({STAFF})
    order: int = 100


def matching(qs: QuerySet, query: str, fields: Iterable[str], names: Iterable[str] = ()):
    """`qs` narrowed to the records matching `query`, best first."""
    fields, names = tuple(fields), tuple(names)
    contains = Q()
    for name in fields:
        contains |= Q(**{f"{name}__icontains": query})
    if connection.vendor != "postgresql":
        first = names[0] if names else fields[0]
        return qs.filter(contains).order_by(Lower(first), "pk")

    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramSimilarity,
        TrigramWordSimilarity,
    )

    vector = SearchVector(*fields, config="simple")
    text = SearchQuery(query, config="simple", search_type="websearch")
    condition = contains | Q(search_vector=text)
    for name in names:
        condition |= Q(**{f"{name}__trigram_word_similar": query})
    similarity: Any = Value(0.0, output_field=FloatField())
    if names:
        # The word similarity finds the name that holds the query; the whole name's similarity
        # puts "Marketing" before "Marketing and Communications" for "marketing".
        similarities = [
            TrigramWordSimilarity(query, name) + TrigramSimilarity(name, query) for name in names
        ]
        similarity = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    return (
        qs.annotate(search_vector=vector)
        .filter(condition)
        .annotate(search_rank=SearchRank(F("search_vector"), text) + similarity)
        .order_by("-search_rank", "pk")
    )


class SearchRegistry(Registry):
    def register(
        self,
        key: str,
        *,
        label,
        queryset: Callable[[SearchContext], QuerySet | None],
        fields: Iterable[str],
        hit: Callable[[Any, SearchContext], Hit],
        names: Iterable[str] = (),
        more: Callable[[SearchContext], str | None] | None = None,
        audience: Iterable[str] = (STAFF,),
        order: int = 100,
    ) -> SearchKind:
        audience = frozenset(audience)
        if not audience or audience - {STAFF, PORTAL}:
            raise ValueError(f"audience of {key} must be staff, portal or both")
        return self.add(
            SearchKind(
                key=key,
                label=label,
                queryset=queryset,
                fields=tuple(fields),
                hit=hit,
                names=tuple(names),
                more=more,
                audience=audience,
                order=order,
            )
        )

    def search(self, ctx: SearchContext, *, limit: int) -> list[dict]:
        """[{"kind", "label", "hits", "count", "more_url"}] of the kinds with a match, in order;
        two queries a kind (the count and the first `limit` hits) whatever the rows."""
        audience = PORTAL if ctx.portal else STAFF
        groups = []
        for kind in self:
            if audience not in kind.audience:
                continue
            qs = kind.queryset(ctx)
            if qs is None:
                continue
            found = matching(qs, ctx.query, kind.fields, kind.names)
            count = found.count()
            if not count:
                continue
            hits = [kind.hit(obj, ctx) for obj in found[:limit]]
            more_url = kind.more(ctx) if kind.more and count > len(hits) else None
            groups.append(
                {
                    "key": kind.key,
                    "label": kind.label,
                    "hits": hits,
                    "count": count,
                    "more_url": more_url,
                }
            )
        return groups


search_kinds = SearchRegistry("search")
