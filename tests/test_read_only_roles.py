"""The read-only staff roles read what their pages allow and write nothing, on every page.

Every URL under /t/<office>/ is found by walking the app's URLconf, and each view's roles are read
from the view itself (`allowed_roles`, recorded by `brm.web.access.roles_required`), so a new page
is checked the day it is routed. Its URL kwargs name real objects, made by the area's isolation
cases (tests/<area>/isolation_cases.py, which the isolation harness already requires for every
page with an object in its URL). A page without recorded roles fails here unless it is listed
below as public or portal-only, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from brm.audit.models import AuditEvent
from brm.tenancy.models import PORTAL_ROLES, STAFF_ROLES, WRITE_ROLES, Role, TenantOwnedModel
from tests.isolation import OBJECT_FACTORIES
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db

TENANT_PREFIX = "t/<slug:tenant_slug>/"
# Every staff role that does not write: today the steering group and analysts.
READ_ONLY_ROLES = sorted(STAFF_ROLES - WRITE_ROLES)

PUBLIC = {
    "tenancy:invitation_accept": "the invitation link is opened before sign-in; its token, "
    "single use and expiring, is the only key (the middleware lets invitation/ through)",
}
_PORTAL = "a portal page: the tenant middleware answers 403 to every staff role under portal/"
PORTAL_ONLY = {
    "tenancy:portal_home": _PORTAL,
    "customers:portal_organisation": _PORTAL,
    "customers:portal_purchaser": _PORTAL,
    "customers:portal_expectation_list": _PORTAL,
    "customers:portal_expectation": _PORTAL,
    "customers:portal_expectation_agree": _PORTAL,
    "customers:portal_action_item_list": _PORTAL,
    "customers:portal_action_item": _PORTAL,
    "customers:portal_action_item_done": _PORTAL,
    "agreement_pdf_portal:version_pdf": _PORTAL,
    "agreements:portal_agreement": _PORTAL,
    "agreements:portal_compare": _PORTAL,
    "agreements:portal_version": _PORTAL,
    "agreements:portal_signature_sign": _PORTAL,
    "agreements:portal_signature_decline": _PORTAL,
    "calendar_feeds:portal_feed": _PORTAL,
    "calendar_feeds:portal_create": _PORTAL,
    "calendar_feeds:portal_revoke": _PORTAL,
    "meetings:portal_meeting_list": _PORTAL,
    "meetings:portal_meeting": _PORTAL,
    "meetings:portal_decision_list": _PORTAL,
    "meetings:portal_decision": _PORTAL,
    "meetings:portal_decision_approve": _PORTAL,
    "meetings:portal_decision_reject": _PORTAL,
    "meetings:portal_news": _PORTAL,
    "meetings:portal_notice": _PORTAL,
    "meetings:portal_notice_ics": _PORTAL,
    "meetings:portal_preferences": _PORTAL,
    "complaints:portal_complaint_list": _PORTAL,
    "complaints:portal_complaint_create": _PORTAL,
    "complaints:portal_procedure": _PORTAL,
    "complaints:portal_complaint": _PORTAL,
    "complaints:portal_reply": _PORTAL,
    "complaints:portal_escalate": _PORTAL,
    "complaints:portal_confirm": _PORTAL,
    "complaints:portal_reject": _PORTAL,
    "complaints:portal_attachment_download": _PORTAL,
    "satisfaction:portal_surveys": _PORTAL,
    "satisfaction:portal_survey_answer": _PORTAL,
    "satisfaction:portal_results": _PORTAL,
}
# Pages a role may read that still narrow by the object: the recorded roles are the most they
# allow, so a GET may be refused as well as shown.
NARROWED_BY_OBJECT = {
    "customers:action_item_done": "only the writing roles and the item's own staff owner",
    **{
        f"complaints:{action}": "the writing roles, and the steering group at level 3 only"
        for action in (
            "acknowledge",
            "assign",
            "severity",
            "wait",
            "resume",
            "reply",
            "note",
            "attach",
            "escalate",
            "resolve",
        )
    },
}
# Pages whose POST only reads, so a read-only role may use it (the walk still checks that
# nothing is written).
POST_READS = {
    "agreement_pdf:verify": "uploading a PDF checks its seal; the file is never kept",
}
# A person's own subscription, not the office's records: every staff role makes and revokes its
# own calendar feed, and writes nothing else (the walk checks which rows changed).
OWN_SETTINGS = {
    "calendar_feeds:create": "the member's own calendar feed address",
    "calendar_feeds:revoke": "the member's own calendar feed address",
}
OWN_SETTINGS_MODELS = {"meetings.CalendarFeed", "audit.AuditEvent"}
# What a careless view would save: the fields the area's forms name.
POST_DATA = {"name": "written", "title": "written", "body": "written", "email": "w@example.test"}


@dataclass(frozen=True)
class Page:
    name: str  # namespaced URL name, e.g. "customers:customer_edit"
    route: str  # below the tenant prefix, e.g. "customers/<int:pk>/edit/"
    params: tuple[str, ...]  # besides tenant_slug
    view: object

    @property
    def roles(self) -> frozenset | None:
        return getattr(self.view, "allowed_roles", None)

    def path(self, tenant) -> str:
        """The page's URL in `tenant`, naming objects made there by the area's isolation case."""
        kwargs = OBJECT_FACTORIES[self.name](tenant) if self.params else {}
        assert set(kwargs) == set(self.params), f"{self.name}: {kwargs} for {self.params}"
        return reverse(self.name, kwargs={"tenant_slug": tenant.slug, **kwargs})


def _walk(patterns, namespace="", prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p.callback


def tenant_pages() -> list[Page]:
    """Every view of the app routed under /t/<office>/, with its URL name and parameters."""
    pages = []
    for name, route, view in _walk(get_resolver().url_patterns):
        if not route.startswith(TENANT_PREFIX):
            continue
        assert not name.endswith(":None"), f"{route} has no URL name to check it by"
        params = tuple(p for p in _converters(route) if p != "tenant_slug")
        pages.append(Page(name, route.removeprefix(TENANT_PREFIX), params, view))
    return pages


def _converters(route: str) -> list[str]:
    return [part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]]


PAGES = tenant_pages()
WALKED = [p for p in PAGES if p.name not in PUBLIC]


def _roles_of(page: Page) -> frozenset:
    return PORTAL_ROLES if page.name in PORTAL_ONLY else page.roles


def _written(tenant) -> dict[str, int]:
    """Rows of every tenant-owned model of `tenant` (the audit log among them)."""
    models = [m for m in apps.get_models() if issubclass(m, TenantOwnedModel)]
    assert AuditEvent in models
    return in_tenant(tenant, lambda: {m._meta.label: m.objects.count() for m in models})


def test_the_walk_finds_the_pages_of_every_area():
    names = {p.name for p in PAGES}
    assert {"tenancy:member_list", "customers:customer_edit", "outbox:message_retry"} <= names
    assert {"api_keys:revoke", "audit:event_list", "customers:export"} <= names


def test_every_page_records_its_roles_or_says_why_not():
    unrecorded = {p.name for p in PAGES if p.roles is None}
    assert unrecorded == set(PUBLIC) | set(PORTAL_ONLY), (
        "Guard these pages with brm.web.access (staff_required, write_required, admin_required "
        "or roles_required), or list them here as public or portal-only with the reason: "
        f"{sorted(unrecorded - set(PUBLIC) - set(PORTAL_ONLY))}"
    )
    by_name = {p.name: p for p in PAGES}
    assert all(by_name[name].route.startswith("portal") for name in PORTAL_ONLY)
    assert all(isinstance(role, Role) for p in PAGES for role in p.roles or ())


@pytest.mark.parametrize(
    "page", [p for p in WALKED if p.name not in PORTAL_ONLY], ids=lambda p: p.name
)
def test_the_walk_names_real_objects_a_writer_can_open(client, tenant_a, page):
    """The control: refusals below are for the role, not for an object that does not exist."""
    roles = page.roles or STAFF_ROLES
    member = make_member(tenant_a, Role.ADMIN if Role.ADMIN in roles else min(roles))
    path = page.path(tenant_a)
    client.force_login(member.user)
    assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("page", WALKED, ids=lambda p: p.name)
def test_read_only_role_gets_only_the_pages_its_roles_allow_and_writes_nothing(
    client, tenant_a, page, role
):
    member = make_member(tenant_a, role)
    path = page.path(tenant_a)
    client.force_login(member.user)
    before = _written(tenant_a)

    answer = client.get(path).status_code
    if role in _roles_of(page):
        assert answer in ((200, 403) if page.name in NARROWED_BY_OBJECT else (200,)), path
        # A page the role reads refuses its writes (403); a page that takes no POST at all
        # answers 405.
        expected = (200,) if page.name in POST_READS else (403, 405)
        if page.name in OWN_SETTINGS:
            expected = (200, 302)
        assert client.post(path, POST_DATA).status_code in expected, path
    else:
        assert answer in (403, 404), f"{role} got {answer} on {path}"
        assert client.post(path, POST_DATA).status_code in (403, 404), path
    after = _written(tenant_a)
    if page.name in OWN_SETTINGS:
        before = {k: v for k, v in before.items() if k not in OWN_SETTINGS_MODELS}
        after = {k: v for k, v in after.items() if k not in OWN_SETTINGS_MODELS}
    assert after == before, f"{role} changed rows through {path}"
