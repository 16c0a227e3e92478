"""The "link to us" page at /linking: German and English over HTTP, the real URI patterns and promise, every
local link on it resolves, and every page links to it."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from publisher.settings import Settings
from tests.conftest import BASE, PROJECT
from tests.server import running_server


class _Anchors(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("linking")
    settings = Settings(data_dir=PROJECT / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir) as served:
        yield served


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ["Auf uns verlinken", "410 Gone", "ändert nie ihre Bedeutung", "Add Standard Service"]),
        ("en", ["Linking to us", "410 Gone", "never changes its meaning", "Add Standard Service"]),
    ],
)
def test_the_page_explains_uris_persistence_and_reconciliation(url: str, lang: str, words: list[str]) -> None:
    page = requests.get(url + "linking", params={"lang": lang}, timeout=30)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page.text
    for expected in [*words, f"{BASE}id/{{type}}/{{key}}", f"{BASE}doc/{{type}}/{{key}}", f"{BASE}reconcile"]:
        assert expected in page.text, expected
    assert f"{BASE}id/initiative/" in page.text  # a real example thing of the release
    for authority in (
        "http://www.wikidata.org/entity/",
        "https://d-nb.info/gnd/",
        "http://sws.geonames.org/",
    ):
        assert authority in page.text


def test_the_language_follows_accept_language(url: str) -> None:
    page = requests.get(url + "linking", headers={"Accept-Language": "en"}, timeout=30)
    assert "Linking to us" in page.text and page.headers["Vary"] == "Accept-Language"


def test_every_local_link_on_the_page_resolves(url: str) -> None:
    for lang in ("de", "en"):
        page = requests.get(url + "linking", params={"lang": lang}, timeout=30)
        local = {
            urljoin(page.url, href)
            for href in _Anchors(page.text).hrefs
            if not urlsplit(href).netloc and not href.startswith("#")
        }
        assert len(local) > 8
        for target in sorted(local):
            answer = requests.get(target, allow_redirects=False, timeout=30)
            assert answer.status_code in (200, 303), target


def test_the_home_page_and_documents_link_to_it(url: str) -> None:
    for path in ("", "doc/initiative/", "sparql"):
        page = requests.get(url + path, headers={"Accept": "text/html"}, timeout=30)
        assert "/linking" in _Anchors(page.text).hrefs, path


def test_the_page_answers_conditional_gets(url: str) -> None:
    first = requests.get(url + "linking", timeout=30)
    again = requests.get(url + "linking", headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
