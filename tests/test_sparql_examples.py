"""The example queries of the query page, run against the real server with the bundled real data (data/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from publisher.web.examples import EXAMPLES_DIR, load_examples
from tests.conftest import BASE, PROJECT
from tests.server import running_server

EXAMPLE_FILES = sorted(path.name for path in EXAMPLES_DIR.glob("*.rq"))
# The server runs with the default base, which is also the base the example files are written for.
EXAMPLES = {f"{example.key}.rq": example for example in load_examples(BASE)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`clusterlod serve` on a free port, serving a release built from the bundled data."""
    releases = tmp_path_factory.mktemp("sparql-examples") / "releases"
    with running_server(releases, PROJECT / "data") as url:
        yield url


def test_there_are_examples() -> None:
    assert len(EXAMPLE_FILES) >= 3
    assert sorted(EXAMPLES) == EXAMPLE_FILES


@pytest.mark.parametrize("file_name", EXAMPLE_FILES)
def test_example_returns_rows(server: str, file_name: str) -> None:
    example = EXAMPLES[file_name]
    with requests.get(
        server + "sparql",
        params={"query": example.query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    ) as response:
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("application/sparql-results+json")
        assert "X-Row-Limit-Reached" not in response.headers
        answer = response.json()
    variables = answer["head"]["vars"]
    rows = answer["results"]["bindings"]
    assert variables, f"{file_name} projects no variables"
    assert len(rows) >= 1, f"{file_name} returns no rows on the bundled data"
    # Every row binds something, and every variable is bound in some row (no variable is always empty).
    assert all(row for row in rows)
    assert {name for row in rows for name in row} == set(variables)


class _ExampleLinks(HTMLParser):
    """Collects the links of the example list (<ul class="examples">): title, href and data-query."""

    def __init__(self) -> None:
        super().__init__()
        self.in_list = False
        self.current: dict[str, str] | None = None
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "ul" and "examples" in attributes.get("class", "").split():
            self.in_list = True
        elif tag == "a" and self.in_list:
            self.current = {"href": attributes.get("href", ""), "query": attributes.get("data-query", "")}
            self.current["title"] = ""

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current["title"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.current is not None:
            self.current["title"] = " ".join(self.current["title"].split())
            self.links.append(self.current)
            self.current = None
        elif tag == "ul":
            self.in_list = False


def _example_links(page: str) -> list[dict[str, str]]:
    parser = _ExampleLinks()
    parser.feed(page)
    parser.close()
    return parser.links


def test_query_page_lists_every_example(server: str) -> None:
    with requests.get(server + "sparql", headers={"Accept": "text/html"}, timeout=30) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        page = response.text
    links = _example_links(page)
    expected = [EXAMPLES[name] for name in EXAMPLE_FILES]
    assert [link["title"] for link in links] == [example.title for example in expected]
    for link, example in zip(links, expected, strict=True):
        assert example.title and not example.title.startswith("#")
        assert link["query"] == example.query
        assert parse_qs(urlsplit(link["href"]).query)["query"] == [example.query]


def test_example_links_open_a_page_with_results(server: str) -> None:
    with requests.get(server + "sparql", headers={"Accept": "text/html"}, timeout=30) as response:
        links = _example_links(response.text)
    assert links
    for link in links:
        with requests.get(urljoin(server, link["href"]), headers={"Accept": "text/html"}, timeout=30) as page:
            assert page.status_code == 200, link["title"]
            assert page.headers["Content-Type"].startswith("text/html")
            assert "error-message" not in page.text, link["title"]
            assert re.search(r"<tbody>\s*<tr>", page.text), f"{link['title']}: no result rows on the page"
