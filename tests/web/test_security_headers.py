"""Every answer carries a strict Content-Security-Policy and a Permissions-Policy: staff and
portal pages, the sign-in page, the API and its docs."""

import re

import pytest
from django.test import Client

from tests.kit import api_client

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: set(values)
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _assert_strict(response):
    csp = _directives(response)
    assert csp["default-src"] == {"'self'"}
    assert csp["script-src"] == {"'self'"}  # no inline script, no eval
    assert csp["style-src"] == {"'self'"}  # no inline <style> nor style="" attributes
    assert csp["object-src"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert csp["base-uri"] == {"'self'"}
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_staff_pages_carry_the_policies(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    for path in ("", "customers/", "members/"):
        response = client.get(f"/t/{tenant_a.slug}/{path}")
        assert response.status_code == 200
        _assert_strict(response)


def test_portal_pages_carry_the_policies(client, tenant_a, customer_a):
    client.force_login(customer_a.user)
    response = client.get(f"/t/{tenant_a.slug}/portal/")
    assert response.status_code == 200
    _assert_strict(response)


def test_the_sign_in_page_carries_the_policies(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    _assert_strict(response)


def test_api_answers_and_its_docs_carry_the_policies(tenant_a):
    client = api_client(tenant_a, "read")
    response = client.get("/api/v1/tenant/")
    assert response.status_code == 200
    _assert_strict(response)
    _assert_strict(Client().get("/api/v1/customers/"))  # a 401 too
    _assert_strict(Client().get("/api/v1/docs/"))


def test_error_pages_carry_the_policies(db):
    _assert_strict(Client().get("/t/no-such-office/"))


def test_templates_have_no_inline_script_or_style():
    """What the policy would refuse in a browser, caught before one runs (the browser tests
    also fail on any violation the console reports)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        if "email" in path.parts:
            continue  # an email body: no page policy applies; mail clients want inline style
        text = path.read_text()
        if path.parts[-2:] == ("elements", "field.html"):
            text = text.replace('style="{{ attrs.style }}"', "")  # only with a widget's style
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
