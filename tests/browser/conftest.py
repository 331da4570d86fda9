import os
from pathlib import Path

import pytest

from tests.browser.checks import CheckedBrowser, axe_source

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    # Django refuses ORM calls from a thread with a running event loop; Playwright's sync API
    # runs one, and our live-server tests make fixtures in the same thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure_chromium.sh")
    axe_source()  # fails early and clearly when scripts/ensure_axe.sh has not run
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """Every page the test visits must pass axe-core's WCAG 2.2 AA rules and violate no CSP
    (tests/browser/checks.py)."""
    checked = CheckedBrowser(chromium)
    yield checked
    problems = checked.finish()
    if problems:
        pytest.fail(
            "The pages this test visited have accessibility or CSP problems:\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    return context.new_page()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, base, email, password):
    """Signs in through the real sign-in form, as a person would."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
