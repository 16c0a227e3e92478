"""The query page in a real browser: with JavaScript results show as a table; without, the form works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage

from publisher.web.examples import load_examples
from tests.conftest import PROJECT
from tests.server import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("browser")
    with running_server(root / "releases", PROJECT / "data") as url:
        yield url


def test_with_javascript_an_example_shows_a_table(site: str, browser: Browser) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: _record(message, problems))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(site + "sparql")
    first = load_examples("http://localhost:8080/")[0]
    page.get_by_role("link", name=first.title).click()
    page.wait_for_selector("#results table tbody tr")
    rows = page.locator("#results table tbody tr").count()
    headers = page.locator("#results table thead th").all_inner_texts()
    assert rows > 0
    assert headers == ["field", "fieldLabel", "initiatives"]
    assert page.locator("#query").input_value() == first.query
    assert problems == []
    page.close()


def test_with_javascript_an_error_is_shown(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(site + "sparql")
    page.fill("#query", "SELECT * WHERE {")
    page.click("button[type=submit]")
    alert = page.wait_for_selector("#results [role=alert]")
    assert alert is not None and "Query syntax error at line 1" in alert.inner_text()
    page.close()


def test_without_javascript_the_form_still_answers(site: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "sparql")
    page.fill("#query", "SELECT ?s WHERE { ?s a <https://schema.org/EventSeries> }")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "query=" in page.url
    cells = page.locator("#results table tbody td").all_inner_texts()
    assert cells == ["http://localhost:8080/id/event/clusterwoche-2017"]
    assert page.get_by_role("link", name="CSV herunterladen").count() == 1
    context.close()


def _record(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type in ("error", "warning"):
        problems.append(f"{message.type}: {message.text}")
