"""The API docs (Swagger UI from local files) render under the Content-Security-Policy and pass
axe-core once Swagger UI has drawn its operations, with one opened."""

import pytest

from brm.tenancy import services
from brm.tenancy.models import Role
from tests.browser.conftest import sign_in
from tests.kit import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_under_the_policy(live_server, page, screenshot):
    tenant = services.tenant_create(slug="acme", name="Acme IT", mfa_policy="optional")
    make_member(
        tenant, Role.RELATIONSHIP_MANAGER, email="rm@acme.example", password="rm-long-password"
    )
    sign_in(page, live_server.url, "rm@acme.example", "rm-long-password")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()
    assert "BRM" in page.locator(".swagger-ui .info .title").inner_text()
    # The operations are drawn after the load event: check the page as a reader sees it, with
    # one operation opened too.
    page.checks.check(again=True)
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    page.checks.check(again=True)
    screenshot("api-docs")
