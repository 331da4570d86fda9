"""Extension points: how a higher area adds to a lower area's pages without being imported.

Dependencies flow one way (brm <- customers <- agreements <- meetings; complaints and
satisfaction on customers; reports on top). The customer page belongs to the customers area, yet
the agreement, the meetings and the complaints of a customer belong on it; the staff navigation
is drawn by brm, yet every area has entries in it. So the lower layer draws what is registered
here, and each area registers its own pieces in its `AppConfig.ready()`:

    from brm.web.registry import customer_panels, staff_nav

    customer_panels.register(
        "agreement", template="agreements/partials/_customer_panel.html",
        context=agreement_panel_context, order=25,
    )
    staff_nav.register("agreements", label=_("Agreements"), url_name="agreements:list", order=30)

Registries are filled once, at start-up, in app order; `order` decides where each piece goes.
Registering the same key twice replaces the earlier entry (a test may override one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


class Registry:
    """Entries by key, read in `order` (then key)."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, Any] = {}

    def add(self, entry) -> Any:
        self._entries[entry.key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def __iter__(self):
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __getitem__(self, key: str):
        return self._entries[key]

    def get(self, key: str, default=None):
        return self._entries.get(key, default)


# Panels ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A section of a detail page: a template, and a function that gives its context.

    `context(request, obj)` returns the template's variables (a dict), or None to leave the panel
    out for this request (say, for a role that must not see it). It should read in a number of
    queries that does not grow with the rows shown: the page's query count is pinned in tests.
    """

    key: str
    template: str
    context: Callable[[Any, Any], dict | None] | None = None
    order: int = 100


class PanelRegistry(Registry):
    def register(self, key: str, *, template: str, context=None, order: int = 100) -> Panel:
        return self.add(Panel(key=key, template=template, context=context, order=order))

    def render_context(self, request, obj) -> list[dict]:
        """[{"key", "template", "context"}, ...] of the panels shown for this object."""
        shown = []
        for panel in self:
            context = panel.context(request, obj) if panel.context else {}
            if context is not None:
                shown.append({"key": panel.key, "template": panel.template, "context": context})
        return shown


# The staff page of one customer (customers:customer_detail); `obj` is the Customer.
customer_panels = PanelRegistry("customer page")
# The portal's home page; `obj` is the portal user's Membership.
portal_home_panels = PanelRegistry("portal home")


# Navigation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """A link in the staff or portal navigation.

    Shown to the roles in `roles` (all, when None) and, when `visible(membership)` is given, only
    where it answers true. It is marked active on its own page and, with `prefix`, on the pages
    under its URL (the entry with the longest matching URL wins), or on the URL names in
    `also_active`.
    """

    key: str
    label: Any
    url_name: str
    order: int = 100
    roles: frozenset | None = None
    visible: Callable[[Any], bool] | None = None
    prefix: bool = False
    also_active: tuple[str, ...] = field(default=())

    def shown_to(self, membership) -> bool:
        if membership is None:
            return False
        if self.roles is not None and membership.role not in self.roles:
            return False
        return self.visible is None or bool(self.visible(membership))


class NavRegistry(Registry):
    def register(
        self,
        key: str,
        *,
        label,
        url_name: str,
        order: int = 100,
        roles: Iterable | None = None,
        visible: Callable[[Any], bool] | None = None,
        prefix: bool = False,
        also_active: Iterable[str] = (),
    ) -> NavEntry:
        return self.add(
            NavEntry(
                key=key,
                label=label,
                url_name=url_name,
                order=order,
                roles=frozenset(roles) if roles is not None else None,
                visible=visible,
                prefix=prefix,
                also_active=tuple(also_active),
            )
        )

    def links(self, request) -> list[dict]:
        """The entries this request's member sees: [{"key", "label", "url", "active",
        "current"}], `current` on the link to the very page shown (aria-current)."""
        membership = getattr(request, "membership", None)
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return []
        path = request.path
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else ""
        links = []
        for entry in self:
            if entry.shown_to(membership):
                url = reverse(entry.url_name, kwargs={"tenant_slug": tenant.slug})
                links.append({"entry": entry, "key": entry.key, "label": entry.label, "url": url})
        # The closest match only: "Customers" is not active on "My customers" (/customers/mine/).
        best_url = max(
            (
                link["url"]
                for link in links
                if path == link["url"] or (link["entry"].prefix and path.startswith(link["url"]))
            ),
            key=len,
            default=None,
        )
        for link in links:
            entry = link.pop("entry")
            link["current"] = path == link["url"]
            link["active"] = link["url"] == best_url or view_name in entry.also_active
        return links


staff_nav = NavRegistry("staff navigation")
portal_nav = NavRegistry("portal navigation")


# Agenda providers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaProvider:
    """Proposes agenda items for a meeting with a customer.

    `propose(meeting)` returns a list of proposals (dicts with at least "title", and "notes",
    "source" as the proposing area wishes). The meetings area builds a meeting's agenda from every
    provider, so complaints, satisfaction and the agreement each add their items without the
    meetings area importing them.
    """

    key: str
    label: Any
    propose: Callable[[Any], list[dict]]
    order: int = 100


# The lookups the providers share while one cadence's occurrences are planned (AgendaRegistry.run).
_run_memo: ContextVar[dict | None] = ContextVar("agenda_run_memo", default=None)


class AgendaRegistry(Registry):
    def register(self, key: str, *, label, propose, order: int = 100) -> AgendaProvider:
        return self.add(AgendaProvider(key=key, label=label, propose=propose, order=order))

    @contextmanager
    def run(self):
        """Proposals for several meetings in a row (a cadence's occurrences, planned in one
        transaction): within it, `memo` answers a repeated lookup from the first."""
        outer = _run_memo.get()
        token = _run_memo.set({} if outer is None else outer)  # a run within a run shares it
        try:
            yield
        finally:
            _run_memo.reset(token)

    def memo(self, key, compute: Callable[[], Any]) -> Any:
        """`compute()`, once per `key` within a `run` (every time outside one)."""
        memo = _run_memo.get()
        if memo is None:
            return compute()
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def proposals(self, meeting) -> list[dict]:
        items = []
        for provider in self:
            for item in provider.propose(meeting) or ():
                items.append({"source": provider.key, **item})
        return items


agenda_providers = AgendaRegistry("agenda providers")


# Actions on the agreement page ------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectAction:
    """A button on a lower area's object page that leads to a higher area's page.

    `url_name` takes the tenant and the object's `pk`; `condition(request, obj)` says whether
    the button is offered (the page's roles and the object's state), and the target page checks
    again: a hidden button is no guard.
    """

    key: str
    label: Any
    url_name: str
    condition: Callable[[Any, Any], bool] | None = None
    order: int = 100


class ActionRegistry(Registry):
    def register(
        self, key: str, *, label, url_name: str, condition=None, order: int = 100
    ) -> ObjectAction:
        return self.add(
            ObjectAction(key=key, label=label, url_name=url_name, condition=condition, order=order)
        )

    def links(self, request, obj) -> list[dict]:
        """[{"key", "label", "url"}] of the actions offered on this object's page."""
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return []
        return [
            {
                "key": action.key,
                "label": action.label,
                "url": reverse(action.url_name, kwargs={"tenant_slug": tenant.slug, "pk": obj.pk}),
            }
            for action in self
            if action.condition is None or action.condition(request, obj)
        ]


