"""YASGUI (npm @zazuko/yasgui) in Debian's chromium, embedded in a page of another origin as people embed it
in their own sites: a static server on another port serves tests/clients/yasgui/index.html and YASGUI from
its node_modules, pointed at our endpoint, which must then allow the cross-origin requests (CORS).

A person's steps: write a query in the editor, press the run button, read the table of results.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from rdflib import Literal

from tests.clients import CLIENTS, installed
from tests.conftest import PROJECT
from tests.server import running_server
from tests.test_sparql_clients import (
    CONSTRUCT_INITIATIVES,
    EXPECTED_ROWS,
    SELECT_INITIATIVES,
    _expected_construct,
)

pytestmark = pytest.mark.browser

YASGUI = CLIENTS / "yasgui"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The test reads the browser's view, not the static server's log."""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    releases = tmp_path_factory.mktemp("yasgui") / "releases"
    with running_server(releases, PROJECT / "data") as url:
        yield url + "sparql"


@pytest.fixture(scope="module")
def page_url(endpoint: str) -> Iterator[str]:
    """The page embedding YASGUI, from a static server of its own on another port: another origin."""
    installed(YASGUI / "node_modules" / ".package-lock.json")
    handler = functools.partial(QuietHandler, directory=str(YASGUI))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html?endpoint={quote(endpoint, safe='')}"
        assert urlsplit(url).netloc != urlsplit(endpoint).netloc
        try:
            yield url
        finally:
            server.shutdown()
            thread.join(timeout=10)


def run_query(browser: Browser, page_url: str, query: str) -> tuple[Page, list[str]]:
    """Open the page, write the query into YASGUI's editor, press its run button; wait for the table."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: _record(message, problems))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(page_url)
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("query => window.yasgui.getTab().getYasqe().setValue(query)", query)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr")
    page.select_option(".yasr .tableSizer", "-1")  # every row on one page
    return page, problems


def _record(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type in ("error", "warning"):
        problems.append(message.text)


def cells(page: Page) -> list[list[str]]:
    """The table's rows as the texts of their cells, without the row number."""
    rows: list[list[str]] = page.eval_on_selector_all(
        ".yasr table.dataTable tbody tr",
        "rows => rows.map(row => Array.from(row.cells).slice(1).map(cell => cell.innerText.trim()))",
    )
    return rows


def shown(term: Any) -> str:
    """A term as YASGUI's table shows it: an IRI as a link to it, a literal in Turtle's syntax."""
    if isinstance(term, Literal):
        return f'"{term}"@{term.language}' if term.language else f'"{term}"^^<{term.datatype}>'
    return str(term)


def test_a_select_shows_every_row_in_the_table(browser: Browser, page_url: str) -> None:
    page, problems = run_query(browser, page_url, SELECT_INITIATIVES)
    assert page.locator(".yasr .dt-column-title").all_inner_texts()[1:] == ["initiative", "label", "founded"]
    assert cells(page) == [
        [f"<{iri}>", shown(Literal(label, lang="de")), "" if founded is None else shown(founded)]
        for iri, label, founded in EXPECTED_ROWS
    ]
    assert page.locator(".yasr_response_chip").inner_text().startswith(f"{len(EXPECTED_ROWS)} results")
    assert problems == []
    page.close()


def test_a_construct_shows_every_triple_in_the_table(browser: Browser, page_url: str) -> None:
    page, problems = run_query(browser, page_url, CONSTRUCT_INITIATIVES)
    assert page.locator(".yasr .dt-column-title").all_inner_texts()[1:] == ["subject", "predicate", "object"]
    rows: list[list[str]] = page.eval_on_selector_all(
        ".yasr table.dataTable tbody tr",
        """rows => rows.map(row => Array.from(row.cells).slice(1).map(cell => {
            const link = cell.querySelector("a.iri");
            return link ? link.href : cell.innerText.trim();
        }))""",
    )
    expected = {tuple(shown(term) for term in triple) for triple in _expected_construct()}
    assert len(rows) == len(expected)
    assert {tuple(row) for row in rows} == expected
    assert problems == []
    page.close()
