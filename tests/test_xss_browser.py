"""In headless Chromium: IRIs from a query never become javascript: links (server- or client-rendered), the
pages run under their Content-Security-Policy without a single violation, the policy really blocks inline
script, and only the reconciliation preview can be framed by another site (as OpenRefine does)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import MINIMAL
from tests.server import running_server

pytestmark = pytest.mark.browser

HOSTILE_QUERIES = [
    'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }',
    "SELECT ?x WHERE { VALUES ?x { <JavaScript:alert(1)> <data:text/html;base64,PHNjcmlwdD4=>"
    " <vbscript:x> } } ORDER BY ?x",
]
MIXED = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <https://example.org/safe> } } ORDER BY ?x"
# Records every CSP violation the page reports, before any of the page's own code runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""

# Whether each stylesheet link was applied: a refused one has no readable rules.
APPLIED_STYLESHEETS = """
[...document.querySelectorAll("link[rel=stylesheet]")].map((link) => {
  try { return link.sheet.cssRules.length > 0; } catch { return false; }
})
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("xss")
    no_limits = {"CLUSTERLOD_READ_RATE_LIMIT": "", "CLUSTERLOD_QUERY_RATE_LIMIT": ""}
    with running_server(root / "releases", MINIMAL, env=no_limits) as url:
        yield url


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context()
    opened.add_init_script(RECORD_VIOLATIONS)
    yield opened
    opened.close()


class Watched:
    """A page with its console errors and CSP reports collected."""

    def __init__(self, context: BrowserContext) -> None:
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on(
            "console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None
        )
        self.page.on("pageerror", lambda error: self.console.append(str(error)))

    def violations(self) -> list[str]:
        reported: list[str] = self.page.evaluate("window.__violations")
        return reported + [text for text in self.console if "Content Security Policy" in text]


def _cells(page: Page) -> list[str]:
    return page.locator("#results table tbody td").all_inner_texts()


def _javascript_links(page: Page) -> int:
    return page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]').count()


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_a_server_rendered_result_shows_hostile_iris_as_text(
    site: str, context: BrowserContext, query: str
) -> None:
    watched = Watched(context)
    page = watched.page
    page.goto(site + "sparql?" + urlencode({"query": query}))
    assert page.get_by_role("link", name="CSV herunterladen").count() == 1, "the server rendered the table"
    cells = _cells(page)
    assert cells and all(":" in cell for cell in cells)
    assert page.locator("#results td a").count() == 0
    assert _javascript_links(page) == 0
    assert watched.violations() == []


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_a_client_rendered_result_shows_hostile_iris_as_text(
    site: str, context: BrowserContext, query: str
) -> None:
    watched = Watched(context)
    page = watched.page
    page.goto(site + "sparql")
    page.fill("#query", query)
    page.click("button[type=submit]")
    page.wait_for_selector("#results table tbody tr")
    assert page.get_by_role("link", name="CSV herunterladen").count() == 0, "sparql.js rendered the table"
    cells = _cells(page)
    assert cells and all(":" in cell for cell in cells)
    assert page.locator("#results td a").count() == 0
    assert _javascript_links(page) == 0
    assert watched.violations() == []
    assert watched.console == []


def test_http_iris_stay_links_on_both_sides(site: str, context: BrowserContext) -> None:
    watched = Watched(context)
    page = watched.page
    page.goto(site + "sparql?" + urlencode({"query": MIXED}))
    served = page.eval_on_selector_all("#results td a", "links => links.map(a => a.href)")
    page.goto(site + "sparql")
    page.fill("#query", MIXED)
    page.click("button[type=submit]")
    page.wait_for_selector("#results table tbody tr")
    assert page.get_by_role("link", name="CSV herunterladen").count() == 0
    scripted = page.eval_on_selector_all("#results td a", "links => links.map(a => a.href)")
    assert served == scripted == ["https://example.org/safe"]
    assert sorted(_cells(page)) == ["https://example.org/safe", "javascript:alert(1)"]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "doc/initiative/ini-one",
        "doc/initiative/",
        "doc/event/week",
        "search?q=Test",
        "dataset",
        "releases",
        "linking",
        "def/cluster",
        "def/cluster/shapes",
        "reconcile/preview?id=initiative/ini-one",
        "doc/initiative/no-such-thing",
    ],
)
def test_pages_raise_no_policy_violation(site: str, context: BrowserContext, path: str) -> None:
    watched = Watched(context)
    response = watched.page.goto(site + path)
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    watched.page.wait_for_load_state("load")
    assert watched.page.locator("h1").count() == 1, "the page rendered"
    sheets = watched.page.evaluate(APPLIED_STYLESHEETS)
    assert sheets and all(sheets), "its stylesheets were applied"
    assert watched.violations() == []


@pytest.mark.parametrize("path", ["sitemap.xml", "doc/initiative/ini-one.ttl", "search?q=Test&format=json"])
def test_data_shown_by_the_browser_raises_no_policy_violation(
    site: str, context: BrowserContext, path: str
) -> None:
    """RDF, JSON and XML opened in a tab: the browser's own viewers work under the stricter policy."""
    watched = Watched(context)
    response = watched.page.goto(site + path)
    assert response is not None and response.ok
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    watched.page.wait_for_load_state("load")
    assert watched.violations() == []
    assert watched.console == []


def test_the_query_page_runs_a_query_without_policy_violation(site: str, context: BrowserContext) -> None:
    watched = Watched(context)
    page = watched.page
    page.goto(site + "sparql")
    page.locator(".examples a").first.click()
    page.wait_for_selector("#results table tbody tr")
    page.goto(site + "sparql?" + urlencode({"query": "SELECT ?s WHERE { ?s a ?type } LIMIT 3"}))
    assert len(_cells(page)) == 3
    assert watched.violations() == []
    assert watched.console == []


def test_the_policy_blocks_inline_script(site: str, context: BrowserContext) -> None:
    """The listener above is not blind: a script injected into a page is refused and reported."""
    watched = Watched(context)
    page = watched.page
    page.goto(site + "doc/initiative/ini-one")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in watched.violations())


@contextmanager
def openrefine(site: str) -> Iterator[str]:
    """A page on another origin framing the preview and the home page, as OpenRefine (a local server, usually
    http://127.0.0.1:3333) frames the preview. Served for real: Chromium keeps a page it cannot place on the
    network from framing a local address."""
    body = (
        f'<iframe id="preview" src="{site}reconcile/preview?id=initiative/ini-one"></iframe>'
        f'<iframe id="home" src="{site}"></iframe>'
    ).encode()

    class Framer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Framer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_only_the_reconciliation_preview_can_be_framed_by_another_site(site: str, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    with openrefine(site) as framer:
        with page.expect_console_message(lambda m: "frame-ancestors" in m.text) as refusal:
            page.goto(framer)
        assert f"Framing '{site}' violates" in refusal.value.text, "the home page refuses to be framed"
        assert "Testcluster" in page.frame_locator("#preview").locator("h1").inner_text()
        assert page.frame_locator("#home").locator("nav").count() == 0
    context.close()