# The staff page of one agreement (agreements:agreement_detail and version_detail); `obj` is the
# Agreement. The meetings area adds "Make cadences from the agreement" here.
agreement_actions = ActionRegistry("agreement page actions")


# Demo data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """Seeds an area's demo records in the demo office (`manage.py seed_demo`).

    `seed(members)` runs inside the demo tenant, after every lower `order`; `members` maps the
    demo sign-ins' emails to their memberships. It must be idempotent: `make run` seeds on every
    start, so a contributor returns at once when its records exist. It may return a list of
    lines that `seed_demo` prints after the sign-ins (a link made fresh on each start).
    """

    key: str
    seed: Callable[[dict], list[str] | None]
    order: int = 100


class DemoDataRegistry(Registry):
    def register(self, key: str, *, seed, order: int = 100) -> DemoData:
        return self.add(DemoData(key=key, seed=seed, order=order))


demo_data = DemoDataRegistry("demo data")


# Survey quiet periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuietPeriodSource:
    """Tells the satisfaction area which customers must not be surveyed now, and why.

    `customers(customer_ids)` answers {customer_id: reason} for those of the given customers in
    a quiet period (a complaint escalated beyond the relationship manager, say), in a number of
    queries that does not grow with the customers: a campaign asks once for its whole audience.
    The reason is shown to staff beside the held-back invitation.
    """

    key: str
    customers: Callable[[list[int]], dict[int, str]]
    order: int = 100


class QuietPeriodRegistry(Registry):
    def register(self, key: str, *, customers, order: int = 100) -> QuietPeriodSource:
        return self.add(QuietPeriodSource(key=key, customers=customers, order=order))

    def reasons(self, customer_ids: Iterable[int]) -> dict[int, str]:
        """{customer_id: reason} over every source; the first source (by order) names it."""
        ids = list(customer_ids)
        found: dict[int, str] = {}
        if not ids:
            return found
        for source in self:
            for customer_id, reason in (source.customers(ids) or {}).items():
                found.setdefault(customer_id, reason)
        return found


# Customers the satisfaction area leaves alone for now; the complaints area registers one.
survey_quiet_periods = QuietPeriodRegistry("survey quiet periods")


# The staff home ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeProvider:
    """Draws the staff home (tenancy:staff_home) for the roles in `roles`.

    `render(request)` returns the page (an HttpResponse), or None to leave it to the next
    provider and, after the last, to the office overview the core draws. The reports area
    registers the relationship manager's home here, so the core never imports it.
    """

    key: str
    roles: frozenset
    render: Callable[[Any], Any]
    order: int = 100


class HomeRegistry(Registry):
    def register(self, key: str, *, roles: Iterable, render, order: int = 100) -> HomeProvider:
        return self.add(HomeProvider(key=key, roles=frozenset(roles), render=render, order=order))

    def response(self, request):
        """The first provider's page for this member's role, or None."""
        membership = getattr(request, "membership", None)
        if membership is None:
            return None
        for provider in self:
            if membership.role in provider.roles:
                response = provider.render(request)
                if response is not None:
                    return response
        return None


staff_home_providers = HomeRegistry("staff home")
