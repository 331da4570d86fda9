"""How PostgreSQL plans the queries: once per statement, or for the office at hand.

psycopg prepares a statement the fifth time a connection runs it, and PostgreSQL may then keep
one generic plan for it instead of planning again on every run. For a query narrowed by a
record's id (a customer's contacts, its open action items) the generic plan is as good as any,
and planning was most of what such a query cost: the customer page made 12 of them.

A query over a whole office (a list and its count) is different. One office may hold 100
customers and another 5,000; the generic plan is made for an average office, and for the big one
it read every row and sorted them to show 25. Those queries are planned afresh for the office
at hand: `office_wide()` runs them unprepared, and `OfficePaginator` does so for every list.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.functional import cached_property


@contextmanager
def office_wide(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block's queries on `using` unprepared, so each is planned for its parameters."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    conn = connection.connection
    previous = conn.prepare_threshold
    conn.prepare_threshold = None
    try:
        yield
    finally:
        conn.prepare_threshold = previous


class OfficePaginator(Paginator):
    """A Paginator whose count and page are read inside `office_wide()`.

    `count` may be given when the caller has a cheaper way to know it than counting the
    list's own query (the complaints list counts the office's less the member's own).
    """

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count

    @property
    def _using(self) -> str:
        return getattr(self.object_list, "db", DEFAULT_DB_ALIAS)

    @cached_property
    def count(self) -> int:
        with office_wide(self._using):
            return Paginator.count.func(self)

    def page(self, number):
        page = super().page(number)
        with office_wide(self._using):
            page.object_list = list(page.object_list)
        return page
