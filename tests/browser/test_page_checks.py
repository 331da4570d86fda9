"""The checks every browser test gets (tests/browser/checks.py) do find problems: a page with a
known axe-core violation, and a page whose inline script the CSP blocks, are each reported."""

import pytest

from tests.browser.checks import CheckedBrowser, PageProblems

pytestmark = pytest.mark.browser

POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"
CLEAN = """<!doctype html><html lang="en"><head><title>Clean</title></head>
<body><main><h1>Clean</h1><p>Nothing wrong here.</p></main></body></html>"""
IMAGE_WITHOUT_ALT = """<!doctype html><html lang="en"><head><title>Image</title></head>
<body><main><h1>Image</h1><img src="/pixel.png"></main></body></html>"""
INLINE_SCRIPT = """<!doctype html><html lang="en"><head><title>Script</title></head>
<body><main><h1>Script</h1><script>document.title = "ran";</script></main></body></html>"""
PAGES = {"/clean/": CLEAN, "/image/": IMAGE_WITHOUT_ALT, "/script/": INLINE_SCRIPT}


@pytest.fixture
def served(chromium):
    """A checked page whose requests to http://checks.test/ are answered under a strict CSP."""
    checked = CheckedBrowser(chromium)
    page = checked.new_context().new_page()

    def answer(route):
        path = route.request.url.removeprefix("http://checks.test")
        if path == "/pixel.png":
            route.fulfill(status=404, body="")
            return
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": POLICY},
            body=PAGES[path],
        )

    page.route("http://checks.test/**", answer)
    yield page
    checked.finish()


def test_a_clean_page_passes(served):
    served.goto("http://checks.test/clean/")
    served.checks.assert_clean()
    assert served.checks.checked_urls == ["http://checks.test/clean/"]


def test_an_axe_violation_is_reported_with_page_rule_impact_and_target(served):
    served.goto("http://checks.test/image/")
    with pytest.raises(PageProblems) as raised:
        served.checks.assert_clean()
    assert "http://checks.test/image/: image-alt (critical)" in str(raised.value)
    assert " at img" in str(raised.value)


def test_an_inline_script_blocked_by_the_csp_is_reported(served):
    served.goto("http://checks.test/script/")
    assert served.title() == "Script"  # the policy did block it
    with pytest.raises(PageProblems) as raised:
        served.checks.assert_clean()
    assert "CSP: http://checks.test/script/" in str(raised.value)
    assert "script-src" in str(raised.value)


def test_a_page_reached_by_a_click_is_checked_when_the_test_next_touches_it(served):
    served.route(
        "http://checks.test/start/",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": POLICY},
            body='<!doctype html><html lang="en"><head><title>Start</title></head><body><main>'
            '<h1>Start</h1><a href="/image/">Next</a></main></body></html>',
        ),
    )
    served.goto("http://checks.test/start/")
    served.get_by_role("link", name="Next").click()
    served.wait_for_load_state()
    assert served.get_by_role("heading").inner_text() == "Image"
    assert served.checks.checked_urls == ["http://checks.test/start/", "http://checks.test/image/"]
    with pytest.raises(PageProblems, match="image-alt"):
        served.checks.assert_clean()


def test_each_document_is_reported_once(served):
    served.goto("http://checks.test/image/")
    served.checks.loaded = True  # its load event, arriving after goto checked it
    served.title()
    assert served.checks.checked_urls == ["http://checks.test/image/"]
    assert len(served.checks.violations) == 1
