"""The cross-tenant isolation harness, shared by every area.

Every URL under /t/<slug>/ is found by walking the URLconf, so a new page is covered the moment it
is routed. A page whose URL takes an object id must say how to make such an object in a given
tenant (`register`); the harness fails for any routed page that has not. Each area registers its
cases beside its tests, in `tests/<area>/isolation_cases.py`; `load_isolation_cases()` imports
every such module (tests/conftest.py calls it), so a new area's module is picked up by its name.
Portal pages are asked for by a customer-role member, whom each area may link to its records
(`portal_user_linker`).
For each page it checks:
  * a member of tenant A asking, under A's prefix, for tenant B's object gets 404;
  * list pages (no object in the URL) show none of tenant B's rows;
  * a member of A asking for anything under B's prefix gets 404.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver

from brm.urls import tenant_patterns

MARKER = "isolation-marker-of-tenant-b"

# URL name -> function(tenant) -> kwargs (besides tenant_slug) naming an object of that tenant.
OBJECT_FACTORIES: dict[str, Callable] = {}
# Functions(tenant) that create rows carrying MARKER in tenant B before list pages are read.
MARKED_ROW_FACTORIES: list[Callable] = []
# Functions(membership) that link the harness's portal user to what an area's portal pages show
# (customers: the contact of a customer), so that portal pages have something to show, and
# portal object pages answer 200 for the owner's objects.
PORTAL_USER_LINKERS: list[Callable] = []


CASES_MODULE = "isolation_cases"
TESTS_DIR = Path(__file__).resolve().parent


def load_isolation_cases() -> list[str]:
    """Import every tests/**/isolation_cases.py (once), filling the registries; their names."""
    names = []
    for path in sorted(TESTS_DIR.rglob(f"{CASES_MODULE}.py")):
        parts = path.relative_to(TESTS_DIR.parent).with_suffix("").parts
        names.append(".".join(parts))
        importlib.import_module(names[-1])
    return names


def register(url_name: str):
    def decorator(func):
        if url_name in OBJECT_FACTORIES and OBJECT_FACTORIES[url_name] is not func:
            raise ValueError(f"{url_name} is registered twice ({OBJECT_FACTORIES[url_name]})")
        OBJECT_FACTORIES[url_name] = func
        return func

    return decorator


def marked_rows(func):
    MARKED_ROW_FACTORIES.append(func)
    return func


def portal_user_linker(func):
    PORTAL_USER_LINKERS.append(func)
    return func


@dataclass(frozen=True)
class TenantUrl:
    name: str  # namespaced, e.g. "tenancy:member_edit"
    route: str  # e.g. "members/<int:pk>/"
    params: tuple[str, ...]

    @property
    def is_portal(self) -> bool:
        return self.route.startswith("portal")

    @property
    def is_public(self) -> bool:
        from brm.tenancy.middleware import PUBLIC_PREFIXES

        return self.route.startswith(PUBLIC_PREFIXES)


def _walk(patterns, namespace="", prefix="", params=()):
    for p in patterns:
        # An include's own parameters (agreements/<int:agreement_pk>/sla/) name an object too.
        own = (*params, *p.pattern.converters)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern), own)
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            yield TenantUrl(f"{namespace}{p.name}", route, own)


def tenant_urls() -> list[TenantUrl]:
    return list(_walk(tenant_patterns))
