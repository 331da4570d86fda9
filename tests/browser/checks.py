"""Checks every page a browser test visits: axe-core's WCAG 2.2 AA rules and the CSP.

The `page` and `browser` fixtures (tests/browser/conftest.py) hand out `CheckedPage`s, so a later
area's browser tests get both checks without asking:

* Each page listens for its `load` event (which only sets a flag) and for console messages and
  page errors. Nothing calls into the browser from an event handler.
* Whenever the test code next touches the page, or a locator made from it, the newly loaded
  document is checked first: axe-core (from the npm registry, `scripts/ensure_axe.sh`) is
  evaluated into it (evaluate is not governed by the page's CSP) and run with the WCAG 2.2 AA
  tags. `goto` checks the page it leaves and the page it reaches; the fixture checks the last one.
* Every console message about the Content Security Policy ("Refused to ...", and the
  `securitypolicyviolation` events an init script reports) is kept.

`problems()` lists both in readable form; the fixture fails the test at teardown with them.
Playwright's `expect` wants its own types: pass `unwrap(locator)` to it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = Path(
    os.environ.get("AXE_PATH", ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js")
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 20_000  # axe on one page; evaluate itself has no timeout

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `Content Security Policy violation: ${e.effectiveDirective} refused ` +
  `${e.blockedURI || "inline code"} at ${e.sourceFile || location.href}:${e.lineNumber}`));
"""

RUN_AXE = """
async ([tags, timeout, again]) => {
  if (document.contentType !== "text/html" || (window.__brmChecked && !again)) {
    return {skipped: true};
  }
  window.__brmChecked = true;
  const timer = new Promise((resolve) => setTimeout(
    () => resolve({error: `axe-core did not finish within ${timeout} ms`}), timeout));
  const run = axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then((r) => ({violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }))}))
    .catch((e) => ({error: String(e)}));
  return await Promise.race([run, timer]);
}
"""

CSP_MARKERS = ("Content Security Policy", "Refused to")


def axe_source() -> str:
    if not AXE_PATH.is_file():
        raise RuntimeError(f"axe-core is missing at {AXE_PATH}: run scripts/ensure_axe.sh")
    return AXE_PATH.read_text()


class PageProblems(AssertionError):
    pass


class PageChecks:
    """The findings on one Playwright page, and the check of its current document."""

    def __init__(self, page):
        self.page = page
        self.loaded = False  # a document loaded and is not checked yet
        self.checked_urls: list[str] = []
        self.violations: list[str] = []
        self.csp: list[str] = []
        page.on("load", self._on_load)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.add_init_script(script=REPORT_VIOLATIONS)

    def _on_load(self, _page):
        self.loaded = True

    def _on_console(self, message):
        if any(marker in message.text for marker in CSP_MARKERS):
            self.csp.append(f"{self.page.url}: {message.text}")

    def _on_page_error(self, error):
        text = str(error)
        if any(marker in text for marker in CSP_MARKERS):
            self.csp.append(f"{self.page.url}: {text}")

    def check_pending(self) -> None:
        if self.loaded:
            self.check()

    def check(self, *, again: bool = False) -> None:
        """Runs axe-core on the page's current document and keeps its violations; once per
        document (its load event may arrive after `goto` checked it) unless `again`, for a
        test that wants the document checked once more after its scripts changed it."""
        from playwright.sync_api import Error

        self.loaded = False
        if self.page.is_closed():
            return
        url = self.page.url
        try:
            if not self.page.evaluate("() => typeof window.axe === 'object'"):
                self.page.evaluate(axe_source())
            result = self.page.evaluate(RUN_AXE, [WCAG_TAGS, TIMEOUT_MS, again])
        except Error as error:
            if "Execution context was destroyed" in str(error) or self.page.is_closed():
                return  # it navigated on its own meanwhile: the next document gets checked
            raise
        if result.get("skipped"):
            return
        self.checked_urls.append(url)
        if "error" in result:
            self.violations.append(f"{url}: axe-core failed: {result['error']}")
        for v in result.get("violations", []):
            targets = ", ".join(v["targets"][:5])
            more = f" (+{len(v['targets']) - 5} more)" if len(v["targets"]) > 5 else ""
            self.violations.append(
                f"{url}: {v['id']} ({v['impact']}): {v['help']} at {targets}{more}"
            )

    def problems(self) -> list[str]:
        return self.violations + [f"CSP: {message}" for message in self.csp]

    def assert_clean(self) -> None:
        self.check_pending()
        problems = self.problems()
        if problems:
            raise PageProblems(
                "The pages visited have accessibility or CSP problems:\n  " + "\n  ".join(problems)
            )


def unwrap(obj):
    return getattr(obj, "_target", obj)


class _Checked:
    """Delegates to a Playwright Page or Locator; checks a newly loaded document first."""

    def __init__(self, target, checks: PageChecks):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_checks", checks)

    def __getattr__(self, name):
        from playwright.sync_api import FrameLocator, Locator

        checks = self._checks
        checks.check_pending()
        value = getattr(self._target, name)
        if not callable(value):
            return value

        def call(*args, **kwargs):
            checks.check_pending()
            result = value(*args, **kwargs)
            if isinstance(result, Locator | FrameLocator):
                return _Checked(result, checks)
            return result

        return call

    def __setattr__(self, name, value):
        setattr(self._target, name, value)

    def __repr__(self):
        return f"Checked({self._target!r})"


class CheckedPage(_Checked):
    """A Page whose every document is checked; `goto` checks before leaving and on arrival."""

    def __init__(self, page):
        super().__init__(page, PageChecks(page))

    @property
    def checks(self) -> PageChecks:
        return self._checks

    def goto(self, *args, **kwargs):
        self._checks.check_pending()
        response = self._target.goto(*args, **kwargs)
        self._checks.check()
        return response


class CheckedContext:
    """A BrowserContext whose pages are CheckedPages."""

    def __init__(self, context, pages: list[CheckedPage]):
        self._context = context
        self._pages = pages

    def new_page(self, **kwargs):
        page = CheckedPage(self._context.new_page(**kwargs))
        self._pages.append(page)
        return page

    def close(self, **kwargs):  # a test closing its context: check its last documents first
        for page in self._pages:
            if page._target.context is self._context:
                page.checks.check_pending()
        self._context.close(**kwargs)

    def __getattr__(self, name):
        return getattr(self._context, name)


class CheckedBrowser:
    """The session's Chromium; each new context's pages check themselves."""

    def __init__(self, browser):
        self._browser = browser
        self.pages: list[CheckedPage] = []
        self.contexts: list = []

    def new_context(self, **kwargs):
        # bypass_csp stays False: the pages run under the policy they are served with.
        context = self._browser.new_context(bypass_csp=False, **kwargs)
        self.contexts.append(context)
        return CheckedContext(context, self.pages)

    def finish(self) -> list[str]:
        """Checks the last documents, closes the contexts, returns every problem found."""
        for page in self.pages:
            page.checks.check_pending()
        for context in self.contexts:
            context.close()
        return [problem for page in self.pages for problem in page.checks.problems()]

    def __getattr__(self, name):
        return getattr(self._browser, name)
